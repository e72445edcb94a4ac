"""The systemd notify protocol against a fake NOTIFY_SOCKET: a real AF_UNIX datagram socket,
as systemd binds it, and the core loop pinging the watchdog."""

from __future__ import annotations

import os
import random
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
        notify_socket: tuple[str, socket.socket]) -> None:
    path, sock = notify_socket
    now = [100.0]
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"},
                                         monotonic=lambda: now[0])
    assert notifier.watchdog_interval == 30.0
    sent = []
    for _ in range(60):  # a minute of core turns, one a second
        sent.append(notifier.watchdog())
        now[0] += 1.0
    assert sent.count(True) == 4  # every 15 s
    assert received(sock) == ["WATCHDOG=1"] * 4


def test_watchdog_meant_for_another_process_is_ignored(
        notify_socket: tuple[str, socket.socket]) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000",
                                          "WATCHDOG_PID": str(os.getpid() + 1)})
    assert notifier.watchdog_interval is None and not notifier.watchdog()
    assert received(sock) == []


def test_without_systemd_nothing_is_sent_and_a_dead_socket_is_not_fatal(tmp_path: Path) -> None:
    assert not Notifier.from_environment({}).ready()
    gone = Notifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not gone.ready() and not gone.stopping()


def test_a_failing_socket_is_logged_once_and_never_raises(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    gone = Notifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone"),
                                      "WATCHDOG_USEC": "2000000"}, monotonic=lambda: now[0])
    with caplog.at_level("WARNING", logger="kiosk.sdnotify"):
        for _ in range(5):
            assert not gone.watchdog()
            now[0] += 1.0
        assert not gone.status("still here")
    assert [r.getMessage() for r in caplog.records] == ["systemd notification failed"]


def test_watchdog_for_this_process_is_honoured(notify_socket: tuple[str, socket.socket]) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "500000",
                                          "WATCHDOG_PID": str(os.getpid())})
    assert notifier.watchdog_interval == 0.5 and notifier.watchdog()
    assert received(sock) == ["WATCHDOG=1"]


@pytest.mark.parametrize("usec", ["", "0", "-5", "30s"])
def test_no_usable_watchdog_interval_means_no_pings(
        notify_socket: tuple[str, socket.socket], usec: str) -> None:
    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": usec})
    assert notifier.watchdog_interval is None and not notifier.watchdog()
    assert received(sock) == []


def test_the_core_loop_pings_the_watchdog(notify_socket: tuple[str, socket.socket],
                                          tmp_path: Path) -> None:
    from kiosk.catalog import load_catalog
    from kiosk.clock import SystemClock
    from kiosk.config import demo_config
    from kiosk.core import KioskCore
    from kiosk.runtime import CoreThread
    from kiosk.store.db import Store

    path, sock = notify_socket
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})
    config = demo_config(tmp_path)
    core = KioskCore(config, Store(config.storage.url), load_catalog(), acceptor=None,
                     clock=SystemClock(), rng=random.Random(1))
    pinged = threading.Event()

    def ping() -> None:
        if notifier.watchdog():
            pinged.set()

    runner = CoreThread(core, tick_s=0.02, on_tick=ping).start()
    try:
        assert pinged.wait(2.0)
    finally:
        runner.stop()
        core.store.close()
    assert "WATCHDOG=1" in received(sock)
