"""The production start as an operator sets it up: a validator and a printer served on TCP,
the ledger over HTTPS with a private CA, a configuration written from ``kiosk config
example``, and ``kiosk run --config`` (offscreen) as a child process."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer.server import send_control as control
from tests.tlsutil import make_ca_and_server_cert
from tests.waiting import wait_for

TERMINAL = "KZ-ALA-0001"
STARTUP_S = 60.0


def kiosk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", *args]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1", **extra)
    return env


class Served:
    """A child process that prints where it listens, read line by line."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.process = subprocess.Popen(
            kiosk_command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=child_env(),
        )
        self.lines: list[str] = []

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(
                    f"child ended before printing {pattern!r}: "
                    f"{self.process.stderr.read() if self.process.stderr else ''}"
                )
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} in {timeout} s: {self.lines}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Site:
    """Everything a kiosk PC talks to, running, and the files an operator writes."""

    root: Path
    validator_port: str
    validator_control: str
    printer_port: str
    receipts: Path
    ledger_url: str
    ledger_db: str
    ca_file: Path
    secret_file: Path
    children: list[Served]

    def config(self, **ledger: str) -> Path:
        """``kiosk config example`` with this site's ports, files and ledger."""
        text = subprocess.run(
            kiosk_command("config", "example"),
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        ).stdout
        state = self.root / "state"
        values = {
            ("devices.validator", "port"): self.validator_port,
            ("devices.printer", "port"): self.printer_port,
            ("ledger", "url"): ledger.get("url", self.ledger_url),
            ("ledger", "secret_file"): ledger.get("secret_file", str(self.secret_file)),
            ("ledger", "ca_file"): str(self.ca_file),
            ("storage", "url"): f"sqlite:///{state / 'kiosk.db'}",
            ("logging", "path"): str(state / "kiosk.jsonl"),
        }
        text = set_keys(text, values)
        text = text.replace("heartbeat_s = 60", "heartbeat_s = 5")
        path = self.root / "kiosk.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def fleet(self) -> list[dict[str, Any]]:
        done = subprocess.run(
            kiosk_command("ledger", "terminals", "--db", self.ledger_db, "--json"),
            capture_output=True,
            text=True,
            env=child_env(),
            check=True,
        )
        rows: list[dict[str, Any]] = json.loads(done.stdout)
        return rows


def set_keys(text: str, values: dict[tuple[str, str], str]) -> str:
    """Set ``key = "value"`` in the named tables of a TOML text (uncommenting the key)."""
    out, table = [], ""
    for line in text.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            table = header.group(1).strip()
        key = re.match(r"\s*#?\s*([a-z_]+)\s*=", line)
        if key and (table, key.group(1)) in values:
            line = f"{key.group(1)} = {json.dumps(values[(table, key.group(1))])}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    children: list[Served] = []
    try:
        validator = Served(
            "device",
            "serve",
            "ccnet",
            "--listen",
            "tcp://127.0.0.1:0",
            "--control",
            "tcp://127.0.0.1:0",
            cwd=tmp_path,
        )
        children.append(validator)
        validator_port = validator.wait_for(r"port (\S+)").group(1)
        validator_control = validator.wait_for(r"control (\S+)").group(1)
        receipts = tmp_path / "receipts"
        printer = Served(
            "device",
            "serve",
            "printer",
            "--listen",
            "tcp://127.0.0.1:0",
            "--out",
            str(receipts),
            cwd=tmp_path,
        )
        children.append(printer)
        printer_port = printer.wait_for(r"port (\S+)").group(1)
        ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
        ledger_db = f"sqlite:///{tmp_path / 'ledger.db'}"
        secret = subprocess.run(
            kiosk_command("ledger", "terminal", "add", TERMINAL, "--db", ledger_db),
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        ).stdout.strip()
        secret_file = tmp_path / "ledger.secret"
        secret_file.write_text(secret + "\n")
        secret_file.chmod(0o600)
        ledger = Served(
            "ledger",
            "serve",
            "--db",
            ledger_db,
            "--listen",
            "127.0.0.1:0",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
            cwd=tmp_path,
        )
        children.append(ledger)
        url = json.loads(ledger.wait_for(r"^\{.*\}$").group(0))["url"]
        assert url.startswith("https://")
        yield Site(
            tmp_path,
            validator_port.replace("tcp://", "socket://"),
            validator_control,
            printer_port.replace("tcp://", "socket://"),
            receipts,
            url,
            ledger_db,
            ca,
            secret_file,
            children,
        )
    finally:
        for child in reversed(children):
            child.stop()


