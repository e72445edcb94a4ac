"""Bill acceptor latency: from the simulator sending "bill stacked" to the listener's durable
commit returning, over a TCP-served CCNET simulator paced at 9600 baud, 100 ms poll interval.

Prints one JSON object. ``--notes N`` (default 500), ``--quick`` (40 notes, a smoke run).
A full run takes about N x 0.3 s (two poll cycles and their wire time per note).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.bill import open as open_acceptor  # noqa: E402
from drivers.bill.base import AcceptorEvent, Decision, DuplicateStacked, Escrow, Stacked  # noqa: E402
from drivers.bill.ccnet.codes import Status  # noqa: E402
from drivers.bill.ccnet.device import KZT_NOTES, CcnetDevice, Timings  # noqa: E402
from drivers.bill.ccnet.frames import FrameReader  # noqa: E402
from drivers.sim import start_simulator  # noqa: E402

BAUD = 9600
BITS_PER_BYTE = 10  # 8N1
POLL_INTERVAL = 0.1
POLL_FRAME = 6  # SYNC ADR LNG CMD CRC CRC
STATUS_REPLY = 6  # one state byte
STACKED_REPLY = 7  # state byte + bill type


class StampedDevice:
    """The simulator, noting when it first sends "bill stacked" for each note and feeding the
    next note once the previous one is acknowledged (a customer who never stops)."""

    def __init__(self, device: CcnetDevice, notes: int) -> None:
        self.device = device
        self.bits_per_byte = device.bits_per_byte
        self.stacked_sent_at: list[float] = []
        self._left = notes
        self._waiting_report = False
        self._reader = FrameReader()

    def receive_data(self, data: bytes) -> bytes:
        reply = self.device.receive_data(data)
        self._reader.feed(reply)
        while (frame := self._reader.next_frame()) is not None:
            if frame.code == Status.STACKED and self._waiting_report:
                self.stacked_sent_at.append(time.monotonic())
                self._waiting_report = False
        if self._left and self.device.state == "idling" and not self._waiting_report:
            self.device.insert(KZT_NOTES[self._left % len(KZT_NOTES)])
            self._left -= 1
            self._waiting_report = True
        return reply

    def control(self, line: str) -> str:
        return self.device.control(line)


def run(notes: int) -> dict[str, object]:
    device = CcnetDevice(seed=1, timings=Timings(0.1, 0.0, 0.0, 0.0, 0.05, 10.0))
    stamped = StampedDevice(device, notes)
    served = start_simulator("ccnet", listen="tcp://127.0.0.1:0", baud=BAUD, device=stamped)
    committed_at: list[float] = []
    credited: list[int] = []
    duplicates = 0
    done: queue.Queue[None] = queue.Queue()
    journal_dir = tempfile.TemporaryDirectory()
    journal = open(os.path.join(journal_dir.name, "journal"), "ab")
    lock = threading.Lock()

    def listener(event: AcceptorEvent) -> Decision | None:
        nonlocal duplicates
        if isinstance(event, Escrow):
            return Decision.STACK
        if isinstance(event, DuplicateStacked):
            duplicates += 1
        if isinstance(event, Stacked):
            journal.write(f"{event.amount}\n".encode())
            journal.flush()
            os.fsync(journal.fileno())  # the durable commit the driver waits for
            with lock:
                committed_at.append(time.monotonic())
                credited.append(event.amount)
                if len(credited) == notes:
                    done.put(None)
        return None

    acceptor = open_acceptor("ccnet", served.port, poll_interval=POLL_INTERVAL)
    acceptor.set_listener(listener)
    acceptor.set_enabled(KZT_NOTES)
    started = time.monotonic()
    acceptor.start(threaded=True)
    try:
        done.get(timeout=notes * 2.0 + 30)
    finally:
        acceptor.stop()
        served.close()
        journal.close()
        journal_dir.cleanup()
    elapsed = time.monotonic() - started
    latencies = [
        (commit - sent) * 1000
        for sent, commit in zip(stamped.stacked_sent_at, committed_at, strict=True)
    ]
    cut = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "bench": "acceptor",
        "protocol": "ccnet",
        "notes": notes,
        "baud": BAUD,
        "poll_interval_ms": POLL_INTERVAL * 1000,
        "latency_ms": {
            "what": "simulator starts sending 'bill stacked' -> listener's fsync'd commit returns",
            "p50": round(statistics.median(latencies), 2),
            "p99": round(cut[98], 2),
            "max": round(max(latencies), 2),
            "mean": round(statistics.fmean(latencies), 2),
        },
        "wire_floor_ms": {
            "poll_round_trip": round(wire_ms(POLL_FRAME + STATUS_REPLY), 2),
            "stacked_reply": round(wire_ms(STACKED_REPLY), 2),
        },
        "credited_tiyn": sum(credited),
        "cassette_tiyn": sum(device.cassette),
        "duplicates": duplicates,
        "elapsed_s": round(elapsed, 1),
    }


def wire_ms(byte_count: int) -> float:
    return byte_count * BITS_PER_BYTE / BAUD * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=500, help="notes to stack (default 500)")
    parser.add_argument("--quick", action="store_true", help="a short run of 40 notes")
    args = parser.parse_args()
    notes = 40 if args.quick else args.notes
    if notes < 2:
        parser.error("--notes must be at least 2")
    print(json.dumps(run(notes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
