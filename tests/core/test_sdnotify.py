"""The systemd notify protocol against a fake NOTIFY_SOCKET: a real AF_UNIX datagram socket,
as systemd binds it, and the core loop pinging the watchdog."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sdnotify import Notifier


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2.0)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    sock.settimeout(0.2)
    out = []
    try:
        while True:
            out.append(sock.recv(4096).decode())
    except TimeoutError:
        return out


def test_ready_status_stopping_reach_the_socket(notify_socket: tuple[str, socket.socket]) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path})
    assert notifier.ready() and notifier.status("serving\ncustomers") and notifier.stopping()
    assert received(sock) == ["READY=1", "STATUS=serving customers", "STOPPING=1"]


def test_an_abstract_socket_name_works() -> None:
    name = f"kiosk-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        assert Notifier.from_environment({"NOTIFY_SOCKET": "@" + name}).ready()
        assert received(sock) == ["READY=1"]


def test_watchdog_pings_at_most_twice_per_interval(
    notify_socket: tuple[str, socket.socket],
) -> None:
    path, sock = notify_socket
    now = [100.0]
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}, monotonic=lambda: now[0]
    )
    assert notifier.watchdog_interval == 30.0
    sent = []
    for _ in range(60):  # a minute of core turns, one a second
        sent.append(notifier.watchdog())
        now[0] += 1.0
    assert sent.count(True) == 4  # every 15 s
    assert received(sock) == ["WATCHDOG=1"] * 4


def test_watchdog_meant_for_another_process_is_ignored(
    notify_socket: tuple[str, socket.socket],
) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid() + 1)}
    )
    assert notifier.watchdog_interval is None and not notifier.watchdog()
    assert received(sock) == []


def test_without_systemd_nothing_is_sent_and_a_dead_socket_is_not_fatal(tmp_path: Path) -> None:
    assert not Notifier.from_environment({}).ready()
    gone = Notifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not gone.ready() and not gone.stopping()


def test_a_failing_socket_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    now = [0.0]
    gone = Notifier.from_environment(
        {"NOTIFY_SOCKET": str(tmp_path / "gone"), "WATCHDOG_USEC": "2000000"},
        monotonic=lambda: now[0],
    )
    with caplog.at_level("WARNING", logger="kiosk.sdnotify"):
        for _ in range(5):
            assert not gone.watchdog()
            now[0] += 1.0
        assert not gone.status("still here")
    assert [r.getMessage() for r in caplog.records] == ["systemd notification failed"]


def test_watchdog_for_this_process_is_honoured(notify_socket: tuple[str, socket.socket]) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "500000", "WATCHDOG_PID": str(os.getpid())}
    )
    assert notifier.watchdog_interval == 0.5 and notifier.watchdog()
    assert received(sock) == ["WATCHDOG=1"]


@pytest.mark.parametrize("usec", ["", "0", "-5", "30s"])
def test_no_usable_watchdog_interval_means_no_pings(
    notify_socket: tuple[str, socket.socket], usec: str
) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": usec})
    assert notifier.watchdog_interval is None and not notifier.watchdog()
    assert received(sock) == []


def test_the_core_loop_pings_the_watchdog_and_a_hung_core_stops_it(
    notify_socket: tuple[str, socket.socket], tmp_path: Path
) -> None:
    import drivers.bill
    from kiosk.app import Devices, build_kiosk
    from kiosk.config import demo_config

    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})
    pinged = threading.Event()

    def ping() -> None:
        if notifier.watchdog():
            pinged.set()

    acceptor = drivers.bill.open("sim", poll_interval=0.02, seed=1)
    kiosk = build_kiosk(demo_config(tmp_path), Devices(acceptor, None), tick_s=0.02, on_tick=ping)
    kiosk.start(threaded=True)
    assert kiosk.runner is not None
    try:
        assert pinged.wait(2.0)
        release, stuck = threading.Event(), threading.Event()

        def hang() -> None:  # the core is stuck in one job
            stuck.set()
            release.wait(5.0)

        hung = kiosk.runner.submit(hang)
        assert stuck.wait(2.0)
        pinged.clear()
        assert not pinged.wait(0.5)  # no ping while it is: systemd would restart it
        release.set()
        hung.result(2.0)
        assert pinged.wait(2.0)
    finally:
        kiosk.stop()
    assert "WATCHDOG=1" in received(sock)