def start_kiosk(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        kiosk_command("run", "--config", str(config)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )


def log_events(config_dir: Path) -> list[dict[str, Any]]:
    path = config_dir / "state" / "kiosk.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.slow
def test_kiosk_run_on_served_devices_and_an_https_ledger(site: Site) -> None:
    config = site.config()
    check = subprocess.run(
        kiosk_command("config", "check", str(config)),
        capture_output=True,
        text=True,
        env=child_env(),
    )
    assert check.returncode == 0, check.stderr
    kiosk = start_kiosk(config)
    try:
        # The heartbeat reaches the ledger: the operator sees the terminal and its devices.
        row = wait_for(
            lambda: next(
                (
                    t
                    for t in site.fleet()
                    if t.get("terminal_id") == TERMINAL and t.get("last_seen")
                ),
                None,
            ),
            STARTUP_S,
            "the first heartbeat",
        )
        assert row["validator_state"] not in (None, "", "unknown")
        assert row["queue_depth"] == 0 and row["cassette_notes"] == 0

        # A note inserted while nobody is paying is not taken.
        answer = control(site.validator_control, "insert 1000")
        time.sleep(2.0)  # a note the kiosk would take is stacked well within this
        cassette = json.loads(control(site.validator_control, "cassette").removeprefix("ok "))
        assert cassette["notes"] == [], answer

        # A jam on the validator shows on the ledger's view of the fleet.
        assert control(site.validator_control, "jam") == "ok"
        wait_for(
            lambda: any("jam" in str(t.get("validator_state")) for t in site.fleet()),
            STARTUP_S,
            "the jam in the fleet view",
        )

        kiosk.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert kiosk.wait(15) == 0, kiosk.stderr.read() if kiosk.stderr else ""
        assert time.monotonic() - started < 10.0
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
    events = [entry.get("event") for entry in log_events(site.root)]
    assert "kiosk started" in events and "kiosk stopped" in events
    log_text = (site.root / "state" / "kiosk.jsonl").read_text(encoding="utf-8")
    assert site.secret_file.read_text().strip() not in log_text
    for path in (site.root / "state" / "kiosk.db", site.root / "state" / "kiosk.jsonl"):
        assert path.stat().st_mode & 0o077 == 0, path


@pytest.mark.slow
def test_kiosk_run_with_the_validator_silent_at_start_waits_for_it_out_of_service(
    site: Site,
) -> None:
    # A cable out or a unit powered after the PC: not a crash loop under systemd, but the
    # window up, out of service, and in service once the validator answers.
    assert control(site.validator_control, "mute 12") == "ok"
    kiosk = start_kiosk(site.config())
    try:
        row = wait_for(
            lambda: next(
                (
                    t
                    for t in site.fleet()
                    if t.get("terminal_id") == TERMINAL and t.get("last_seen")
                ),
                None,
            ),
            STARTUP_S,
            "the first heartbeat",
        )
        assert row["validator_state"] == "disconnected", row
        assert "validator_disconnected" in row["out_of_service"], row
        assert kiosk.poll() is None
        wait_for(
            lambda: any(
                t.get("terminal_id") == TERMINAL
                and t.get("validator_state") not in (None, "disconnected")
                and not t.get("out_of_service")
                for t in site.fleet()
            ),
            STARTUP_S,
            "the validator in service",
        )
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(15) == 0, kiosk.stderr.read() if kiosk.stderr else ""
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
    events = log_events(site.root)
    assert any(entry.get("event") == "kiosk started" for entry in events)


def test_kiosk_run_without_a_display_says_so(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in child_env().items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    done = subprocess.run(
        kiosk_command("run", "--config", str(tmp_path / "none.toml")),
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr


def test_kiosk_run_refuses_a_bad_config_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[terminal]\nid = "bad id"\n', encoding="utf-8")
    done = subprocess.run(
        kiosk_command("run", "--config", str(path)), capture_output=True, text=True, env=child_env()
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "terminal.id" in done.stderr


def test_kiosk_run_refuses_a_screen_that_is_not_there(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        set_keys(
            subprocess.run(
                kiosk_command("config", "example"),
                capture_output=True,
                text=True,
                check=True,
                env=child_env(),
            ).stdout,
            {
                ("ledger", "url"): "http://127.0.0.1:9",
                ("ledger", "secret_file"): str(tmp_path / "s"),
                ("storage", "url"): f"sqlite:///{tmp_path / 'kiosk.db'}",
                ("logging", "path"): "",
            },
        ),
        encoding="utf-8",
    )
    (tmp_path / "s").write_text("x" * 64)
    (tmp_path / "s").chmod(0o600)
    text = config.read_text().replace('path = ""', "")
    config.write_text(text)
    done = subprocess.run(
        kiosk_command("run", "--config", str(config), "--screen", "7"),
        capture_output=True,
        text=True,
        env=child_env(),
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith("this machine has 1 screen(s), numbered from 0")
    assert not (tmp_path / "kiosk.db").exists()  # nothing was opened


def minimal_config(tmp_path: Path) -> Path:
    """A terminal without a ledger or printer, its validator at a port nobody serves."""
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f"""
[terminal]
id = "{TERMINAL}"
address = "Almaty, Abay Ave 10"
agent_name = "Demo Payments LLP"
agent_bin = "060640010247"
support_phone = "+7 727 000 00 00"
[devices.validator]
protocol = "ccnet"
port = "socket://127.0.0.1:9"
[storage]
url = "sqlite:///{tmp_path / "kiosk.db"}"
[limits]
mrp = 432500
""",
        encoding="utf-8",
    )
    return path


def damage(database: Path) -> None:
    """Overwrite the middle of a real kiosk database, as a bad sector would."""
    from kiosk.store.db import Store

    Store(f"sqlite:///{database}").close()
    data = bytearray(database.read_bytes())
    page = 4096
    for start in range(page, len(data) - page, page * 3):
        data[start + 8 : start + 600] = b"\xa5" * 592
    database.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["damaged", "not a database"])
def test_kiosk_run_stops_on_a_damaged_database_before_taking_cash(tmp_path: Path, how: str) -> None:
    config = minimal_config(tmp_path)
    database = tmp_path / "kiosk.db"
    if how == "damaged":
        damage(database)
    else:
        database.write_bytes(b"this is not an SQLite file" * 100)
    done = subprocess.run(
        kiosk_command("run", "--config", str(config)),
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    # Without [logging] path the JSON log goes to stderr too; the error is one line of its own.
    errors = [line for line in done.stderr.splitlines() if line.startswith("kiosk run: error")]
    assert len(errors) == 1 and done.stderr.strip().endswith(errors[0])
    assert "the kiosk database cannot be used" in errors[0]
    assert "restore it from backup" in errors[0]
