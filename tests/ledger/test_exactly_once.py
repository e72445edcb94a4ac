"""Exactly once under concurrency: the same payments posted at the same moment by several
threads and several server processes credit each wallet once, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sync.ledger.models import Wallet
from sync.ledger.schema import PaymentIn
from sync.ledger.service import Ledger
from tests.ledger.helpers import TERMINAL, TerminalClient, payment_dict, serve_child

PHONES = [f"+7701{n:07d}" for n in range(1, 6)]  # five new QPlus wallets
BATCH = [payment_dict(seq, service="qplus", account=PHONES[seq % 5], notes=[100_000])
         for seq in range(1, 31)]
WAIT = 60.0


def credited_total(ledger: Ledger) -> int:
    with ledger.engine.connect() as connection:
        balances = connection.execute(select(Wallet.balance).where(
            Wallet.account.in_(PHONES))).scalars().all()
    return sum(balances)


def run_together(workers: list[Callable[[], list[dict[str, Any]]]]) -> list[list[dict[str, Any]]]:
    """Start every worker at the same moment (a barrier), wait for all, re-raise failures."""
    barrier = threading.Barrier(len(workers))
    answers: list[list[dict[str, Any]] | None] = [None] * len(workers)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(WAIT)
            answers[index] = workers[index]()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    if errors:
        raise errors[0]
    assert all(answer is not None for answer in answers), "a worker did not finish in time"
    return [answer for answer in answers if answer is not None]


def assert_credited_once(answers: list[list[dict[str, Any]]], ledger: Ledger) -> None:
    statuses = Counter((item["operation_id"], item["status"]) for answer in answers
                       for item in answer)
    for body in BATCH:
        assert statuses[(body["operation_id"], "accepted")] == 1
        assert statuses[(body["operation_id"], "duplicate")] == len(answers) - 1
    assert credited_total(ledger) == 98_000 * len(BATCH)  # qplus: 2 % of 1 000 ₸
    books = ledger.audit()
    assert books.balanced and books.payments == len(BATCH) and books.credited == 2_940_000


def shuffled(seed: int) -> list[dict[str, Any]]:
    batch = list(BATCH)
    random.Random(seed).shuffle(batch)  # other orders: lock ordering must not deadlock
    return batch


def test_threads_posting_the_same_batch_credit_once(
        any_url: str, make_ledger: Callable[..., Ledger]) -> None:
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
def two_servers(any_url: str, wallet_file: Path,
                make_ledger: Callable[..., Ledger]) -> Iterator[tuple[Ledger, str, list[str]]]:
    """Two ``kiosk ledger serve`` processes on one database, on free loopback ports."""
    ledger = make_ledger(any_url)
    secret = ledger.add_terminal(TERMINAL)
    with ExitStack() as servers:
        # One after the other: each migrates and seeds at start.
        urls = [servers.enter_context(serve_child(any_url, "--wallets", str(wallet_file)))[1]
                for _ in range(2)]
        yield ledger, secret, urls


def post_together(urls: list[str], secret: str, clients: int) -> list[list[dict[str, Any]]]:
    """The batch, each client in its own order, posted at once by ``clients`` terminals'
    connections spread over ``urls``, signed with the wall clock (as the servers check)."""
    connections = [TerminalClient(urls[index % len(urls)], TERMINAL, secret, time.time)
                   for index in range(clients)]
    try:
        return run_together([
            partial(client.post_payments, shuffled(index))
            for index, client in enumerate(connections)])
    finally:
        for client in connections:
            client.close()


def test_server_processes_posting_the_same_batch_credit_once(
        two_servers: tuple[Ledger, str, list[str]]) -> None:
    ledger, secret, urls = two_servers
    answers = post_together(urls, secret, 4)
    assert_credited_once(answers, ledger)
