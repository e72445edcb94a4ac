"""Bill acceptor latency: from the simulator sending "bill stacked" (CCNET 0x81, ID-003 Vend
Valid 0x15, SSP credit 0xEE) to the listener's durable commit returning, over a TCP-served
simulator paced at 9600 baud, 100 ms poll interval — for each protocol, side by side.

Prints one JSON object with one entry per protocol. ``--notes N`` (default 500), ``--quick``
(40 notes, a smoke run), ``--protocol NAME`` (repeatable; default all). A full run takes about
N x 0.3 s per protocol (two poll cycles and their wire time per note).

SSP runs three ways: ``ssp`` (POLL WITH ACK, the driver's choice on units that know it),
``ssp-plain`` (firmware without it: POLL) and ``essp`` (POLL WITH ACK in an encrypted
session). Their ``seconds_per_note`` shows what EVENT ACK and encryption cost per note.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.bill import open as open_acceptor
from drivers.bill.base import AcceptorEvent, Decision, DuplicateStacked, Escrow, Stacked
from drivers.bill.ccnet.codes import Status
from drivers.bill.ccnet.frames import FrameReader
from drivers.bill.id003.codes import Status as Id003Status
from drivers.bill.id003.frames import FrameReader as Id003FrameReader
from drivers.bill.ssp.codes import Event as SspEvent
from drivers.bill.ssp.packets import PacketReader
from drivers.sim import start_simulator
from drivers.sim.bill.ccnet import KZT_NOTES, CcnetDevice, Timings
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.ssp import SspDevice

BAUD = 9600
POLL_INTERVAL = 0.1
BENCH_TIMINGS = Timings(0.1, 0.0, 0.0, 0.0, 0.05, 10.0)


@dataclass(frozen=True)
class Wire:
    """What one protocol looks like on the line, for the bench."""

    device: Callable[[], CcnetDevice | Id003Device | SspDevice]
    stacked_reports: Callable[[], Callable[[bytes], int]]  # reply bytes -> stacked reports
    bits_per_byte: int
    poll_frame: int
    status_reply: int
    stacked_reply: int
    simulator: str = ""  # the simulator kind and driver protocol, when not the entry's name
    options: tuple[tuple[str, int], ...] = ()  # driver options (the eSSP fixed key)


def _ccnet_stacked() -> Callable[[bytes], int]:
    reader = FrameReader()

    def count(reply: bytes) -> int:
        reader.feed(reply)
        found = 0
        while (frame := reader.next_frame()) is not None:
            found += frame.code == Status.STACKED
        return found

    return count


def _id003_stacked() -> Callable[[bytes], int]:
    reader = Id003FrameReader()

    def count(reply: bytes) -> int:
        reader.feed(reply)
        found = 0
        while (data := reader.next_frame()) is not None:
            found += data[0] == Id003Status.VEND_VALID
        return found

    return count


def _ssp_stacked() -> Callable[[bytes], int]:
    reader = PacketReader()

    def count(reply: bytes) -> int:
        reader.feed(reply)
        found = 0
        while (packet := reader.next_packet()) is not None:
            found += packet.data[:2] == bytes((0xF0, SspEvent.CREDIT))
        return found

    return count


class CreditStampingSsp(SspDevice):
    """An eSSP unit: its credit cannot be seen on the encrypted wire, so the unit itself
    counts the poll replies that carry one, for ``_essp_stacked``."""

    def __init__(self) -> None:
        super().__init__(seed=1, timings=BENCH_TIMINGS, require_encryption=True, fixed_key=ESSP_KEY)
        self.credits_sent = 0

    def _poll(self, *, with_ack: bool = False) -> bytes:
        reply = super()._poll(with_ack=with_ack)
        self.credits_sent += reply[1:2] == bytes((SspEvent.CREDIT,))
        return reply


def _essp_stacked(device: CreditStampingSsp) -> Callable[[], Callable[[bytes], int]]:
    def make() -> Callable[[bytes], int]:
        seen = 0

        def count(reply: bytes) -> int:
            nonlocal seen
            found, seen = device.credits_sent - seen, device.credits_sent
            return found

        return count

    return make


def _essp_wire() -> Wire:
    device = CreditStampingSsp()
    # eSSP DATA: 0x7E + 16-byte blocks; a poll and an empty poll reply fit one block each.
    return Wire(
        lambda: device, _essp_stacked(device), 11, 22, 22, 22, "ssp", (("fixed_key", ESSP_KEY),)
    )


ESSP_KEY = 0x0123456701234567
WIRES = {
    # CCNET 8N1: SYNC ADR LNG CMD CRC CRC; stacked = state byte + bill type.
    "ccnet": Wire(lambda: CcnetDevice(seed=1, timings=BENCH_TIMINGS), _ccnet_stacked, 10, 6, 6, 7),
    # ID-003 8E1: SYNC LNG CMD CRC CRC; Vend Valid carries no data.
    "id003": Wire(lambda: Id003Device(seed=1, timings=BENCH_TIMINGS), _id003_stacked, 11, 5, 5, 5),
    # SSP 8N2: STX SEQ LEN DATA CRC CRC; credit = OK, 0xEE, channel, 0xEB stacked.
    "ssp": Wire(lambda: SspDevice(seed=1, timings=BENCH_TIMINGS), _ssp_stacked, 11, 6, 6, 9),
    "ssp-plain": Wire(
        lambda: SspDevice(seed=1, timings=BENCH_TIMINGS, poll_with_ack=False),
        _ssp_stacked,
        11,
        6,
        6,
        9,
        "ssp",
    ),
}


class StampedDevice:
    """The simulator, noting when it first sends "bill stacked" for each note and feeding the
    next note once the previous one is acknowledged (a customer who never stops)."""

    def __init__(
        self, device: CcnetDevice | Id003Device | SspDevice, wire: Wire, notes: int
    ) -> None:
        self.device = device
        self.bits_per_byte = device.bits_per_byte
        self.stacked_sent_at: list[float] = []
        self._left = notes
        self._waiting_report = False
        self._stacked_reports = wire.stacked_reports()

    def receive_data(self, data: bytes) -> bytes:
        reply = self.device.receive_data(data)
        if self._stacked_reports(reply) and self._waiting_report:
            self.stacked_sent_at.append(time.monotonic())
            self._waiting_report = False
        if self._left and self.device.state == "idling" and not self._waiting_report:
            self.device.insert(KZT_NOTES[self._left % len(KZT_NOTES)])
            self._left -= 1
            self._waiting_report = True
        return reply

    def control(self, line: str) -> str:
        return self.device.control(line)


def run(protocol: str, notes: int) -> dict[str, object]:
    wire = _essp_wire() if protocol == "essp" else WIRES[protocol]
    kind = wire.simulator or protocol
    device = wire.device()
    stamped = StampedDevice(device, wire, notes)
    served = start_simulator(kind, listen="tcp://127.0.0.1:0", baud=BAUD, device=stamped)
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

    acceptor = open_acceptor(kind, served.port, poll_interval=POLL_INTERVAL, **dict(wire.options))
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
        "protocol": protocol,
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
            "poll_round_trip": round(wire_ms(wire, wire.poll_frame + wire.status_reply), 2),
            "stacked_reply": round(wire_ms(wire, wire.stacked_reply), 2),
        },
        "credited_tiyn": sum(credited),
        "cassette_tiyn": sum(device.cassette),
        "duplicates": duplicates,
        "elapsed_s": round(elapsed, 1),
        "seconds_per_note": round(elapsed / notes, 3),
    }


def wire_ms(wire: Wire, byte_count: int) -> float:
    return byte_count * wire.bits_per_byte / BAUD * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=500, help="notes to stack (default 500)")
    parser.add_argument("--quick", action="store_true", help="a short run of 40 notes")
    parser.add_argument(
        "--protocol", action="append", choices=sorted([*WIRES, "essp"]), help="only this protocol"
    )
    args = parser.parse_args()
    notes = 40 if args.quick else args.notes
    if notes < 2:
        parser.error("--notes must be at least 2")
    protocols = args.protocol or [*WIRES, "essp"]
    print(json.dumps({"bench": "acceptor", "protocols": [run(p, notes) for p in protocols]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
