"""``kiosk outbox list`` and ``kiosk outbox retry``: the technician's view of the queue, and
sending a refused payment again, credited once."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kiosk as kiosk_package
from kiosk.cli import main
from kiosk.domain.money import Money
from sync.outbox import OutboxWorker
from tests.sync.helpers import Kiosk, Reply, StubLedger, accept_payments

CONFIG = """\
[terminal]
id = "KZ-ALA-0001"
address = "Almaty, Abay Ave 10"
agent_name = "Demo Payments LLP"
agent_bin = "060640010247"
support_phone = "+7 727 000 00 00"

[devices.validator]
protocol = "sim"

[storage]
url = "{url}"

[limits]
mrp = 432500
"""
NUMBERS = ["+77051234567", "+77071234567", "+77771234567"]


@pytest.fixture
def config_file(kiosk: Kiosk, tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG.format(url=kiosk.store.url))
    return path


def refuse_one(refused_id: str) -> Callable[[bytes], Reply]:
    def answer(body: bytes) -> Reply:
        ids = [p["operation_id"] for p in json.loads(body)["payments"]]
        if refused_id in ids:
            return Reply(422, b'{"detail":"service tele2 is closed for this agent"}')
        return accept_payments(body)

    return answer


def worker_on(kiosk: Kiosk, stub: StubLedger) -> OutboxWorker:
    stub.routes[("POST", "/v1/heartbeat")] = Reply(body=b"{}")
    return OutboxWorker(kiosk.store, stub.client(), kiosk.clock, random.Random(3))


def run_until_idle(worker: OutboxWorker, rounds: int = 20) -> None:
    for _ in range(rounds):
        worker.retry_now()
        worker.step()


def listing(config_file: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["outbox", "list", "--json", "--config", str(config_file)]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_list_shows_waiting_payments_with_masked_accounts(
    kiosk: Kiosk, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [kiosk.pay("beeline", number, 1000, 500) for number in NUMBERS]

    assert main(["outbox", "list", "--config", str(config_file)]) == 0
    out = capsys.readouterr().out
    report = listing(config_file, capsys)

    assert out.splitlines()[0] == (
        f"waiting: 3 (3 payments, {Money(450000).format('en')}); refused: 0; conflict: 0"
    )
    assert all(op in out for op in ids) and "+7 705 *** ** 67" in out
    assert not any(number in out for number in NUMBERS)
    assert report["summary"] == {
        "waiting": 3,
        "waiting_payments": 3,
        "waiting_amount": 450000,
        "refused": 0,
        "conflict": 0,
    }
    items = report["items"]
    assert isinstance(items, list)
    assert [(i["state"], i["kind"], i["id"], i["amount"], i["attempts"]) for i in items] == [
        ("waiting", "payment", op, 150000, 0) for op in ids
    ]
    assert not any(number in json.dumps(report) for number in NUMBERS)


def test_a_refused_payment_is_listed_with_why_and_retry_sends_it_again_once(
    kiosk: Kiosk, config_file: Path, stub: StubLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [kiosk.pay("beeline", number, 1000, 500) for number in NUMBERS]
    stub.routes[("POST", "/v1/payments")] = refuse_one(ids[1])
    run_until_idle(worker_on(kiosk, stub))

    items = listing(config_file, capsys)["items"]
    assert isinstance(items, list) and len(items) == 1
    assert (items[0]["state"], items[0]["id"]) == ("refused", ids[1])
    assert items[0]["last_error"] == "HTTP 422: service tele2 is closed for this agent"

    assert main(["outbox", "retry", ids[1], "--config", str(config_file)]) == 0
    assert capsys.readouterr().out == f"put back in the queue: {ids[1]}\n"
    assert listing(config_file, capsys)["summary"]["waiting"] == 1

    before = len(stub.seen)
    stub.routes[("POST", "/v1/payments")] = accept_payments
    run_until_idle(worker_on(kiosk, stub))

    assert listing(config_file, capsys)["items"] == []
    resent = [
        p["operation_id"]
        for seen in stub.seen[before:]
        if seen.path == "/v1/payments"
        for p in json.loads(seen.body)["payments"]
    ]
    assert resent == [ids[1]]


def test_retry_all_puts_back_every_refused_item(
    kiosk: Kiosk, config_file: Path, stub: StubLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [kiosk.pay("beeline", number, 1000, 500) for number in NUMBERS]
    stub.routes[("POST", "/v1/payments")] = refuse_one(ids[0])
    run_until_idle(worker_on(kiosk, stub))

    assert main(["outbox", "retry", "--all", "--config", str(config_file)]) == 0

    assert capsys.readouterr().out == "put back in the queue: 1 refused item(s)\n"
    assert [i["state"] for i in listing(config_file, capsys)["items"]] == ["waiting"]


def test_retry_of_an_item_that_is_not_refused_is_one_line_exit_2(
    kiosk: Kiosk, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waiting = kiosk.pay("beeline", NUMBERS[0], 1000)

    assert main(["outbox", "retry", waiting, "--config", str(config_file)]) == 2
    assert capsys.readouterr().err == (
        f"kiosk outbox: error: {waiting} is waiting, not refused: only a refused item can be "
        "sent again\n"
    )
    assert main(["outbox", "retry", "no-such-id", "--config", str(config_file)]) == 2
    assert capsys.readouterr().err == (
        "kiosk outbox: error: no refused item no-such-id in the outbox (see 'kiosk outbox list')\n"
    )


def test_a_config_without_a_kiosk_database_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG.format(url=f"sqlite:///{tmp_path / 'absent.db'}"))

    assert main(["outbox", "list", "--config", str(path)]) == 2

    err = capsys.readouterr().err
    assert err == (
        f"kiosk outbox: error: no kiosk database at {tmp_path / 'absent.db'} "
        f"(storage.url of {path})\n"
    )
    assert not (tmp_path / "absent.db").exists()


def test_the_installed_command_lists_as_json(kiosk: Kiosk, config_file: Path) -> None:
    operation_id = kiosk.pay("beeline", NUMBERS[0], 1000)
    repository = Path(kiosk_package.__file__).parents[1]

    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "outbox", "list", "--json", "--config", str(config_file)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=repository,
    )

    assert run.returncode == 0, run.stderr
    assert [i["id"] for i in json.loads(run.stdout)["items"]] == [operation_id]
