"""Sans-IO CCNET bill validator: the simulator's device side of the wire.

``CcnetDevice`` is the validator's mechanics (see mechanics.py) plus its CCNET interface:
frames in, frames out, ACK/NAK rules, the state rule (a command the present state does not
take is answered ILLEGAL COMMAND), and line faults a test can script (noise on what it sends,
frames from the host lost, a muted line).

The state rule, from the CCNET manual as quoted by independent hosts
(sadeqAlbana/newCashCodeCLI utils.h; kiriculum/cashcode_ccnet ccnet/ccnet.py checks the state
before each of these): IDENTIFICATION, GET BILL TABLE and REQUEST STATISTICS only in power up,
initialize, a failure state (0x41-0x47) or unit disabled; STACK, RETURN and HOLD only with a
note in escrow (or holding).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from drivers.bill.ccnet.codes import (
    ADDRESS_BILL_VALIDATOR,
    ILLEGAL_COMMAND,
    QUIET_STATES,
    Command,
    Status,
)
from drivers.bill.ccnet.frames import Frame, FrameReader, encode_frame
from drivers.bill.ccnet.records import (
    Identification,
    RecordError,
    decode_masks,
    encode_bill_table,
    encode_identification,
    encode_masks,
)
from drivers.sim.bill.control import handle_control_line
from drivers.sim.bill.mechanics import (
    INSTANT,
    KZT_NOTES,
    Phase,
    SimulatorRefused,
    Timings,
    ValidatorMechanics,
)
from drivers.transport import Clock

__all__ = ["INSTANT", "KZT_NOTES", "CcnetDevice", "SimulatorRefused", "Timings"]

_ACK = bytes((Command.ACK,))
_NAK = bytes((Command.NAK,))
_ILLEGAL = bytes((ILLEGAL_COMMAND,))
_ORDERS = {Command.STACK: "stack", Command.RETURN: "return", Command.HOLD: "hold"}
# Commands a unit takes only in QUIET_STATES (power up, initialize, disabled, failures).
_QUIET_ONLY = frozenset(
    {Command.IDENTIFICATION, Command.GET_BILL_TABLE, Command.REQUEST_STATISTICS}
)


class CcnetDevice(ValidatorMechanics):
    """A simulated CCNET bill validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 10  # 8N1

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
        address: int = ADDRESS_BILL_VALIDATOR,
    ) -> None:
        super().__init__(clock=clock, notes=notes, timings=timings, capacity=capacity)
        self._rng = random.Random(seed)
        self._bill_table = encode_bill_table(self.bill_amounts)
        self.identification = Identification(
            part_number="SM-KZ-SIM-1.0",
            serial_number=f"SIM{self._rng.randrange(10**9):09d}",
            asset_number=f"{self._rng.randrange(10**7):07d}",
        )
        self._address = address
        self._reader = FrameReader(address)
        self._last_reply = b""
        self._reply_needs_ack = False
        self._data_reply_pending: int | None = None
        # How often the host left a data reply unacknowledged, by the command it answered.
        self.unacknowledged: Counter[int] = Counter()
        self._noise_left = 0
        self._drop_left = 0
        self._mute_until = float("-inf")
        self.frames_received = 0

    def receive_data(self, data: bytes) -> bytes:
        """Bytes from the host in; reply bytes out (nothing while muted)."""
        with self._lock:
            self._advance()
            if self._clock.monotonic() < self._mute_until:
                return b""
            self._reader.feed(data)
            out = bytearray()
            while (frame := self._reader.next_frame()) is not None:
                self.frames_received += 1
                if self._drop_left:
                    self._drop_left -= 1
                    continue
                reply = self._handle(frame)
                if reply is not None:
                    out += self._send(reply)
            if self._reader.take_corrupt():
                out += self._send(_NAK, remember=False)  # "say that again"
            return bytes(out)

    def _send(self, reply: bytes, *, remember: bool = True) -> bytes:
        if remember:
            self._last_reply = reply
        raw = bytearray(encode_frame(reply, self._address))
        if self._noise_left:
            self._noise_left -= 1
            # One flipped bit after the length byte: framing survives, the CRC catches it.
            position = self._rng.randrange(3, len(raw))
            raw[position] ^= 1 << self._rng.randrange(8)
        return bytes(raw)

    def _handle(self, frame: Frame) -> bytes | None:
        code, args = frame.code, frame.data[1:]
        if code == Command.ACK:
            if self._reply_needs_ack:
                self.acknowledged()
            self._reply_needs_ack = False
            self._data_reply_pending = None
            return None
        if code == Command.NAK:
            return self._last_reply or None  # repeat the last reply
        self._reply_needs_ack = False
        if self._data_reply_pending is not None:
            self.unacknowledged[self._data_reply_pending] += 1
        reply = self._answer(code, args)
        # Every reply but a bare ACK/NAK is data the host acknowledges (ILLEGAL COMMAND too).
        self._data_reply_pending = code if reply is not None and reply != _ACK else None
        return reply

    def _answer(self, code: int, args: bytes) -> bytes | None:
        if code == Command.POLL:
            status = self.status()
            self.polled()
            # Stacked and returned reports repeat on every POLL until the host ACKs one.
            self._reply_needs_ack = status.code in (Status.STACKED, Status.RETURNED)
            return status.to_bytes()
        if code == Command.RESET:
            self.host_reset()
            return _ACK
        if code in _QUIET_ONLY and self.status().code not in QUIET_STATES:
            return _ILLEGAL  # not while the unit is enabled or moving a note
        if code == Command.IDENTIFICATION:
            return encode_identification(self.identification)
        if code == Command.GET_BILL_TABLE:
            return self._bill_table
        if code == Command.GET_STATUS:
            return encode_masks(self.enable_mask, self.security_mask)
        if self.phase is Phase.POWER_UP:
            return _ILLEGAL  # the device wants a RESET first
        if code == Command.ENABLE_BILL_TYPES:
            try:
                self.enable_mask, self.escrow_mask = decode_masks(args)
            except RecordError:
                return _ILLEGAL
            return _ACK
        if code == Command.SET_SECURITY and len(args) == 3:
            self.security_mask = int.from_bytes(args, "big")
            return _ACK
        if code in _ORDERS and not args:
            return _ACK if self.order(_ORDERS[Command(code)]) else _ILLEGAL
        return _ILLEGAL  # unknown command, bad arguments; statistics are not simulated

    def power_cycle(self) -> None:
        with self._lock:
            super().power_cycle()
            self._reader.clear()
            self._last_reply = b""
            self._reply_needs_ack = False
            self._data_reply_pending = None

    def left_enabled(self) -> None:
        """A previous host initialised the unit, enabled every bill type with escrow and
        died: the unit idles, accepting notes, with nobody polling."""
        with self._lock:
            self._idle_as_left()
            known = [i for i, amount in enumerate(self.bill_amounts) if amount]
            self.enable_mask = self.escrow_mask = sum(1 << i for i in known)

    # ----- line faults a test can script -------------------------------------------------
    def noise(self, frames: int) -> None:
        """Corrupt the next ``frames`` frames the device sends."""
        if frames < 0:
            raise SimulatorRefused("noise takes a frame count >= 0")
        with self._lock:
            self._noise_left = frames

    def drop(self, frames: int) -> None:
        """Lose the next ``frames`` frames from the host (e.g. its ACK) before they arrive."""
        if frames < 0:
            raise SimulatorRefused("drop takes a frame count >= 0")
        with self._lock:
            self._drop_left = frames

    def mute(self, seconds: float) -> None:
        """Answer nothing (and hear nothing) for ``seconds`` of the device clock."""
        if seconds < 0:
            raise SimulatorRefused("mute takes seconds >= 0")
        with self._lock:
            self._mute_until = self._clock.monotonic() + seconds
            self._reader.clear()

    def control(self, line: str) -> str:
        """One control-channel command line in, one answer line out (never raises)."""
        return handle_control_line(self, line)
