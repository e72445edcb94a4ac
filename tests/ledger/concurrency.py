"""The same batch of payments posted at the same moment by many workers, and the check that
each was credited once: shared by the exactly-once tests and the worker-pool tests."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import select

from sync.ledger.models import Wallet
from sync.ledger.service import Ledger
from tests.ledger.helpers import TERMINAL, TerminalClient, payment_dict

PHONES = [f"+7701{n:07d}" for n in range(1, 6)]  # five new QPlus wallets
BATCH = [
    payment_dict(seq, service="qplus", account=PHONES[seq % 5], notes=[100_000])
    for seq in range(1, 31)
]
WAIT = 60.0


def credited_total(ledger: Ledger) -> int:
    with ledger.engine.connect() as connection:
        balances = (
            connection.execute(select(Wallet.balance).where(Wallet.account.in_(PHONES)))
            .scalars()
            .all()
        )
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
    statuses = Counter(
        (item["operation_id"], item["status"]) for answer in answers for item in answer
    )
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


def post_together(urls: list[str], secret: str, clients: int) -> list[list[dict[str, Any]]]:
    """The batch, each client in its own order, posted at once by ``clients`` terminals'
    connections spread over ``urls``, signed with the wall clock (as the servers check)."""
    connections = [
        TerminalClient(urls[index % len(urls)], TERMINAL, secret, time.time)
        for index in range(clients)
    ]
    try:
        return run_together(
            [
                partial(client.post_payments, shuffled(index))
                for index, client in enumerate(connections)
            ]
        )
    finally:
        for client in connections:
            client.close()
