"""A simulated day forwarded to a ledger across an outage: the ledger and the kiosk agree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from kiosk.sim.simulate import run_simulation

ROOT = Path(__file__).resolve().parents[2]


def test_day_with_an_outage_reaches_the_embedded_ledger_exactly_once(tmp_path: Path) -> None:
    report = run_simulation(60, 11, tmp_path, ledger="embedded", outage=(15, 40))
    assert report["ok"], {k: v for k, v in report["invariants"].items() if not v}
    ledger = report["ledger"]
    assert ledger["payments"] == report["payments"] > 0
    assert ledger["audit"]["balanced"]
    assert ledger["audit"]["cash_in"] == report["cash_stacked"] == ledger["inserted"]
    assert report["outbox_pending"] == 0


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_simulate_against_a_served_ledger_agrees_with_its_audit(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/ledger.db"
    added = kiosk("ledger", "terminal", "add", "KZ-ALA-0001", "--db", db)
    assert added.returncode == 0, added.stderr
    secret = tmp_path / "secret"
    secret.write_text(added.stdout.strip())
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "ledger", "serve", "--db", db, "--listen", "127.0.0.1:0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert server.stdout is not None
        url = json.loads(server.stdout.readline())["url"]
        report_file = tmp_path / "report.json"
        simulated = kiosk(
            "simulate",
            "--customers",
            "40",
            "--seed",
            "3",
            "--ledger",
            url,
            "--secret-file",
            str(secret),
            "--outage",
            "10-25",
            "--report",
            str(report_file),
        )
        assert simulated.returncode == 0, simulated.stdout + simulated.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    report = json.loads(report_file.read_text())
    audit = kiosk("ledger", "audit", "--db", db)
    assert audit.returncode == 0, audit.stderr
    books = json.loads(audit.stdout)
    assert books["balanced"] is True
    assert books["cash_in"] == report["cash_stacked"] == report["inserted"]
    assert report["ledger"]["payments"] == report["payments"]


def test_ledger_url_without_a_secret_is_a_one_line_error(tmp_path: Path) -> None:
    result = kiosk("simulate", "--customers", "1", "--ledger", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "--ledger URL needs --secret-file (from 'kiosk ledger terminal add')"
    )
