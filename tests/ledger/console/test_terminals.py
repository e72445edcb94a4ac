"""The Terminals page from heartbeats posted the way kiosks post them (signed, over HTTP):
one row per terminal, problems first, keyset pages, a terminal's own page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kiosk.domain.clock import ManualClock, iso_utc
from kiosk.domain.privacy import mask_account
from sync.ledger.console import terminals
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.ledger.console.helpers import Browser
from tests.ledger.helpers import QPLUS_PHONE, TERMINAL, TerminalClient, beat, payment_dict

Browsers = Callable[[], Browser]
_ROW = re.compile(r'data-terminal="([^"]+)"')


def rows_of(html: str) -> list[str]:
    return _ROW.findall(html)


def send_beat(
    ledger: Ledger, server: LedgerThread, clock: ManualClock, terminal_id: str, **changes: Any
) -> None:
    """Register ``terminal_id`` and post one signed heartbeat for it, as a kiosk does."""
    secret = ledger.add_terminal(terminal_id)
    kiosk = TerminalClient(server.url, terminal_id, secret, clock.now)
    try:
        answer = kiosk.post("/v1/heartbeat", beat(iso_utc(clock.now()), **changes))
        assert answer.status_code == 200, answer.text
    finally:
        kiosk.close()


def devices(validator: str = "idle", printer: str = "ok", **extra: Any) -> dict[str, Any]:
    return {
        "validator": {"protocol": "ccnet", "state": validator, "connected": True},
        "printer": {"state": printer, "reason": "", "paper": "ok"},
        "out_of_service": [],
        **extra,
    }


def test_problems_come_first_with_their_states_in_words(
    console_ledger: Ledger, server: LedgerThread, clock: ManualClock, browser: Browsers
) -> None:
    send_beat(console_ledger, server, clock, "KZ-GONE", devices=devices())
    clock.advance(terminals.OFFLINE_S - terminals.ONLINE_S)  # KZ-GONE: offline at the end
    send_beat(console_ledger, server, clock, "KZ-STALE", devices=devices())
    clock.advance(terminals.ONLINE_S + 30)
    send_beat(console_ledger, server, clock, "KZ-A-OK", devices=devices())
    send_beat(console_ledger, server, clock, "KZ-JAM", devices=devices(validator="jammed"))
    send_beat(
        console_ledger,
        server,
        clock,
        "KZ-OOS",
        devices=devices(printer="ok", out_of_service=["printer"]),
    )
    console_ledger.add_terminal("KZ-NEW")  # never sent a heartbeat
    me = browser()
    me.login("view1")
    me.get("/console/lang/en?next=/console/")
    page = me.get("/console/terminals")
    assert page.status_code == 200
    # Offline and never seen, a device fault, stale, then the rest; by id within each.
    assert rows_of(page.text) == ["KZ-GONE", "KZ-NEW", "KZ-JAM", "KZ-OOS", "KZ-STALE", "KZ-A-OK"]
    text = page.text
    assert "never seen" in text and "note jammed" in text and "Out of service: printer" in text
    assert "online, 0 s ago" in text and "stale" in text and "offline" in text
    assert "12 notes" in text and "0.4.0" in text
    assert "Online: the last heartbeat is at most 3 min 0 s old" in text


def test_pages_follow_each_other_without_gaps_or_repeats(
    console_ledger: Ledger, server: LedgerThread, browser: Browsers
) -> None:
    names = [f"KZ-{number:04d}" for number in range(terminals.PAGE_SIZE + 7)]
    for name in names:
        console_ledger.add_terminal(name)
    me = browser()
    me.login("view1")
    first = me.get("/console/terminals")
    assert rows_of(first.text) == names[: terminals.PAGE_SIZE]
    found = re.search(r'rel="next" href="([^"]+)"', first.text)
    assert found is not None
    second = me.get(found.group(1).replace("&amp;", "&"))
    assert rows_of(second.text) == names[terminals.PAGE_SIZE :]
    assert 'rel="next"' not in second.text
    assert rows_of(me.get("/console/terminals?after=junk").text) == rows_of(first.text)


def test_a_terminal_page_shows_its_heartbeat_and_payments(
    console_ledger: Ledger, server: LedgerThread, clock: ManualClock, browser: Browsers
) -> None:
    send_beat(console_ledger, server, clock, "KZ-ONE", devices=devices(validator="jammed"))
    me = browser()
    me.login("oper1")
    page = me.get("/console/terminals/KZ-ONE")
    assert page.status_code == 200
    assert "замятие купюры" in page.text and "&#34;software_version&#34;" in page.text
    assert me.get("/console/terminals/KZ-NONE").status_code == 404


def test_the_page_needs_a_login(server: LedgerThread, browser: Browsers) -> None:
    answer = browser().get("/console/terminals/KZ-ONE")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/terminals/KZ-ONE"


def test_a_terminal_page_lists_its_payments_with_accounts_masked(
    console_ledger: Ledger, server: LedgerThread, clock: ManualClock, browser: Browsers
) -> None:
    secret = console_ledger.add_terminal(TERMINAL)
    kiosk = TerminalClient(server.url, TERMINAL, secret, clock.now)
    try:
        results = kiosk.post_payments([payment_dict(7, account=QPLUS_PHONE)])
    finally:
        kiosk.close()
    assert results[0]["status"] == "accepted"
    me = browser()
    me.login("view1")
    page = me.get(f"/console/terminals/{TERMINAL}")
    assert page.status_code == 200
    assert mask_account(QPLUS_PHONE) in page.text and QPLUS_PHONE not in page.text
    assert '<td data-label="Чек">7</td>' in page.text
