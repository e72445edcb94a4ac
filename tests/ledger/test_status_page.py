"""The public status page behind the receipt's QR (sync.ledger.status_page), on SQLite and
PostgreSQL: every state in every language, the account never shown, 404 for unknown and
malformed ids (the malformed without a query), 429 past the ration, the headers; and the QR
of a receipt printed through the kiosk's ESC/POS path, decoded by an independent decoder
and opened on a real ledger server on loopback."""

from __future__ import annotations

import base64
import hashlib
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

import kiosk.cli as cli
from kiosk.domain.money import Money
from kiosk.domain.privacy import mask_account
from sync.ledger.app import create_app
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from sync.ledger.status_page import (
    LANGUAGES,
    SUPPORT_PHONE_ENV,
    TEXTS,
    Found,
    Lang,
    State,
    StatusPage,
    TokenBucket,
    language_of,
    last_two_digits,
    parse_support_phone,
)
from tests.ledger.helpers import TERMINAL, payment

PHONE = "+7 727 000 00 00"
KASPI = "+77014444444"  # professional: a payment to it is credited
UNKNOWN_PURSE = "K000000000001"  # not in the registry: rejected, held in suspense
BASIC = "+77011111111"  # qplus basic: a release to it is credited
LANGS = LANGUAGES


class Manual:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def any_ledger(make_ledger: Callable[..., Ledger], any_url: str) -> Ledger:
    ledger = make_ledger(any_url)
    ledger.add_terminal(TERMINAL)
    return ledger


