"""``kiosk ledger serve --workers N``: N stateless processes on one PostgreSQL and one socket.

The same payments posted at the same moment through many connections to a four-worker pool
credit each operation once and keep the books balanced; a worker that dies is started again;
SIGTERM stops the whole pool and leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from sync.ledger.service import Ledger
from tests.ledger.concurrency import BATCH, WAIT, assert_credited_once, post_together
from tests.ledger.helpers import ROOT, TERMINAL, serve_child
from tests.ledger.pgcluster import PrivateCluster
from tests.waiting import wait_for

WORKERS = 4


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc), zombies left out."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def workers_of(pid: int) -> set[int]:
    """The pool's worker processes: spawned children (the resource tracker left out)."""
    found = set()
    for child in children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:
            continue
    return found


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def pool(
    pg_cluster: PrivateCluster, wallet_file: Path, make_ledger: Callable[..., Ledger]
) -> Iterator[tuple[Ledger, str, str, subprocess.Popen[str]]]:
    url = pg_cluster.create_database()
    ledger = make_ledger(url)
    secret = ledger.add_terminal(TERMINAL)
    with serve_child(url, "--wallets", str(wallet_file), "--workers", str(WORKERS)) as (
        process,
        base,
    ):
        wait_for(lambda: len(workers_of(process.pid)) == WORKERS, WAIT, f"{WORKERS} workers")
        wait_for(lambda: healthy(base), WAIT, "the pool to answer /health")
        yield ledger, secret, base, process


def test_four_workers_posting_the_same_payments_credit_each_once(
    pool: tuple[Ledger, str, str, subprocess.Popen[str]],
) -> None:
    ledger, secret, base, process = pool
    assert len(workers_of(process.pid)) == WORKERS
    # Eight clients with their own connections; the kernel spreads them over the workers.
    answers = post_together([base], secret, 8)
    assert_credited_once(answers, ledger)
    assert len(answers) == 8 and all(len(answer) == len(BATCH) for answer in answers)


def test_a_dead_worker_is_replaced_and_sigterm_stops_the_pool(
    pool: tuple[Ledger, str, str, subprocess.Popen[str]],
) -> None:
    _ledger, _secret, base, process = pool
    before = workers_of(process.pid)
    victim = max(before)
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: victim not in workers_of(process.pid) and len(workers_of(process.pid)) == WORKERS,
        WAIT,
        "a replacement worker",
    )
    wait_for(lambda: healthy(base), WAIT, "the pool to answer after the loss")
    everyone = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(WAIT) == 0
    wait_for(
        lambda: not any(Path(f"/proc/{pid}").exists() for pid in everyone),
        10.0,
        "every worker to end with the pool",
    )
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{base}/health", timeout=2.0)


def test_several_workers_refuse_sqlite(sqlite_url: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ledger.cli_child",
            "ledger",
            "serve",
            "--db",
            sqlite_url,
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode != 0
    assert "--workers 2 needs PostgreSQL" in result.stderr
