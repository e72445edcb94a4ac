"""Sans-IO ID-003 bill validator: the simulator's device side of the wire.

``Id003Device`` is the shared validator mechanics (drivers/sim/bill/mechanics.py: the note
path, faults, ground truth) behind an ID-003 interface: frames in, frames out, statuses
translated, Vend Valid held until the host's ACK, setting commands echoed, and the same
scriptable line faults as the CCNET simulator (noise, drop, mute) and control channel.

It speaks polling mode only: SET COMMUNICATION MODE to an interrupt mode (``C2 01``/``C2 02``)
is answered INVALID COMMAND (0x4B), never echoed, because this device never sends the ENQ
(0x05) such a host then waits for. A host that takes the echo as "stop polling"
(lamassu-machine lib/id003/id003.js) keeps polling after a refusal.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from drivers.bill.ccnet.codes import Status as Mech
from drivers.bill.id003.codes import (
    DENOMINATIONS,
    FIRST_ESCROW_CODE,
    READ_BACK,
    REJECT_DENOMINATION,
    REJECT_INHIBIT,
    SETTING_DATA_LENGTH,
    Command,
    CommunicationMode,
    Status,
)
from drivers.bill.id003.frames import FrameReader, encode_frame
from drivers.bill.id003.protocol import Id003Status, enabled_indexes, encode_currency_assign
from drivers.sim.bill.control import handle_control_line
from drivers.sim.bill.mechanics import (
    KZT_NOTES,
    Phase,
    SimulatorRefused,
    Timings,
    ValidatorMechanics,
)
from drivers.transport import Clock

if TYPE_CHECKING:
    from drivers.sim.bill.ccnet import CcnetDevice

__all__ = ["Id003Device", "SimulatorRefused", "Timings"]

_ACK = bytes((Command.ACK,))
_INVALID = bytes((Status.INVALID_COMMAND,))
_POLLING = bytes((CommunicationMode.POLLING,))
_ORDERS = {Command.STACK_1: "stack", Command.STACK_2: "stack", Command.RETURN: "return"}
# The mechanics speak CCNET states; the wire speaks ID-003.
_STATUS = {
    Mech.POWER_UP: Status.POWER_UP,
    Mech.POWER_UP_BILL_IN_VALIDATOR: Status.POWER_UP_BILL_IN_ACCEPTOR,
    Mech.POWER_UP_BILL_IN_STACKER: Status.POWER_UP_BILL_IN_STACKER,
    Mech.INITIALIZE: Status.INITIALIZE,
    Mech.IDLING: Status.IDLING,
    Mech.UNIT_DISABLED: Status.DISABLED,
    Mech.ACCEPTING: Status.ACCEPTING,
    Mech.ESCROW: Status.ESCROW,
    Mech.HOLDING: Status.HOLDING,
    Mech.STACKING: Status.STACKING,
    Mech.STACKED: Status.VEND_VALID,
    Mech.RETURNING: Status.RETURNING,
    Mech.RETURNED: Status.RETURNING,
    Mech.REJECTING: Status.REJECTING,
    Mech.CASSETTE_FULL: Status.STACKER_FULL,
    Mech.CASSETTE_OUT: Status.STACKER_OPEN,
    Mech.VALIDATOR_JAMMED: Status.JAM_IN_ACCEPTOR,
    Mech.CASSETTE_JAMMED: Status.JAM_IN_STACKER,
    Mech.CHEATED: Status.CHEATED,
    Mech.FAILURE: Status.FAILURE,
}
_REJECT = {0x65: REJECT_DENOMINATION, 0x68: REJECT_INHIBIT}
_FAILURE = {0x50: 0xA2, 0x51: 0xA5, 0x52: 0xA6}  # the control channel's CCNET-style codes
_ALL_TYPES = (1 << 24) - 1


class Id003Device(ValidatorMechanics):
    """A simulated ID-003 bill validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 11  # 8E1

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
    ) -> None:
        if len(notes) > DENOMINATIONS:
            raise ValueError(f"ID-003 has at most {DENOMINATIONS} denominations")
        super().__init__(clock=clock, notes=notes, timings=timings, capacity=capacity)
        self._rng = random.Random(seed)
        self._currency = bytes((Command.GET_CURRENCY_ASSIGN,)) + encode_currency_assign(
            tuple(notes)
        )
        self.version = f"ID003-SIM KZT V1.00 SN{self._rng.randrange(10**9):09d}"
        self._settings: dict[int, bytes] = {}
        self._reader = FrameReader()
        self._last_reply = b""
        self._stacked_to_report = False
        self._noise_left = 0
        self._drop_left = 0
        self._mute_until = float("-inf")
        self.frames_received = 0
        self._reset_settings()

    def _reset_settings(self) -> None:
        self._settings = {int(c): bytes(n) for c, n in SETTING_DATA_LENGTH.items()}
        self._settings[Command.SET_DENOMINATIONS] = b"\xff\xff"
        self._settings[Command.SET_INHIBIT] = b"\x01"
        self.enable_mask = 0

    def _apply_settings(self) -> None:
        if self._settings[Command.SET_INHIBIT] != b"\x00":
            self.enable_mask = 0
            return
        indexes = enabled_indexes(self._settings[Command.SET_DENOMINATIONS])
        self.enable_mask = sum(1 << i for i in indexes if i < len(self.bill_amounts))
        self.escrow_mask = _ALL_TYPES  # ID-003 always holds a note for the host's decision

    def wire_status(self) -> Id003Status:
        """What a status request reports now."""
        if self._stacked_to_report:
            return Id003Status(Status.STACKED)
        mech = self.status()
        code = _STATUS.get(Mech(mech.code), Status.FAILURE)
        detail: int | None = None
        if code == Status.ESCROW:
            detail = FIRST_ESCROW_CODE + (mech.detail or 0)
        elif code == Status.REJECTING:
            reason = mech.detail or 0x65
            detail = _REJECT.get(reason, reason)
        elif code == Status.FAILURE:
            detail = _FAILURE.get(mech.detail or 0, mech.detail or 0)
        return Id003Status(code, detail)

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
            self._reader.take_corrupt()  # a damaged command is ignored: the host asks again
            return bytes(out)

    def _send(self, reply: bytes) -> bytes:
        self._last_reply = reply
        raw = bytearray(encode_frame(reply))
        if self._noise_left:
            self._noise_left -= 1
            # One flipped bit after the length byte: framing survives, the CRC catches it.
            raw[self._rng.randrange(2, len(raw))] ^= 1 << self._rng.randrange(8)
        return bytes(raw)

    def _handle(self, frame: bytes) -> bytes | None:
        code, args = frame[0], frame[1:]
        if code == Command.ACK:
            if self.phase is Phase.STACKED:
                self.acknowledged()
                self._stacked_to_report = True  # "stacked" once, then idling
            return None
        if code == Command.STATUS_REQUEST:
            status = self.wire_status()
            self.polled()
            if self._stacked_to_report:
                self._stacked_to_report = False
            elif self.phase is Phase.RETURNED:
                self.acknowledged()  # ID-003 has no "returned" report: reported once as such
            return status.to_bytes()
        if code == Command.RESET:
            self._stacked_to_report = False
            self.host_reset()
            self._reset_settings()
            return _ACK
        if code == Command.GET_VERSION:
            return bytes((code,)) + self.version.encode("ascii")
        if code == Command.GET_CURRENCY_ASSIGN:
            return self._currency
        if code in READ_BACK:
            return bytes((code,)) + self._settings[READ_BACK[Command(code)]]
        if self.phase is Phase.POWER_UP:
            return _INVALID  # the device wants a RESET first
        if code in SETTING_DATA_LENGTH:
            if len(args) != SETTING_DATA_LENGTH[Command(code)]:
                return _INVALID
            if code == Command.SET_COMMUNICATION_MODE and args != _POLLING:
                return _INVALID  # no ENQ is ever sent: refused, so the host keeps polling
            self._settings[code] = bytes(args)
            self._apply_settings()
            return bytes(frame)  # a setting is echoed
        if code in _ORDERS and not args:
            return _ACK if self.order(_ORDERS[Command(code)]) else _INVALID
        if code == Command.HOLD and not args:
            return _ACK if self.order("hold") else _INVALID
        if code == Command.WAIT and not args:
            return _ACK
        return _INVALID

    def fail(self, code: int = 0xA2) -> None:
        """A hardware failure with the given ID-003 failure code (default: stack motor)."""
        super().fail(code)

    def insert_fake(self, reason: int = REJECT_DENOMINATION) -> None:
        """A forged note; rejected with ``reason`` (default: denomination assessing)."""
        super().insert_fake(reason)

    def power_cycle(self) -> None:
        with self._lock:
            self._stacked_to_report = False
            super().power_cycle()
            self._reader.clear()
            self._last_reply = b""
            self._reset_settings()

    def left_enabled(self) -> None:
        """A previous host reset the unit, enabled every denomination, lifted the inhibit and
        died: the unit idles, accepting notes, with nobody polling."""
        with self._lock:
            self._idle_as_left()
            self._settings[Command.SET_DENOMINATIONS] = b"\x00\x00"
            self._settings[Command.SET_INHIBIT] = b"\x00"
            self._apply_settings()

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
        # The control channel uses only the device API every simulator shares.
        return handle_control_line(cast("CcnetDevice", self), line)