@pytest.fixture
def web(any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv(SUPPORT_PHONE_ENV, PHONE)
    app = create_app(any_ledger)
    app.state.status_page.bucket = TokenBucket(burst=10_000)
    with TestClient(app) as client:
        yield client


def post(ledger: Ledger, seq: int, **kwargs: Any) -> str:
    [answer] = ledger.post_payments(TERMINAL, [payment(seq, **kwargs)])
    return answer.operation_id


def shown(tiyn: int, lang: Lang) -> str:
    """An amount as the page's text reads it (no-break spaces as spaces)."""
    return visible(Money(tiyn).format(lang))


def visible(html: str) -> str:
    """The page's text, tags dropped (what a reader sees, roughly)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def one_of_each(ledger: Ledger) -> dict[State, str]:
    credited = post(ledger, 1, service="kaspi", account=KASPI, notes=[500_000])
    held = post(ledger, 2, service="wmk", account=UNKNOWN_PURSE)
    refunded = post(ledger, 3, service="wmk", account=UNKNOWN_PURSE)
    ledger.release_suspense(refunded, "refund", "cashier-7", "cash handed back")
    return {State.CREDITED: credited, State.HELD: held, State.REFUNDED: refunded}


@pytest.mark.parametrize("lang", LANGS)
def test_each_stored_state_is_told_in_words_with_amounts_time_terminal_and_phone(
    any_ledger: Ledger, web: TestClient, lang: Lang
) -> None:
    ids = one_of_each(any_ledger)
    for state, operation_id in ids.items():
        answer = web.get(f"/status/{operation_id}", params={"lang": lang})
        assert answer.status_code == 200, (state, answer.text[:300])
        text = visible(answer.text)
        assert f'<html lang="{lang}">' in answer.text
        assert TEXTS[state][lang] in text
        assert TEXTS[f"{state}_detail"][lang] in text
        assert TERMINAL in text and PHONE in text and operation_id in text
        assert "01.01.2026 15:00:00" in text  # 10:00 UTC, in Almaty
    credited = visible(web.get(f"/status/{ids[State.CREDITED]}", params={"lang": lang}).text)
    fee = payment(1, service="kaspi", account=KASPI, notes=[500_000]).commission
    assert shown(500_000, lang) in credited  # inserted
    assert shown(fee, lang) in credited and shown(500_000 - fee, lang) in credited
    held = visible(web.get(f"/status/{ids[State.HELD]}", params={"lang": lang}).text)
    assert TEXTS["held_call"][lang] in held and TEXTS["held_amount"][lang] in held
    assert TEXTS["commission"][lang] not in held  # nothing "to be credited" beside "not"
    refunded = visible(web.get(f"/status/{ids[State.REFUNDED]}", params={"lang": lang}).text)
    assert TEXTS["refunded_amount"][lang] in refunded


def test_a_release_to_an_account_reads_credited_with_the_whole_amount(
    any_ledger: Ledger, web: TestClient
) -> None:
    operation_id = post(any_ledger, 1, service="wmk", account=UNKNOWN_PURSE)
    any_ledger.release_suspense(operation_id, f"qplus:{BASIC}", "op", "customer's number")
    text = visible(web.get(f"/status/{operation_id}", params={"lang": "en"}).text)
    assert TEXTS["credited"]["en"] in text
    assert "Amount credited 1,000 ₸" in text


@pytest.mark.parametrize("lang", LANGS)
def test_processing_is_told_with_the_wait(lang: Lang, ledger: Ledger) -> None:
    """No posting stores "processing" today (the ledger answers at once); the page still
    words it, for a status the schema names."""
    page = StatusPage(ledger, PHONE, TokenBucket())
    found = Found(
        "0190a0b0-0000-7000-8000-000000000001",
        State.PROCESSING,
        TERMINAL,
        7,
        "kaspi",
        "**** 67",
        100_000,
        2_000,
        98_000,
        "2026-01-01T10:00:00.000+00:00",
    )
    answer = page.render("payment.html", lang, 200, p=found, service="Kaspi", when="x", keep_op="")
    text = visible(bytes(answer.body).decode())
    assert TEXTS["processing"][lang] in text and TEXTS["processing_detail"][lang] in text
    assert TEXTS["to_credit"][lang] in text
    assert answer.headers["cache-control"] == "no-store"


def test_the_language_follows_lang_then_accept_language_then_russian() -> None:
    assert language_of("kk", "en") == "kk"
    assert language_of("de", "en-GB,en;q=0.8") == "en"
    assert language_of(None, "de-DE, kk;q=0.5, ru;q=0.9") == "ru"
    assert language_of(None, "kk-KZ") == "kk"
    assert language_of(None, "en;q=0, fr") == "ru"
    assert language_of(None, "en;q=nan, kk;q=abc") == "ru"
    assert language_of(None, None) == "ru"


def test_accept_language_reaches_the_page(any_ledger: Ledger, web: TestClient) -> None:
    ids = one_of_each(any_ledger)
    answer = web.get(f"/status/{ids[State.HELD]}", headers={"Accept-Language": "kk-KZ,kk"})
    assert TEXTS["held"]["kk"] in visible(answer.text)
    answer = web.get(f"/status/{ids[State.HELD]}")
    assert TEXTS["held"]["ru"] in visible(answer.text)


def random_account(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return "wmk", "K" + "".join(rng.choice("0123456789") for _ in range(12))
    return rng.choice(["kaspi", "qplus"]), "+7701" + "".join(
        rng.choice("0123456789") for _ in range(7)
    )


def test_the_account_is_never_shown_only_its_last_two_digits(
    any_ledger: Ledger, web: TestClient
) -> None:
    rng = random.Random(18)
    accounts = [random_account(rng) for _ in range(40)]
    ids = [
        post(any_ledger, seq, service=service, account=account)
        for seq, (service, account) in enumerate(accounts, start=1)
    ]
    for operation_id, (_service, account) in zip(ids, accounts, strict=True):
        for lang in LANGS:
            html = web.get(f"/status/{operation_id}", params={"lang": lang}).text
            assert account not in html and account.lstrip("+K") not in html
            assert mask_account(account) not in html  # the look-up's mask shows more
            assert account[:-2][-6:] not in html  # nothing of the number before its tail
            assert f"**** {account[-2:]}" in html


def test_last_two_digits_only() -> None:
    assert last_two_digits("+77011234567") == "**** 67"
    assert last_two_digits("K123456789012") == "**** 12"
    assert last_two_digits("1234") == "****"
    assert last_two_digits("ABCDEFGH") == "****"


def count_queries(ledger: Ledger) -> list[str]:
    seen: list[str] = []

    def listener(*args: Any) -> None:
        seen.append(args[2])

    event.listen(ledger.engine, "before_cursor_execute", listener)
    return seen


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_id_gets_the_helpful_404(web: TestClient, lang: Lang) -> None:
    answer = web.get("/status/0190a0b0-0000-7000-8000-000000000999", params={"lang": lang})
    assert answer.status_code == 404
    text = visible(answer.text)
    for key in ("not_found", "not_found_offline", "not_found_check", "not_found_call"):
        assert TEXTS[key][lang] in text
    assert PHONE in text
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "bad",
    [
        "x",
        "0190a0b0-0000-7000-8000-00000000099",  # one digit short
        "0190a0b0-0000-7000-8000-0000000009999",
        "0190a0b0_0000_7000_8000_000000000999",
        "' OR 1=1 --",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "a" * 5000,
        "０１９０a0b0-0000-7000-8000-000000000999",  # full-width digits
    ],
)
def test_a_malformed_id_gets_the_404_without_a_query(
    any_ledger: Ledger, web: TestClient, bad: str
) -> None:
    queries = count_queries(any_ledger)
    answer = web.get(f"/status/{bad}", params={"lang": "en"})
    assert answer.status_code == 404
    assert TEXTS["not_found"]["en"] in answer.text
    assert "<script>" not in answer.text
    assert queries == []
    answer = web.get("/status/", params={"op": bad, "lang": "en"})
    assert answer.status_code == 404 and queries == []


def test_an_upper_case_id_and_the_op_query_find_the_payment(
    any_ledger: Ledger, web: TestClient
) -> None:
    ids = one_of_each(any_ledger)
    credited = ids[State.CREDITED]
    assert web.get(f"/status/{credited.upper()}").status_code == 200
    for path in ("/status", "/status/"):
        answer = web.get(path, params={"op": credited, "lang": "en"})
        assert answer.status_code == 200 and TEXTS["credited"]["en"] in answer.text
        assert f"?op={credited}&amp;lang=kk" in answer.text  # language links keep it
    form = web.get("/status/", params={"lang": "kk"})
    assert form.status_code == 200 and TEXTS["ask_button"]["kk"] in form.text


@pytest.mark.parametrize("lang", LANGS)
def test_past_the_ration_a_429_page_with_retry_after(
    any_ledger: Ledger, web: TestClient, lang: Lang
) -> None:
    clock = Manual()
    web.app.state.status_page.bucket = TokenBucket(burst=3, rate_per_s=0.5, clock=clock)  # type: ignore[attr-defined]
    unknown = "/status/0190a0b0-0000-7000-8000-000000000999"
    assert [web.get(unknown).status_code for _ in range(3)] == [404] * 3
    queries = count_queries(any_ledger)
    refused = web.get(unknown, params={"lang": lang})
    assert refused.status_code == 429 and queries == []
    assert refused.headers["retry-after"] == "2"
    assert TEXTS["too_many_detail"][lang].replace("%1", "2") in visible(refused.text)
    assert refused.headers["cache-control"] == "no-store"
    clock.now += 2.0
    assert web.get(unknown).status_code == 404


def test_the_bucket_is_per_address_and_bounded() -> None:
    clock = Manual()
    bucket = TokenBucket(burst=2, rate_per_s=1.0, max_clients=100, clock=clock)
    assert [bucket.take("a"), bucket.take("a"), bucket.take("a")] == [None, None, 1]
    assert bucket.take("b") is None
    for n in range(1000):
        bucket.take(f"10.0.{n // 256}.{n % 256}")
    assert len(bucket) == 100
    clock.now += 0.5
    assert bucket.take("10.0.3.231") is None  # recent: kept, a token left


def test_the_headers_forbid_scripts_framing_referrers_sniffing_and_caching(
    any_ledger: Ledger, web: TestClient
) -> None:
    ids = one_of_each(any_ledger)
    for operation_id in [*ids.values(), "0190a0b0-0000-7000-8000-000000000999", "bad"]:
        answer = web.get(f"/status/{operation_id}")
        headers = answer.headers
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["content-type"].startswith("text/html")
        csp = dict(
            part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
        )
        assert csp["frame-ancestors"] == "'none'" and csp["default-src"] == "'none'"
        assert csp["script-src"] == "'none'"
        assert "unsafe-inline" not in headers["content-security-policy"]
        [style] = re.findall(r"<style>(.*?)</style>", answer.text, re.S)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert csp["style-src"] == f"'sha256-{digest}'"  # the inline CSS is the one allowed
        assert "<script" not in answer.text.lower()


def test_the_page_needs_no_signature_and_the_api_still_does(web: TestClient) -> None:
    assert web.get("/status/bad").status_code == 404
    assert web.get("/v1/payments/0190a0b0-0000-7000-8000-000000000999").status_code == 401


def test_without_a_configured_phone_the_page_points_to_the_receipt(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SUPPORT_PHONE_ENV, raising=False)
    with TestClient(create_app(ledger)) as client:
        answer = client.get("/status/0190a0b0-0000-7000-8000-000000000999?lang=en")
    assert TEXTS["phone_on_receipt"]["en"] in answer.text


def test_a_malformed_configured_phone_stops_the_app(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SUPPORT_PHONE_ENV, "call Aigerim")
    with pytest.raises(ValueError, match="not a phone number"):
        create_app(ledger)


def test_support_phone_format() -> None:
    assert parse_support_phone(" +7 (727) 000-00-00 ") == "+7 (727) 000-00-00"
    assert parse_support_phone("1414 5") == "1414 5"
    for bad in ("", "call us", "+7 727 000 00 00 ext 5", "++77270000000", "1" * 16, "12"):
        with pytest.raises(ValueError, match="not a phone number"):
            parse_support_phone(bad)


def test_serve_refuses_a_malformed_support_phone(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SUPPORT_PHONE_ENV, raising=False)
    code = cli.main(["ledger", "serve", "--db", sqlite_url, "--support-phone", "call me"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--support-phone" in err and "not a phone number" in err and "+7 727" in err
    monkeypatch.setenv(SUPPORT_PHONE_ENV, "nonsense")
    assert cli.main(["ledger", "serve", "--db", sqlite_url]) == 2
    assert SUPPORT_PHONE_ENV in capsys.readouterr().err


# The QR round trip ------------------------------------------------------------------------


def printed_qr(status_url: str, operation_id: str, account: str, tmp_path: Path) -> list[str]:
    """Print a receipt through the kiosk's ESC/POS path to the simulated printer, render the
    paper and read its QR codes with zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from drivers.printer import EscposDriver
    from drivers.sim.printer.render import render_png
    from kiosk.printing import EscposReceiptPrinter
    from kiosk.receipts import ReceiptFields

    fields = ReceiptFields(
        receipt_number=1,
        operation_id=operation_id,
        paid_at_ms=1_767_261_600_000,
        terminal_id=TERMINAL,
        terminal_address="Almaty, Abay Ave 10",
        agent_name="Demo Payments LLP",
        agent_bin="060640010247",
        support_phone=PHONE,
        service_id="kaspi",
        service_name="Kaspi",
        operator_name="Kaspi Bank",
        operator_bin=None,
        operator_phone="9999",
        account=account,
        inserted=500_000,
        commission=0,
        credited=500_000,
        currency="KZT",
        recovered=False,
        status_url=status_url,
    )
    driver = EscposDriver.open("sim://", "TM-T88V")
    printer = EscposReceiptPrinter(driver)
    printer.print_receipt("", fields, "ru", duplicate=False)
    [page] = driver.device.simulator.pages
    image = render_png(page, dots=driver.profile.dots, columns=driver.profile.columns)
    image.save(tmp_path / "receipt.png")
    return [found.text for found in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("form", ["base", "placeholder"])
def test_the_printed_qr_opens_the_payment_on_a_real_ledger(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, form: str
) -> None:
    monkeypatch.setenv(SUPPORT_PHONE_ENV, PHONE)
    operation_id = post(any_ledger, 1, service="kaspi", account=KASPI, notes=[500_000])
    server = LedgerThread(any_ledger).start()
    try:
        base = f"{server.url}/status"
        status_url = base if form == "base" else base + "/{operation_id}"
        [url] = printed_qr(status_url, operation_id, KASPI, tmp_path)
        assert operation_id in url and url.startswith(server.url)
        answer = httpx.get(url, headers={"Accept-Language": "ru"}, timeout=10)
    finally:
        server.stop()
    assert answer.status_code == 200
    text = visible(answer.text)
    assert shown(500_000, "ru") in text and TEXTS["credited"]["ru"] in text
    assert KASPI not in answer.text and KASPI.lstrip("+") not in answer.text


def test_the_demo_receipts_qr_points_at_the_embedded_ledgers_status_page(
    tmp_path: Path,
) -> None:
    from kiosk.receipts import status_link
    from kiosk.sim.ui.demo import start_demo

    demo = start_demo(tmp_path, poll_interval=0.02, tick_s=0.05)
    try:
        assert demo.link is not None
        ledger_url = demo.link.embedded[1].url
        status_url = demo.config.terminal.status_url
        assert status_url == f"{ledger_url}/status/{{operation_id}}"
        unknown = "0190a0b0-0000-7000-8000-000000000999"
        answer = httpx.get(status_link(status_url, unknown), timeout=10)
    finally:
        demo.close()
    assert answer.status_code == 404 and TEXTS["not_found"]["ru"] in answer.text


@pytest.mark.parametrize("lang", LANGS)
def test_a_database_failure_is_a_503_page_not_a_trace(
    any_ledger: Ledger, web: TestClient, lang: Lang
) -> None:
    from sqlalchemy import text

    with any_ledger.engine.begin() as connection:
        connection.execute(text("ALTER TABLE suspense_releases RENAME TO gone"))
    answer = web.get("/status/0190a0b0-0000-7000-8000-000000000999", params={"lang": lang})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
    assert TEXTS["unavailable"][lang] in answer.text and PHONE in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert "Traceback" not in answer.text and "gone" not in answer.text
