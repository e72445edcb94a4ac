"""Sans-IO ID-003 bill validator: the simulator's device side of the wire.

``Id003Device`` has the shared validator mechanics (drivers/sim/bill/mechanics.py: the note
path, faults, ground truth) and puts an ID-003 interface in front of it: frames in, frames
out, the mechanics' conditions as ID-003 statuses, Vend Valid held until the host's ACK,
setting commands echoed, and the line faults and control channel every simulated validator
shares (device.py).

It speaks polling mode only: SET COMMUNICATION MODE to an interrupt mode (``C2 01``/``C2 02``)
is answered INVALID COMMAND (0x4B), never echoed, because this device never sends the ENQ
(0x05) such a host then waits for. A host that takes the echo as "stop polling"
(lamassu-machine lib/id003/id003.js) keeps polling after a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
from drivers.sim.bill.device import SimulatedValidator
from drivers.sim.bill.mechanics import (
    KZT_NOTES,
    Condition,
    Failure,
    Phase,
    Rejection,
    SimulatorRefused,
    Timings,
)
from drivers.transport import Clock

__all__ = ["Id003Device", "SimulatorRefused", "Timings"]

_ACK = bytes((Command.ACK,))
_INVALID = bytes((Status.INVALID_COMMAND,))
_POLLING = bytes((CommunicationMode.POLLING,))
_ORDERS = {
    Command.STACK_1: "stack",
    Command.STACK_2: "stack",
    Command.RETURN: "return",
    Command.HOLD: "hold",
}
# The mechanics' conditions on the ID-003 wire.
_STATUS = {
    Condition.POWER_UP: Status.POWER_UP,
    Condition.POWER_UP_NOTE_IN_ACCEPTOR: Status.POWER_UP_BILL_IN_ACCEPTOR,
    Condition.POWER_UP_NOTE_IN_STACKER: Status.POWER_UP_BILL_IN_STACKER,
    Condition.INITIALIZE: Status.INITIALIZE,
    Condition.IDLE: Status.IDLING,
    Condition.DISABLED: Status.DISABLED,
    Condition.ACCEPTING: Status.ACCEPTING,
    Condition.ESCROW: Status.ESCROW,
    Condition.HOLDING: Status.HOLDING,
    Condition.STACKING: Status.STACKING,
    Condition.STACKED: Status.VEND_VALID,
    Condition.RETURNING: Status.RETURNING,
    Condition.RETURNED: Status.RETURNING,
    Condition.REJECTING: Status.REJECTING,
    Condition.CASSETTE_FULL: Status.STACKER_FULL,
    Condition.CASSETTE_OUT: Status.STACKER_OPEN,
    Condition.JAMMED: Status.JAM_IN_ACCEPTOR,
    Condition.CASSETTE_JAMMED: Status.JAM_IN_STACKER,
    Condition.CHEATED: Status.CHEATED,
    Condition.FAILURE: Status.FAILURE,
}
_REJECT = {Rejection.UNRECOGNISED: REJECT_DENOMINATION, Rejection.INHIBITED: REJECT_INHIBIT}
_FAILURE = {
    Failure.STACK_MOTOR: 0xA2,
    Failure.TRANSPORT_MOTOR_SPEED: 0xA5,
    Failure.TRANSPORT_MOTOR: 0xA6,
}
_ALL_TYPES = (1 << 24) - 1


class Id003Device(SimulatedValidator):
    """A simulated ID-003 bill validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 11  # 8E1
    max_note_types = DENOMINATIONS
    protocol = "ID-003"

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
    ) -> None:
        self._frames = FrameReader()
        super().__init__(
            self._frames, clock=clock, seed=seed, notes=notes, timings=timings, capacity=capacity
        )
        self._currency = bytes((Command.GET_CURRENCY_ASSIGN,)) + encode_currency_assign(
            tuple(notes)
        )
        self.version = f"ID003-SIM KZT V1.00 SN{self._rng.randrange(10**9):09d}"
        self._settings: dict[int, bytes] = {}
        self._stacked_to_report = False
        self._reset_settings()

    def _reset_settings(self) -> None:
        self._settings = {int(c): bytes(n) for c, n in SETTING_DATA_LENGTH.items()}
        self._settings[Command.SET_DENOMINATIONS] = b"\xff\xff"
        self._settings[Command.SET_INHIBIT] = b"\x01"
        self.mechanics.enable_mask = 0

    def _apply_settings(self) -> None:
        mechanics = self.mechanics
        if self._settings[Command.SET_INHIBIT] != b"\x00":
            mechanics.enable_mask = 0
            return
        indexes = enabled_indexes(self._settings[Command.SET_DENOMINATIONS])
        mechanics.enable_mask = sum(1 << i for i in indexes if i < len(self.bill_amounts))
        mechanics.escrow_mask = _ALL_TYPES  # ID-003 always holds a note for the host's decision

    def wire_status(self) -> Id003Status:
        """What a status request reports now."""
        if self._stacked_to_report:
            return Id003Status(Status.STACKED)
        report = self.mechanics.report()
        code = _STATUS[report.condition]
        detail: int | None = None
        if code == Status.ESCROW:
            detail = FIRST_ESCROW_CODE + report.note_type
        elif code == Status.REJECTING:
            detail = _REJECT[report.rejection or Rejection.UNRECOGNISED]
        elif code == Status.FAILURE:
            failure = report.failure
            detail = _FAILURE[failure] if isinstance(failure, Failure) else failure
        return Id003Status(code, detail)

    # ----- the wire --------------------------------------------------------------------
    def _next_message(self) -> bytes | None:
        return self._frames.next_frame()

    def _reply_to(self, message: object) -> bytes:
        assert isinstance(message, bytes)
        reply = self._handle(message)
        if reply is None:
            return b""
        self._last_reply = reply
        return self._noisy(encode_frame(reply), first=2)

    def _handle(self, frame: bytes) -> bytes | None:
        code, args = frame[0], frame[1:]
        if code == Command.ACK:
            if self.mechanics.phase is Phase.STACKED:
                self.mechanics.acknowledged()
                self._stacked_to_report = True  # "stacked" once, then idling
            return None
        answer = _ANSWERS.get(code)
        if answer is not None:
            return answer(self, code, args)
        if self.mechanics.phase is Phase.POWER_UP:
            return _INVALID  # the device wants a RESET first
        if code in SETTING_DATA_LENGTH:
            return self._set(code, args, frame)
        if code in _ORDERS and not args:
            return _ACK if self.mechanics.order(_ORDERS[Command(code)]) else _INVALID
        if code == Command.WAIT and not args:
            return _ACK
        return _INVALID

    def _status_request(self, code: int, args: bytes) -> bytes:
        status = self.wire_status()
        self.mechanics.polled()
        if self._stacked_to_report:
            self._stacked_to_report = False
        elif self.mechanics.phase is Phase.RETURNED:
            self.mechanics.acknowledged()  # ID-003 has no "returned" report: reported once
        return status.to_bytes()

    def _reset(self, code: int, args: bytes) -> bytes:
        self._stacked_to_report = False
        self.mechanics.host_reset()
        self._reset_settings()
        return _ACK

    def _read(self, code: int, args: bytes) -> bytes:
        if code == Command.GET_VERSION:
            return bytes((code,)) + self.version.encode("ascii")
        if code == Command.GET_CURRENCY_ASSIGN:
            return self._currency
        return bytes((code,)) + self._settings[READ_BACK[Command(code)]]

    def _set(self, code: int, args: bytes, frame: bytes) -> bytes:
        if len(args) != SETTING_DATA_LENGTH[Command(code)]:
            return _INVALID
        if code == Command.SET_COMMUNICATION_MODE and args != _POLLING:
            return _INVALID  # no ENQ is ever sent: refused, so the host keeps polling
        self._settings[code] = bytes(args)
        self._apply_settings()
        return bytes(frame)  # a setting is echoed

    # ----- the shared device API, in ID-003 terms -----------------------------------------
    def _restarted(self) -> None:
        self._stacked_to_report = False
        self._reset_settings()

    def _enable_everything(self) -> None:
        """A previous host reset the unit, enabled every denomination and lifted the
        inhibit."""
        self._settings[Command.SET_DENOMINATIONS] = b"\x00\x00"
        self._settings[Command.SET_INHIBIT] = b"\x00"
        self._apply_settings()


# Commands answered in any state, power-up included.
_ANSWERS: dict[int, Callable[[Id003Device, int, bytes], bytes]] = {
    Command.STATUS_REQUEST: Id003Device._status_request,
    Command.RESET: Id003Device._reset,
    Command.GET_VERSION: Id003Device._read,
    Command.GET_CURRENCY_ASSIGN: Id003Device._read,
    **{int(code): Id003Device._read for code in READ_BACK},
}
