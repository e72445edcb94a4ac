"""Fixtures of the console tests: a real ledger server on loopback (SQLite, and PostgreSQL
where the private cluster runs), its users, and browsers keeping cookies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from sync.ledger.users import Users
from tests.ledger.console.helpers import PASSWORD, Browser


@pytest.fixture
def console_ledger(make_ledger: Callable[..., Ledger], any_url: str) -> Ledger:
    return make_ledger(any_url)


@pytest.fixture
def users(console_ledger: Ledger) -> Users:
    """The ledger's users: an admin, an operator and a viewer, all with PASSWORD."""
    users = Users(console_ledger.engine, console_ledger.clock)
    for name, role in (("admin1", "admin"), ("oper1", "operator"), ("view1", "viewer")):
        users.add(name, role, PASSWORD, "test", "the test's users")
    return users


@pytest.fixture
def server(console_ledger: Ledger, users: Users) -> Iterator[LedgerThread]:
    with LedgerThread(console_ledger) as running:
        yield running


@pytest.fixture
def browser(server: LedgerThread) -> Iterator[Callable[[], Browser]]:
    opened: list[Browser] = []

    def make() -> Browser:
        opened.append(Browser(server.url))
        return opened[-1]

    yield make
    for each in opened:
        each.close()
