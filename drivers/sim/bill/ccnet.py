"""Sans-IO CCNET bill validator: the simulator's device side of the wire.

``CcnetDevice`` has the validator's mechanics (see mechanics.py) and adds its CCNET interface:
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
from drivers.bill.ccnet.protocol import PollStatus
from drivers.bill.ccnet.records import (
    BILL_TYPES,
    Identification,
    RecordError,
    decode_masks,
    encode_bill_table,
    encode_identification,
    encode_masks,
)
from drivers.sim.bill.device import SimulatedValidator
from drivers.sim.bill.mechanics import (
    INSTANT,
    KZT_NOTES,
    Condition,
    Failure,
    Phase,
    Rejection,
    SimulatorRefused,
    Timings,
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
# The mechanics' conditions on the CCNET wire.
_STATUS = {
    Condition.POWER_UP: Status.POWER_UP,
    Condition.POWER_UP_NOTE_IN_ACCEPTOR: Status.POWER_UP_BILL_IN_VALIDATOR,
    Condition.POWER_UP_NOTE_IN_STACKER: Status.POWER_UP_BILL_IN_STACKER,
    Condition.INITIALIZE: Status.INITIALIZE,
    Condition.IDLE: Status.IDLING,
    Condition.DISABLED: Status.UNIT_DISABLED,
    Condition.ACCEPTING: Status.ACCEPTING,
    Condition.ESCROW: Status.ESCROW,
    Condition.HOLDING: Status.HOLDING,
    Condition.STACKING: Status.STACKING,
    Condition.STACKED: Status.STACKED,
    Condition.RETURNING: Status.RETURNING,
    Condition.RETURNED: Status.RETURNED,
    Condition.REJECTING: Status.REJECTING,
    Condition.CASSETTE_FULL: Status.CASSETTE_FULL,
    Condition.CASSETTE_OUT: Status.CASSETTE_OUT,
    Condition.JAMMED: Status.VALIDATOR_JAMMED,
    Condition.CASSETTE_JAMMED: Status.CASSETTE_JAMMED,
    Condition.CHEATED: Status.CHEATED,
    Condition.FAILURE: Status.FAILURE,
}
_WITH_NOTE_TYPE = frozenset({Status.ESCROW, Status.STACKED, Status.RETURNED})
_REJECT = {Rejection.UNRECOGNISED: 0x65, Rejection.INHIBITED: 0x68}  # identification, inhibit
REJECT_INSERTION = 0x60
_FAILURE = {
    Failure.STACK_MOTOR: 0x50,
    Failure.TRANSPORT_MOTOR_SPEED: 0x51,
    Failure.TRANSPORT_MOTOR: 0x52,
}


class CcnetDevice(SimulatedValidator):
    """A simulated CCNET bill validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 10  # 8N1
    max_note_types = BILL_TYPES
    protocol = "CCNET"

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
        self._frames = FrameReader(address)
        super().__init__(
            self._frames, clock=clock, seed=seed, notes=notes, timings=timings, capacity=capacity
        )
        self._bill_table = encode_bill_table(self.bill_amounts)
        self.identification = Identification(
            part_number="SM-KZ-SIM-1.0",
            serial_number=f"SIM{self._rng.randrange(10**9):09d}",
            asset_number=f"{self._rng.randrange(10**7):07d}",
        )
        self._address = address
        self.security_mask = 0
        self._reply_needs_ack = False
        self._data_reply_pending: int | None = None
        # How often the host left a data reply unacknowledged, by the command it answered.
        self.unacknowledged: Counter[int] = Counter()

    def status(self) -> PollStatus:
        """What a POLL reports now."""
        report = self.mechanics.report()
        code = _STATUS[report.condition]
        if code in _WITH_NOTE_TYPE:
            return PollStatus(code, report.note_type)
        if code is Status.REJECTING:
            rejection = report.rejection
            return PollStatus(code, _REJECT[rejection] if rejection else REJECT_INSERTION)
        if code is Status.FAILURE:
            failure = report.failure
            return PollStatus(code, _FAILURE[failure] if isinstance(failure, Failure) else failure)
        return PollStatus(code)

    # ----- the wire --------------------------------------------------------------------
    def _next_message(self) -> Frame | None:
        return self._frames.next_frame()

    def _reply_to(self, message: object) -> bytes:
        assert isinstance(message, Frame)
        reply = self._handle(message)
        return self._send(reply) if reply is not None else b""

    def _corrupt_heard(self) -> bytes:
        return self._send(_NAK, remember=False)  # "say that again"

    def _send(self, reply: bytes, *, remember: bool = True) -> bytes:
        if remember:
            self._last_reply = reply
        return self._noisy(encode_frame(reply, self._address), first=3)

    def _handle(self, frame: Frame) -> bytes | None:
        code, args = frame.code, frame.data[1:]
        if code == Command.ACK:
            if self._reply_needs_ack:
                self.mechanics.acknowledged()
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
            return self._poll()
        if code == Command.RESET:
            self.mechanics.host_reset()
            return _ACK
        if code in _QUIET_ONLY and self.status().code not in QUIET_STATES:
            return _ILLEGAL  # not while the unit is enabled or moving a note
        if code == Command.IDENTIFICATION:
            return encode_identification(self.identification)
        if code == Command.GET_BILL_TABLE:
            return self._bill_table
        if code == Command.GET_STATUS:
            return encode_masks(self.mechanics.enable_mask, self.security_mask)
        if self.mechanics.phase is Phase.POWER_UP:
            return _ILLEGAL  # the device wants a RESET first
        return self._setting_or_order(code, args)

    def _poll(self) -> bytes:
        status = self.status()
        self.mechanics.polled()
        # Stacked and returned reports repeat on every POLL until the host ACKs one.
        self._reply_needs_ack = status.code in (Status.STACKED, Status.RETURNED)
        return status.to_bytes()

    def _setting_or_order(self, code: int, args: bytes) -> bytes:
        mechanics = self.mechanics
        if code == Command.ENABLE_BILL_TYPES:
            try:
                mechanics.enable_mask, mechanics.escrow_mask = decode_masks(args)
            except RecordError:
                return _ILLEGAL
            return _ACK
        if code == Command.SET_SECURITY and len(args) == 3:
            self.security_mask = int.from_bytes(args, "big")
            return _ACK
        if code in _ORDERS and not args:
            return _ACK if mechanics.order(_ORDERS[Command(code)]) else _ILLEGAL
        return _ILLEGAL  # unknown command, bad arguments; statistics are not simulated

    # ----- the shared device API, in CCNET terms ------------------------------------------
    def _restarted(self) -> None:
        self._reply_needs_ack = False
        self._data_reply_pending = None

    def _enable_everything(self) -> None:
        known = [i for i, amount in enumerate(self.bill_amounts) if amount]
        self.mechanics.enable_mask = self.mechanics.escrow_mask = sum(1 << i for i in known)
