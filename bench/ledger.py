"""Ledger ingestion benchmark: payments/s posted in batches of 100 over HTTP, and p99 per batch.

Runs the real ledger (uvicorn on loopback, signed requests) on a SQLite file and on a private
PostgreSQL cluster (fsync on), and prints one JSON object. Targets (issue #5): SQLite ≥ 3,000
payments/s, PostgreSQL ≥ 5,000 payments/s, 10,000 payments queued in a kiosk's outbox during
an outage drained in ≤ 15 s (``drain_10000_s``: the kiosk's own outbox worker and client).
The machine may be shared with other work: the JSON says how busy it was before the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the test helpers live in the repository
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from kiosk.catalog_file import load_catalog  # noqa: E402
from kiosk.domain.clock import SystemClock  # noqa: E402
from kiosk.domain.money import Money  # noqa: E402
from kiosk.store.db import Store  # noqa: E402
from kiosk.store.models import OutboxItem  # noqa: E402
from sync.auth import signed_headers  # noqa: E402
from sync.client import LedgerClient  # noqa: E402
from sync.ledger.sealing import KEY_ENV  # noqa: E402
from sync.ledger.server import LedgerThread  # noqa: E402
from sync.ledger.service import Ledger  # noqa: E402
from sync.outbox import OutboxWorker  # noqa: E402
from tests.ledger.pgcluster import ClusterUnavailable, PrivateCluster  # noqa: E402

BATCH = 100
DRAIN = 10_000  # payments queued during the outage
POPULATION = 10**6  # numbers per service: most payments go to a wallet new to the ledger
SERVICES = ("qplus", "kaspi", "beeline", "kcell")
PHONES = {"qplus": "701", "kaspi": "702", "beeline": "705", "kcell": "775"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def batches(terminal: str, count: int, first_seq: int = 1) -> Iterator[list[dict[str, Any]]]:
    """Kiosk-shaped payments to random accounts of four services, commission per catalog."""
    catalog = load_catalog()
    rng = random.Random(terminal)  # each kiosk its own customers, as in a city
    seq = first_seq
    for _ in range(count):
        batch = []
        for _ in range(BATCH):
            service = SERVICES[seq % len(SERVICES)]
            notes = [100_000, 200_000][seq % 2 :]
            split = catalog.get(service).commission.breakdown(Money(sum(notes)))
            batch.append(
                {
                    "operation_id": f"{terminal}-{seq:012d}",
                    "local_seq": seq,
                    "receipt_number": seq,
                    "terminal_id": terminal,
                    "service": service,
                    "account": f"+7{PHONES[service]}{rng.randrange(POPULATION):07d}",
                    "inserted": split.inserted.tiyn,
                    "commission": split.commission.tiyn,
                    "credited": split.credited.tiyn,
                    "currency": "KZT",
                    "created_at": "2026-01-01T10:00:00.000+00:00",
                    "notes": notes,
                    "offline": False,
                    "recovered": False,
                    "completion": "pay",
                    "catalog_version": catalog.version,
                }
            )
            seq += 1
        yield batch


class Kiosk:
    """One kiosk's connection: signed ``POST /v1/payments`` over a keep-alive socket.

    The standard library's client, not httpx: the kiosks are other machines in reality, and
    here they share the ledger's two cores, so their side is kept lean. Every request is still
    signed at send time and every answer parsed and checked item by item.
    """

    def __init__(self, url: str, terminal_id: str, secret: str) -> None:
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.terminal_id, self.secret = terminal_id, secret
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.connection.connect()
        # Without TCP_NODELAY the body waits for the ACK of the headers (~40 ms).
        assert self.connection.sock is not None
        self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def post(self, body: bytes) -> list[dict[str, Any]]:
        headers = signed_headers(
            self.terminal_id, self.secret, "POST", "/v1/payments", body, time.time()
        )
        headers["Content-Type"] = "application/json"
        self.connection.request("POST", "/v1/payments", body=body, headers=headers)
        response = self.connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {answer[:200]!r}")
        results: list[dict[str, Any]] = json.loads(answer)["results"]
        return results

    def close(self) -> None:
        self.connection.close()


def post_all(targets: dict[str, list[str]], batches_each: int) -> dict[str, Any]:
    """The kiosks' side (run in its own process, as kiosks are other machines): every kiosk
    posts its batches back to back; returns the elapsed time, each batch's latency and the
    CPU this process used while posting."""
    bodies = {
        terminal: [
            json.dumps({"payments": batch}).encode() for batch in batches(terminal, batches_each)
        ]
        for terminal in targets
    }
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(targets) + 1)

    def kiosk(terminal: str) -> None:
        url, secret = targets[terminal]
        client = Kiosk(url, terminal, secret)
        try:
            barrier.wait()
            for body in bodies[terminal]:
                start = time.perf_counter()
                results = client.post(body)
                took = time.perf_counter() - start
                if len(results) != BATCH or any(item["status"] != "accepted" for item in results):
                    errors.append(f"{terminal}: not all accepted")
                with lock:
                    latencies.append(took)
        except Exception as exc:  # noqa: BLE001 - reported in the JSON, not lost in a thread
            errors.append(f"{terminal}: {exc}")
        finally:
            client.close()

    threads = [threading.Thread(target=kiosk, args=(terminal,)) for terminal in targets]
    for thread in threads:
        thread.start()
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    return {
        "seconds": time.perf_counter() - started,
        "latencies": latencies,
        "errors": errors,
        "kiosks_cpu_s": time.process_time() - cpu,
    }


@contextmanager
def serving(ledger: Ledger, url: str, servers: int) -> Iterator[list[str]]:
    """The ledger on a thread here, or on ``servers`` ``kiosk ledger serve`` processes."""
    if servers <= 1:
        with LedgerThread(ledger) as server:
            yield [server.url]
        return
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.ledger.cli_child",
                "ledger",
                "serve",
                "--db",
                url,
                "--listen",
                "127.0.0.1:0",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(servers)
    ]
    try:
        yield [
            json.loads(process.stdout.readline())["url"]
            for process in processes
            if process.stdout is not None
        ]
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)


def ingest(url: str, kiosks: int, batches_each: int, servers: int = 1) -> dict[str, Any]:
    """Serve the ledger; ``kiosks`` terminals post from a separate process at once."""
    ledger = Ledger.open(url)
    terminals = [f"KZ-BEN-{n:04d}" for n in range(kiosks)]
    secrets = {terminal: ledger.add_terminal(terminal) for terminal in terminals}
    with serving(ledger, url, servers) as urls:
        targets = {
            terminal: [urls[index % len(urls)], secrets[terminal]]
            for index, terminal in enumerate(terminals)
        }
        child = subprocess.run(
            [sys.executable, __file__, "--client", "-", "--batches", str(batches_each)],
            input=json.dumps(targets),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    posted = json.loads(child.stdout)
    books = ledger.audit()
    ledger.close()
    latencies, elapsed = posted["latencies"], posted["seconds"]
    payments = kiosks * batches_each * BATCH
    return {
        "kiosks": kiosks,
        "servers": max(1, servers),
        "payments": payments,
        "seconds": round(elapsed, 3),
        "payments_per_s": round(payments / elapsed),
        "batch_p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
        "batch_p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "batch_mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "audit_balanced": books.balanced and books.payments == payments,
        "kiosks_cpu_ms_per_batch": round(posted["kiosks_cpu_s"] * 1000 / len(latencies), 2)
        if latencies
        else None,
        "errors": posted["errors"][:5],
    }


def drain(url: str, share_url: str, work: Path) -> dict[str, Any]:
    """10,000 payments queued in a kiosk's outbox during an outage, drained when the link is
    back: the kiosk's real outbox worker and ledger client (batches of 100, one at a time,
    each answer written back to the kiosk's store) against the ledger served here.
    ``ledger_share_s`` is the same 10,000 posted straight from memory: the ledger's part."""
    ledger = Ledger.open(url)
    terminal = "KZ-BEN-DRAIN"
    secret = ledger.add_terminal(terminal)
    store = Store(f"sqlite:///{work / 'kiosk.db'}")
    clock = SystemClock()
    with store.transaction() as session:  # what 10,000 payment transactions left queued
        session.execute(
            insert(OutboxItem),
            [
                {
                    "kind": "payment",
                    "ref": item["operation_id"],
                    "local_seq": item["local_seq"],
                    "body": json.dumps(
                        item, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    ).encode(),
                    "amount": item["inserted"],
                    "created_at": int(clock.now() * 1000),
                    "attempts": 0,
                }
                for batch in batches(terminal, DRAIN // BATCH)
                for item in batch
            ],
        )
    with LedgerThread(ledger) as server:
        client = LedgerClient(server.url, terminal, secret, clock)
        worker = OutboxWorker(store, client, clock, random.Random(terminal), batch_size=BATCH)
        started = time.perf_counter()
        while worker.step():
            pass
        seconds = time.perf_counter() - started
        client.close()
    left = worker.state().pending_count
    books = ledger.audit()
    ledger.close()
    store.engine.dispose()
    share = ingest(share_url, kiosks=1, batches_each=DRAIN // BATCH)
    return {
        "drain_10000_s": round(seconds, 3),
        "left_in_outbox": left,
        "audit_balanced": books.balanced and books.payments == DRAIN and share["audit_balanced"],
        "ledger_share_s": share["seconds"],
        "ledger_share_batch_p99_ms": share["batch_p99_ms"],
    }


@contextmanager
def postgres() -> Iterator[PrivateCluster | None]:
    try:
        cluster = PrivateCluster(durable=True).start()
    except ClusterUnavailable:
        yield None
        return
    try:
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=30, help="batches per kiosk")
    parser.add_argument("--kiosks", type=int, default=4, help="kiosks posting at once")
    parser.add_argument(
        "--pg-servers",
        type=int,
        default=2,
        help="ledger server processes on PostgreSQL (default %(default)s)",
    )
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:  # the kiosks' process: secrets on stdin, results on stdout
        print(json.dumps(post_all(json.load(sys.stdin), args.batches)))
        return 0
    # The machine may be shared: the load before the run says how much of it was ours.
    report: dict[str, Any] = {
        "batch_size": BATCH,
        "cpus": os.cpu_count(),
        "load_average_1m_before": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        report["sqlite"] = ingest(f"sqlite:///{base / 'ingest.db'}", args.kiosks, args.batches)
        report["sqlite"]["drain"] = drain(
            f"sqlite:///{base / 'drain.db'}", f"sqlite:///{base / 'share.db'}", base
        )
    with postgres() as cluster, tempfile.TemporaryDirectory() as keys:
        # The PostgreSQL ledgers' secrets key (made on first use), for the server children too.
        os.environ[KEY_ENV] = str(Path(keys) / "secrets.key")
        if cluster is None:
            report["postgresql"] = {"skipped": "PostgreSQL binaries not found"}
        else:
            report["postgresql"] = ingest(
                cluster.create_database(), args.kiosks, args.batches, args.pg_servers
            )
            with tempfile.TemporaryDirectory() as directory:
                report["postgresql"]["drain"] = drain(
                    cluster.create_database(), cluster.create_database(), Path(directory)
                )
    report["targets"] = {
        "sqlite_payments_per_s": 3000,
        "postgresql_payments_per_s": 5000,
        "drain_10000_s": 15,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
