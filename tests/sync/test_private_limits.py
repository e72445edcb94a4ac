"""The kiosk takes no more than the wallet can receive, and never says how much that is
(docs/decisions/016): a real ledger on loopback, the core fed acceptor events."""

from __future__ import annotations

from sqlalchemy import text

from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.catalog_file import load_catalog
from kiosk.checks import TRY_LATER
from kiosk.domain.clock import SystemClock
from kiosk.domain.limits import WalletStatus as Status
from kiosk.session import State
from sync.client import LedgerClient
from sync.ledger.ration import Rule
from sync.ledger.server import LedgerThread
from sync.ledger.wallets import WalletSeed, WalletState, seed_wallets
from tests.sync.helpers import TERMINAL, Kiosk, Link

NEARLY_FULL = "+77015550000"
MRP = 432_500


def seed_nearly_full(link: Link) -> None:
    """A basic Kaspi wallet 5 000 tenge under its balance limit of 300 MRP."""
    seed = WalletSeed(
        "kaspi", NEARLY_FULL, Status.BASIC, WalletState.ACTIVE, None, 300 * MRP - 500_000
    )
    with link.ledger.engine.begin() as connection:
        seed_wallets(connection, load_catalog(), [seed])


def note(kiosk: Kiosk, tenge: int) -> Decision | None:
    decision = kiosk.core.on_acceptor_event(Escrow(tenge * 100, 2))
    if decision is Decision.STACK:
        kiosk.core.on_acceptor_event(Stacked(tenge * 100, 2))
    return decision


def test_the_screen_shows_the_operation_limit_and_a_note_over_the_room_comes_back(
    link: Link, kiosk: Kiosk
) -> None:
    seed_nearly_full(link)
    kiosk.drain()  # the worker has met the ledger: the kiosk is online
    kiosk.core.choose_service("kaspi")
    assert kiosk.core.enter_account(NEARLY_FULL).ok
    assert kiosk.core.confirm_account().ok
    kiosk.core.start_cash()
    shown = kiosk.core.snapshot()
    # The public cap (one payment of a basic wallet, 100 MRP), never the 5 000 tenge room.
    assert shown.limit_reason == "operation_limit"
    assert shown.max_more.tiyn == 100 * MRP and not shown.wallet_full
    assert note(kiosk, 2000) is Decision.STACK
    assert note(kiosk, 2000) is Decision.STACK
    assert note(kiosk, 2000) is Decision.RETURN  # 6 000 would go over what the wallet takes
    returned = kiosk.core.snapshot().last_returned
    assert returned is not None and returned.reason == "wallet_limit"
    assert note(kiosk, 1000) is Decision.STACK
    full = kiosk.core.snapshot()
    assert full.inserted.tiyn == 500_000 and full.wallet_full
    assert full.max_more.tiyn == 100 * MRP - 500_000  # still the public figure
    kiosk.core.pay()
    kiosk.drain()
    assert link.ledger.audit().balanced
    with kiosk.store.reading() as session:
        rooms = session.execute(text("SELECT balance_room, daily_room FROM sessions")).all()
    assert rooms == [(None, None)]  # the room is not kept on the kiosk


def test_a_rationed_check_asks_the_customer_to_try_again_and_takes_no_cash(
    link: Link, kiosk: Kiosk
) -> None:
    # The same ledger served with a ration of one check per ten minutes.
    with LedgerThread(link.ledger, rations={"account_check": Rule(1, 600.0)}) as served:
        checker = LedgerClient(served.url, TERMINAL, link.secret, SystemClock(), timeout=2.0)
        kiosk.core.checker = checker
        kiosk.drain()
        try:
            kiosk.core.choose_service("kaspi")
            assert kiosk.core.enter_account(NEARLY_FULL).ok
            assert kiosk.core.confirm_account().ok
            kiosk.core.cancel()
            kiosk.core.choose_service("kaspi")
            assert kiosk.core.enter_account(NEARLY_FULL).ok
            refused = kiosk.core.confirm_account()
            assert (refused.ok, refused.code, refused.offline) == (False, TRY_LATER, False)
            assert refused.retry_after == 600.0
            # Not taken as "offline": the session waits for the customer to try again.
            assert kiosk.core.snapshot().state is State.ACCOUNT_ENTERED
        finally:
            checker.close()
