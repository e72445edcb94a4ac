"""`kiosk device serve` and `kiosk device probe` as a technician runs them (subprocesses)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import Cleared, DuplicateStacked, Jammed, Rejected, Stacked
from drivers.bill.ssp.driver import SspAcceptor
from kiosk.cli import main
from kiosk.cli.device_cmd import event_record
from tests.helpers.acceptors import Recorder
from tests.helpers.devices import LINE_TIMEOUT, Process, control


@pytest.fixture
def server() -> Iterator[tuple[str, str]]:
    """A served CCNET simulator: (port URL for a driver, control URL)."""
    serve = Process(
        "device",
        "serve",
        "ccnet",
        "--listen",
        "tcp://127.0.0.1:0",
        "--control",
        "tcp://127.0.0.1:0",
        "--seed",
        "4",
    )
    port = re.search(r"port (\S+)", serve.line() or "")
    control_url = re.search(r"control (\S+)", serve.line() or "")
    assert port and control_url, serve.stderr()
    yield port.group(1), control_url.group(1)
    assert serve.finish() == 0


def test_probe_accept_prints_identity_table_and_the_stacked_note(
    server: tuple[str, str],
) -> None:
    port, control_url = server
    probe = Process(
        "device",
        "probe",
        "--protocol",
        "ccnet",
        "--port",
        port,
        "--accept",
        "--seconds",
        "3",
        "--timeout",
        "0.5",
    )
    head = probe.json_until("bill_table")
    identity = next(r for r in head if r["event"] == "identity")
    assert identity["model"] == "SM-KZ-SIM-1.0" and "serial" in identity and "firmware" in identity
    assert head[-1]["notes"] == [20000, 50000, 100000, 200000, 500000, 1000000, 2000000]
    assert control(control_url, "insert 1000") == "ok"
    events = probe.json_until("stacked")
    assert {"event": "stacked", "amount": 100000, "bill_type": 2} in events
    assert probe.finish() == 0
    assert json.loads(control(control_url, "cassette")[3:])["notes"] == [100000]


def test_probe_without_accept_leaves_the_device_disabled(server: tuple[str, str]) -> None:
    port, control_url = server
    probe = Process(
        "device",
        "probe",
        "--protocol",
        "ccnet",
        "--port",
        port,
        "--seconds",
        "1",
        "--timeout",
        "0.5",
    )
    probe.json_until("bill_table")
    assert control(control_url, "state") == "ok disabled"
    assert control(control_url, "insert 1000").startswith("error: ")
    assert probe.finish() == 0


def test_probe_with_no_device_answering_exits_1_with_one_line() -> None:
    probe = Process(
        "device",
        "probe",
        "--protocol",
        "ccnet",
        "--port",
        "socket://127.0.0.1:9",
        "--timeout",
        "0.2",
    )
    assert probe.popen.wait(timeout=LINE_TIMEOUT) == 1
    error = probe.stderr().strip()
    assert "\n" not in error and "socket://127.0.0.1:9" in error


@pytest.mark.parametrize(
    "args",
    [
        ["device", "serve", "ccnet"],
        ["device", "serve", "ccnet", "--listen", "127.0.0.1:5000"],
        ["device", "serve", "ccnet", "--pty", "--baud", "0"],
        ["device", "serve", "id999", "--pty"],
        ["device", "probe", "--protocol", "ccnet"],
    ],
)
def test_bad_command_lines_exit_2_with_an_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status = main(args)
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    assert status == 2
    assert "error" in capsys.readouterr().err


def test_serve_pty_prints_a_path_a_driver_can_open() -> None:
    serve = Process("device", "serve", "ccnet", "--pty", "--seed", "2")
    try:
        match = re.search(r"port (/dev/\S+)", serve.line() or "")
        assert match, serve.stderr()
        recorder = Recorder()
        acceptor = open_acceptor("ccnet", match.group(1), response_timeout=0.5)
        acceptor.set_listener(recorder)
        acceptor.start(threaded=False)
        assert acceptor.bill_table[:3] == (20_000, 50_000, 100_000)
        acceptor.stop()
    finally:
        assert serve.finish() == 0


def test_probe_json_names_follow_the_event_types() -> None:
    assert event_record(Stacked(100_000, 2)) == {
        "event": "stacked",
        "amount": 100_000,
        "bill_type": 2,
    }
    assert event_record(DuplicateStacked(500, 0))["event"] == "duplicate_stacked"
    assert event_record(Rejected(0x68, "inhibit")) == {
        "event": "rejected",
        "code": 0x68,
        "reason": "inhibit",
    }
    assert event_record(Jammed("acceptor")) == {"event": "jammed", "where": "acceptor"}
    assert event_record(Cleared()) == {"event": "cleared"}


UNIT_KEY = "0123456789ABCDEF"


def key_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n")
    path.chmod(0o600)
    return path


def serve_ssp(*options: str) -> tuple[Process, str]:
    """`kiosk device serve ssp` on a free TCP port with ``options``: (process, port URL)."""
    serve = Process(
        "device", "serve", "ssp", "--listen", "tcp://127.0.0.1:0", "--seed", "5", *options
    )
    port = re.search(r"port (\S+)", serve.line() or "")
    assert port, serve.stderr()
    return serve, port.group(1)


@pytest.fixture
def essp_server(tmp_path: Path) -> Iterator[str]:
    """A served SSP simulator that requires eSSP with UNIT_KEY: its port URL."""
    serve, port = serve_ssp("--essp-key-file", str(key_file(tmp_path, "unit.key", UNIT_KEY)))
    yield port
    assert serve.finish() == 0


def probe_ssp(port: str, *options: str) -> Process:
    return Process(
        "device",
        "probe",
        "--protocol",
        "ssp",
        "--port",
        port,
        "--seconds",
        "1",
        "--timeout",
        "0.5",
        *options,
    )


def test_probe_over_essp_with_the_units_key_prints_its_identity(
    essp_server: str, tmp_path: Path
) -> None:
    probe = probe_ssp(
        essp_server, "--essp-key-file", str(key_file(tmp_path, "host.key", "0x" + UNIT_KEY.lower()))
    )
    head = probe.json_until("bill_table")
    identity = next(r for r in head if r["event"] == "identity")
    assert str(identity["model"]).startswith("SSP unit") and identity["serial"]
    assert head[-1]["notes"] == [20000, 50000, 100000, 200000, 500000, 1000000, 2000000]
    assert probe.finish() == 0


def test_probe_with_another_key_exits_1_saying_the_essp_key_does_not_fit(
    essp_server: str, tmp_path: Path
) -> None:
    probe = probe_ssp(
        essp_server, "--essp-key-file", str(key_file(tmp_path, "wrong.key", "FEDCBA9876543210"))
    )
    assert probe.popen.wait(timeout=LINE_TIMEOUT) == 1
    error = probe.stderr().strip()
    assert "\n" not in error and "eSSP" in error and "key" in error
    assert "FEDCBA9876543210" not in error and UNIT_KEY not in error


def test_plain_probe_of_an_essp_simulator_says_it_requires_essp(essp_server: str) -> None:
    probe = probe_ssp(essp_server)
    assert probe.popen.wait(timeout=LINE_TIMEOUT) == 1
    error = probe.stderr().strip()
    assert "\n" not in error and "requires eSSP" in error


@pytest.mark.parametrize(
    ("poll_with_ack", "options"), [(True, ()), (False, ("--no-poll-with-ack",))]
)
def test_served_ssp_firmware_with_or_without_poll_with_ack(
    poll_with_ack: bool, options: tuple[str, ...]
) -> None:
    serve, port = serve_ssp(*options)
    try:
        acceptor = open_acceptor("ssp", port, response_timeout=0.5)
        acceptor.set_listener(Recorder())
        acceptor.start(threaded=False)
        acceptor.poll_once()
        assert isinstance(acceptor, SspAcceptor)
        assert acceptor.polls_with_ack is poll_with_ack
        acceptor.stop()
    finally:
        assert serve.finish() == 0


@pytest.mark.parametrize(
    ("contents", "problem"),
    [
        (None, "does not exist"),
        ("", "is empty"),
        ("0123456789ABCDE", "holds 15 hex digits"),
        ("0123456789ABCDEZ", "not hex digits"),
    ],
)
@pytest.mark.parametrize("action", ["serve", "probe"])
def test_bad_key_file_is_a_one_line_error_naming_the_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    action: str,
    contents: str | None,
    problem: str,
) -> None:
    path = tmp_path / "essp.key"
    if contents is not None:
        key_file(tmp_path, "essp.key", contents)
    if action == "serve":
        args = ["device", "serve", "ssp", "--pty", "--essp-key-file", str(path)]
    else:
        args = [
            "device",
            "probe",
            "--protocol",
            "ssp",
            "--port",
            "socket://127.0.0.1:9",
            "--essp-key-file",
            str(path),
        ]
    assert main(args) == 2
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and str(path) in error and problem in error


@pytest.mark.parametrize(
    "args",
    [
        [
            "device",
            "probe",
            "--protocol",
            "ccnet",
            "--port",
            "socket://127.0.0.1:9",
            "--essp-key-file",
            "essp.key",
        ],
        ["device", "serve", "ccnet", "--pty", "--essp-key-file", "essp.key"],
        ["device", "serve", "id003", "--pty", "--no-poll-with-ack"],
    ],
)
def test_essp_options_are_refused_for_other_protocols(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status = main(args)
    except SystemExit as exc:  # argparse: the option does not exist for that kind
        status = int(exc.code or 0)
    assert status == 2
    assert "error" in capsys.readouterr().err
