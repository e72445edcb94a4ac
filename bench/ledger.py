"""Ledger ingestion benchmark: payments/s posted in batches of 100 over HTTP, and p99 per batch.

Runs the real ledger (uvicorn on loopback, signed requests) on a SQLite file and on a private
PostgreSQL cluster (fsync on), and prints one JSON object. Targets (issue #5): SQLite ≥ 3,000
payments/s, PostgreSQL ≥ 5,000 payments/s; the ledger side of draining 10,000 queued payments
(100 batches back to back from one kiosk) is reported as ``drain_10000_s``.
"""

from __future__ import annotations

import argparse
import json
import random
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

from kiosk.catalog import load_catalog  # noqa: E402
from kiosk.money import Money  # noqa: E402
from sync.ledger.server import LedgerThread  # noqa: E402
from sync.ledger.service import Ledger  # noqa: E402
from tests.ledger.helpers import TerminalClient  # noqa: E402
from tests.ledger.pgcluster import ClusterUnavailable, PrivateCluster  # noqa: E402

BATCH = 100
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
            notes = [100_000, 200_000][seq % 2:]
            split = catalog.get(service).commission.breakdown(Money(sum(notes)))
            batch.append({
                "operation_id": f"{terminal}-{seq:012d}", "local_seq": seq,
                "receipt_number": seq, "terminal_id": terminal, "service": service,
                "account": f"+7{PHONES[service]}{rng.randrange(POPULATION):07d}",
                "inserted": split.inserted.tiyn, "commission": split.commission.tiyn,
                "credited": split.credited.tiyn, "currency": "KZT",
                "created_at": "2026-01-01T10:00:00.000+00:00", "notes": notes,
                "offline": False, "recovered": False, "completion": "pay"})
            seq += 1
        yield batch


def post_all(targets: dict[str, list[str]], batches_each: int) -> dict[str, Any]:
    """The kiosks' side (run in its own process, as kiosks are other machines): every kiosk
    posts its batches back to back; returns the elapsed time and each batch's latency."""
    bodies = {terminal: [json.dumps({"payments": batch}).encode()
                         for batch in batches(terminal, batches_each)] for terminal in targets}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(targets) + 1)

    def kiosk(terminal: str) -> None:
        url, secret = targets[terminal]
        client = TerminalClient(url, terminal, secret, time.time)
        try:
            barrier.wait()
            for body in bodies[terminal]:
                start = time.perf_counter()
                response = client.request("POST", "/v1/payments", raw=body)
                took = time.perf_counter() - start
                response.raise_for_status()
                if any(item["status"] != "accepted" for item in response.json()["results"]):
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
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "latencies": latencies, "errors": errors}


@contextmanager
def serving(ledger: Ledger, url: str, servers: int) -> Iterator[list[str]]:
    """The ledger on a thread here, or on ``servers`` ``kiosk ledger serve`` processes."""
    if servers <= 1:
        with LedgerThread(ledger) as server:
            yield [server.url]
        return
    processes = [subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.cli_child", "ledger", "serve", "--db", url,
         "--listen", "127.0.0.1:0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(servers)]
    try:
        yield [json.loads(process.stdout.readline())["url"] for process in processes
               if process.stdout is not None]
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
        targets = {terminal: [urls[index % len(urls)], secrets[terminal]]
                   for index, terminal in enumerate(terminals)}
        child = subprocess.run(
            [sys.executable, __file__, "--client", "-", "--batches", str(batches_each)],
            input=json.dumps(targets), capture_output=True, text=True, check=True, cwd=ROOT)
    posted = json.loads(child.stdout)
    books = ledger.audit()
    ledger.close()
    latencies, elapsed = posted["latencies"], posted["seconds"]
    payments = kiosks * batches_each * BATCH
    return {"kiosks": kiosks, "servers": max(1, servers), "payments": payments,
            "seconds": round(elapsed, 3),
            "payments_per_s": round(payments / elapsed),
            "batch_p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
            "batch_p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
            "batch_mean_ms": round(statistics.fmean(latencies) * 1000, 2),
            "audit_balanced": books.balanced and books.payments == payments,
            "errors": posted["errors"][:5]}


def drain(url: str) -> dict[str, Any]:
    """One kiosk sends 10,000 queued payments back to back (the ledger's share of a drain)."""
    result = ingest(url, kiosks=1, batches_each=100)
    return {"drain_10000_s": result["seconds"], "batch_p99_ms": result["batch_p99_ms"],
            "audit_balanced": result["audit_balanced"]}


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
    parser.add_argument("--pg-servers", type=int, default=2,
                        help="ledger server processes on PostgreSQL (default %(default)s)")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:  # the kiosks' process: secrets on stdin, results on stdout
        print(json.dumps(post_all(json.load(sys.stdin), args.batches)))
        return 0
    report: dict[str, Any] = {"batch_size": BATCH}
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        report["sqlite"] = ingest(f"sqlite:///{base / 'ingest.db'}", args.kiosks, args.batches)
        report["sqlite"]["drain"] = drain(f"sqlite:///{base / 'drain.db'}")
    with postgres() as cluster:
        if cluster is None:
            report["postgresql"] = {"skipped": "PostgreSQL binaries not found"}
        else:
            report["postgresql"] = ingest(cluster.create_database(), args.kiosks, args.batches,
                                          args.pg_servers)
            report["postgresql"]["drain"] = drain(cluster.create_database())
    report["targets"] = {"sqlite_payments_per_s": 3000, "postgresql_payments_per_s": 5000,
                         "drain_10000_s": 15}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
