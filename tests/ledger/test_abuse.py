"""Show it: the abuse of issue #15 replayed against a real ``kiosk ledger serve`` process.

Unsigned huge bodies, a thousand idle sockets, an oversized signed batch, extreme amounts,
a wrong commission, odd notes, an impossible encashment and replayed requests. The server's
memory stays bounded, ``/health`` answers, nothing is credited that should not be, the audit
balances; the report (printed, and kept as ``abuse-report.json``) has the numbers the ledger
booked. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.auth import signed_headers
from sync.ledger.service import Ledger
from tests.ledger.helpers import ROOT, TERMINAL, TerminalClient, payment_dict, serve_child
from tests.waiting import wait_for

WAIT = 60.0
MiB = 1 << 20
KASPI = "+77014444444"  # free service, professional wallet
BASIC = "+77011111111"  # qplus: 2 %, at least 20 ₸
IDLE_SOCKETS = 1_100


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


def status_of(sock: socket.socket) -> int | None:
    """The status code of the answer on ``sock`` (None if the server just closed it)."""
    sock.settimeout(10.0)
    try:
        head = sock.recv(4096)
    except (ConnectionResetError, TimeoutError):
        return None
    if not head.startswith(b"HTTP/1.1 "):
        return None
    return int(head.split()[1])


def unsigned_flood(host: str, port: int, declared: int, sent: int) -> tuple[int | None, int]:
    """POST a body declared ``declared`` bytes long, streaming up to ``sent`` of it; returns
    the status and how much the server let in before it answered or closed."""
    sock = socket.create_connection((host, port), timeout=10.0)
    pushed = 0
    try:
        sock.sendall(
            b"POST /v1/payments HTTP/1.1\r\nHost: ledger\r\nContent-Type: "
            b"application/json\r\nContent-Length: " + str(declared).encode() + b"\r\n\r\n"
        )
        chunk = b"[" + b"0," * (MiB // 2)
        try:
            while pushed < sent:
                sock.sendall(chunk)
                pushed += len(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        return status_of(sock), pushed
    finally:
        sock.close()


def health_answers(url: str) -> bool:
    """Whether ``/health`` answers 200 now (a server busy with idle sockets may not yet)."""
    try:
        return httpx.get(f"{url}/health", timeout=5.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def server(
    any_url: str, wallet_file: Path, tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> Iterator[dict[str, Any]]:
    ledger = make_ledger(any_url)
    secret = ledger.add_terminal(TERMINAL)
    errors_path = tmp_path / "server.err"
    with (
        errors_path.open("w+") as errors,
        serve_child(any_url, "--wallets", str(wallet_file), stderr=errors, wait=WAIT) as (
            process,
            url,
        ),
    ):
        yield {
            "ledger": ledger,
            "secret": secret,
            "url": url,
            "pid": process.pid,
            "errors": errors_path,
            "port": int(url.rsplit(":", 1)[1]),
        }


def test_the_abuse_of_issue_15_leaves_the_books_balanced(
    server: dict[str, Any], tmp_path: Path
) -> None:
    url, pid, port = server["url"], server["pid"], server["port"]
    ledger: Ledger = server["ledger"]
    report: dict[str, Any] = {"rss_start_mb": round(rss_bytes(pid) / MiB, 1)}
    terminal = TerminalClient(url, TERMINAL, server["secret"], time.time)
    health = httpx.Client(base_url=url, timeout=10.0)
    try:
        # 1. Four unsigned 250 MB posts: refused at the limit, nothing buffered past it.
        floods = [
            unsigned_flood("127.0.0.1", port, 250 * 1000 * MiB // 1000, 64 * MiB) for _ in range(4)
        ]
        report["unsigned_250mb_posts"] = [
            {"status": status, "accepted_mb": round(n / MiB, 1)} for status, n in floods
        ]
        assert all(status in (413, None) for status, _ in floods)
        assert any(status == 413 for status, _ in floods)
        report["rss_after_floods_mb"] = round(rss_bytes(pid) / MiB, 1)
        assert rss_bytes(pid) < report["rss_start_mb"] * MiB + 64 * MiB
        assert health.get("/health").status_code == 200

        # 2. A thousand idle sockets: /health still answers, the log stays small.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
        idle = [
            socket.create_connection(("127.0.0.1", port), timeout=10.0) for _ in range(IDLE_SOCKETS)
        ]
        try:
            started = time.monotonic()
            wait_for(lambda: health_answers(url), 30.0, "/health beside 1,100 idle sockets")
            report["health_with_idle_sockets_s"] = round(time.monotonic() - started, 2)
        finally:
            for sock in idle:
                sock.close()
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

        # 3. An oversized signed batch: refused, and the answer does not echo it.
        big = [payment_dict(10_000 + n, service="kaspi", account=KASPI) for n in range(5_000)]
        began = time.monotonic()
        answer = terminal.post("/v1/payments", {"payments": big})
        report["signed_batch_5000"] = {
            "status": answer.status_code,
            "answer_bytes": len(answer.content),
            "seconds": round(time.monotonic() - began, 2),
        }
        assert answer.status_code in (413, 422) and len(answer.content) < 8192
        over = [payment_dict(20_000 + n, service="kaspi", account=KASPI) for n in range(1_001)]
        answer = terminal.post("/v1/payments", {"payments": over})
        report["signed_batch_1001"] = {
            "status": answer.status_code,
            "answer_bytes": len(answer.content),
        }
        assert answer.status_code in (413, 422) and len(answer.content) < 8192
        assert KASPI not in answer.text

        # 4. Extreme amounts, a wrong commission, odd notes: refused or held, never credited.
        refused = terminal.post(
            "/v1/payments",
            {"payments": [payment_dict(1, service="kaspi", account=KASPI, notes=[2**63 - 1])]},
        )
        report["payment_of_2_63_tiyn"] = refused.status_code
        assert refused.status_code == 422 and str(2**63 - 1) not in refused.text
        wrong = [
            payment_dict(2, service="qplus", account=BASIC, commission=0),  # rule: 20 ₸
            payment_dict(3, service="kaspi", account=KASPI, commission=100_000),  # free
            payment_dict(4, service="kaspi", account=KASPI, notes=[1, 99_999]),  # 1 tiyn
        ]
        good = payment_dict(5, service="kaspi", account=KASPI, notes=[500_000])
        results = terminal.post_payments([*wrong, good])
        report["payments"] = [
            {"status": item["status"], "reason": item.get("reason")} for item in results
        ]
        assert [item["status"] for item in results] == ["rejected"] * 3 + ["accepted"]

        # 5. An encashment of 10^15 ₸ against one counted note: refused with its reason.
        encashment = terminal.post(
            "/v1/encashments",
            {
                "encashment_id": "E-1",
                "at": "2026-01-01T18:00:00.000+00:00",
                "cassette_id": "C-1",
                "technician_id": "tech-1",
                "notes": 1,
                "total": 10**17,
                "counts": {"500000": 1},
            },
        )
        report["encashment_10_15_tenge"] = encashment.status_code
        assert encashment.status_code == 422

        # 6. Replayed requests: a captured heartbeat sent again is refused.
        body = json.dumps(
            {
                "at": "2026-01-01T10:00:00.000+00:00",
                "software_version": "0.4.0",
                "devices": {},
                "queue": {"depth": 0, "amount": 0},
            }
        ).encode()
        headers = signed_headers(
            TERMINAL, server["secret"], "POST", "/v1/heartbeat", body, time.time()
        )
        headers["Content-Type"] = "application/json"
        first = httpx.post(f"{url}/v1/heartbeat", content=body, headers=headers)
        again = httpx.post(f"{url}/v1/heartbeat", content=body, headers=headers)
        resent_payment = terminal.post_payments([good])  # a new request: idempotent by id
        report["replay"] = {
            "first": first.status_code,
            "replayed": again.status_code,
            "payment_resent": resent_payment[0]["status"],
        }
        assert (first.status_code, again.status_code) == (200, 401)
        assert resent_payment[0]["status"] == "duplicate"

        # The books: only the good payment is credited; the rest of the cash is in suspense.
        assert health.get("/health").status_code == 200
        books = ledger.audit()
        report["audit"] = {
            "balanced": books.balanced,
            "payments": books.payments,
            "credited": books.credited,
            "suspense": books.suspense,
            "cash_in": books.cash_in,
        }
        assert books.balanced
        assert books.credited == 500_000 and books.completed == 1
        assert books.suspense == sum(item["inserted"] for item in wrong)
        audited = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.ledger.cli_child",
                "ledger",
                "audit",
                "--db",
                ledger.engine.url.render_as_string(hide_password=False),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert audited.returncode == 0 and json.loads(audited.stdout)["balanced"] is True
        report["server_log_bytes"] = server["errors"].stat().st_size
        assert report["server_log_bytes"] < 256 * 1024
        report["rss_end_mb"] = round(rss_bytes(pid) / MiB, 1)
    finally:
        terminal.close()
        health.close()
        (tmp_path / "abuse-report.json").write_text(json.dumps(report, indent=2))
        print(json.dumps(report, indent=2))
