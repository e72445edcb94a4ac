"""Helpers for tests of served simulators: `python -m kiosk …` subprocesses read line by line
with a timeout, and clients of a simulator's text control channel."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from drivers.sim.server import parse_tcp_url

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LINE_TIMEOUT = 15.0


class Process:
    """A `python -m kiosk …` subprocess whose stdout lines are read with a timeout."""

    def __init__(self, *args: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def line(self) -> str | None:
        """The next stdout line; None at end of output."""
        return self._lines.get(timeout=LINE_TIMEOUT)

    def json_until(self, event: str) -> list[dict[str, object]]:
        """JSON lines up to and including the first with this ``event`` name."""
        records: list[dict[str, object]] = []
        while (line := self.line()) is not None:
            records.append(json.loads(line))
            if records[-1]["event"] == event:
                return records
        raise AssertionError(f"no {event!r} line in {records}; stderr: {self.stderr()}")

    def stderr(self) -> str:
        assert self.popen.stderr is not None
        return self.popen.stderr.read() if self.popen.poll() is not None else "(running)"

    def finish(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=LINE_TIMEOUT)


def control(url: str, line: str) -> str:
    """One ``line`` to the control channel at ``url`` on a fresh connection; its answer."""
    host, port = parse_tcp_url(url)
    with socket.create_connection((host, port), timeout=5) as conn, conn.makefile("rw") as io:
        io.write(line + "\n")
        io.flush()
        return io.readline().strip()


def answer_once_taken(url: str, line: str, refusal: str, limit: float = 10.0) -> str:
    """Send ``line`` to the control channel until its answer stops starting with ``refusal``
    (a simulator refuses notes while it initializes); an AssertionError after ``limit``
    seconds naming the last answer. Nothing the simulator sends tells when it is ready, so
    the retries are paced by a wait on an event that is never set."""
    deadline = time.monotonic() + limit
    pace = threading.Event()
    while (answer := control(url, line)).startswith(refusal):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{line!r} still refused after {limit} s: {answer}")
        pace.wait(0.05)
    return answer


class Control:
    """A client of the simulator's control channel that keeps its connection open."""

    def __init__(self, url: str) -> None:
        host, port = parse_tcp_url(url)
        self._socket = socket.create_connection((host, port), timeout=5)
        self._stream = self._socket.makefile("rw")

    def __call__(self, line: str) -> str:
        self._stream.write(line + "\n")
        self._stream.flush()
        return self._stream.readline().strip()

    def close(self) -> None:
        self._stream.close()
        self._socket.close()
