"""Exactly once under concurrency: the same payments posted at the same moment by several
threads and several server processes credit each wallet once, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from sync.ledger.schema import PaymentIn
from sync.ledger.service import Ledger
from tests.ledger.concurrency import assert_credited_once, post_together, run_together, shuffled
from tests.ledger.helpers import TERMINAL, serve_child


def test_threads_posting_the_same_batch_credit_once(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    # Three ledgers on one database stand for three server workers, two threads each.
    ledgers = [make_ledger(any_url) for _ in range(3)]

    def worker(index: int) -> Callable[[], list[dict[str, Any]]]:
        def post() -> list[dict[str, Any]]:
            batch = [PaymentIn.model_validate(body) for body in shuffled(index)]
            results = ledgers[index % 3].post_payments(TERMINAL, batch)
            return [result.model_dump(mode="json") for result in results]

        return post

    answers = run_together([worker(index) for index in range(6)])
    assert_credited_once(answers, ledgers[0])


@pytest.fixture
def two_servers(
    any_url: str, wallet_file: Path, make_ledger: Callable[..., Ledger]
) -> Iterator[tuple[Ledger, str, list[str]]]:
    """Two ``kiosk ledger serve`` processes on one database, on free loopback ports."""
    ledger = make_ledger(any_url)
    secret = ledger.add_terminal(TERMINAL)
    with ExitStack() as servers:
        # One after the other: each migrates and seeds at start.
        urls = [
            servers.enter_context(serve_child(any_url, "--wallets", str(wallet_file)))[1]
            for _ in range(2)
        ]
        yield ledger, secret, urls


def test_server_processes_posting_the_same_batch_credit_once(
    two_servers: tuple[Ledger, str, list[str]],
) -> None:
    ledger, secret, urls = two_servers
    answers = post_together(urls, secret, 4)
    assert_credited_once(answers, ledger)
