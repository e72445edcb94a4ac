"""JCM ID-003 code tables: host commands, statuses, reject reasons, failure codes.

Values come from PROTOCOLS.md §2. Several status codes equal command codes (0x11 is both
"status request" and "idling", 0x40 both "reset" and "power up"): a byte means one or the
other only by its direction. Unknown reject or failure codes keep their byte, named in hex.
"""

from __future__ import annotations

import enum

SYNC = 0xFC
BAUD = 9600  # 8E1; some units run at 19200


class Command(enum.IntEnum):
    """Host → device command codes."""

    STATUS_REQUEST = 0x11
    ACK = 0x50
    RESET = 0x40
    STACK_1 = 0x41
    STACK_2 = 0x42
    RETURN = 0x43
    HOLD = 0x44
    WAIT = 0x45
    SET_DENOMINATIONS = 0xC0
    SET_SECURITY = 0xC1
    SET_COMMUNICATION_MODE = 0xC2
    SET_INHIBIT = 0xC3
    SET_DIRECTION = 0xC4
    SET_OPTIONAL_FUNCTION = 0xC5
    GET_DENOMINATIONS = 0x80
    GET_SECURITY = 0x81
    GET_COMMUNICATION_MODE = 0x82
    GET_INHIBIT = 0x83
    GET_DIRECTION = 0x84
    GET_OPTIONAL_FUNCTION = 0x85
    GET_VERSION = 0x88
    GET_CURRENCY_ASSIGN = 0x8A


# Setting commands, echoed by the device, with their data length.
SETTING_DATA_LENGTH: dict[Command, int] = {
    Command.SET_DENOMINATIONS: 2,
    Command.SET_SECURITY: 2,
    Command.SET_COMMUNICATION_MODE: 1,
    Command.SET_INHIBIT: 1,
    Command.SET_DIRECTION: 1,
    Command.SET_OPTIONAL_FUNCTION: 2,
}

# Read-back commands and the setting whose value they return.
READ_BACK: dict[Command, Command] = {
    Command.GET_DENOMINATIONS: Command.SET_DENOMINATIONS,
    Command.GET_SECURITY: Command.SET_SECURITY,
    Command.GET_COMMUNICATION_MODE: Command.SET_COMMUNICATION_MODE,
    Command.GET_INHIBIT: Command.SET_INHIBIT,
    Command.GET_DIRECTION: Command.SET_DIRECTION,
    Command.GET_OPTIONAL_FUNCTION: Command.SET_OPTIONAL_FUNCTION,
}

# Operation commands the device answers with ACK.
OPERATIONS = frozenset(
    {Command.RESET, Command.STACK_1, Command.STACK_2, Command.RETURN, Command.HOLD, Command.WAIT}
)

INHIBIT_ACCEPT = 0x00
INHIBIT_ON = 0x01


class CommunicationMode(enum.IntEnum):
    """SET COMMUNICATION MODE (0xC2) data. In an interrupt mode the unit sends ENQ (0x05)
    when its status changes and the host stops polling (lamassu-machine lib/id003)."""

    POLLING = 0x00
    INTERRUPT_1 = 0x01
    INTERRUPT_2 = 0x02


ENQ = 0x05  # what a unit in an interrupt mode sends on a status change


class Status(enum.IntEnum):
    """Device statuses (first data byte of a reply to a status request)."""

    IDLING = 0x11
    ACCEPTING = 0x12
    ESCROW = 0x13
    STACKING = 0x14
    VEND_VALID = 0x15
    STACKED = 0x16
    REJECTING = 0x17
    RETURNING = 0x18
    HOLDING = 0x19
    DISABLED = 0x1A
    INITIALIZE = 0x1B
    POWER_UP = 0x40
    POWER_UP_BILL_IN_ACCEPTOR = 0x41
    POWER_UP_BILL_IN_STACKER = 0x42
    STACKER_FULL = 0x43
    STACKER_OPEN = 0x44
    JAM_IN_ACCEPTOR = 0x45
    JAM_IN_STACKER = 0x46
    PAUSE = 0x47
    CHEATED = 0x48
    FAILURE = 0x49
    COMMUNICATION_ERROR = 0x4A
    INVALID_COMMAND = 0x4B


STATE_NAMES: dict[int, str] = {
    Status.IDLING: "idling",
    Status.ACCEPTING: "accepting",
    Status.ESCROW: "escrow",
    Status.STACKING: "stacking",
    Status.VEND_VALID: "vend_valid",
    Status.STACKED: "stacked",
    Status.REJECTING: "rejecting",
    Status.RETURNING: "returning",
    Status.HOLDING: "holding",
    Status.DISABLED: "disabled",
    Status.INITIALIZE: "initialize",
    Status.POWER_UP: "power_up",
    Status.POWER_UP_BILL_IN_ACCEPTOR: "power_up_bill_in_validator",
    Status.POWER_UP_BILL_IN_STACKER: "power_up_bill_in_stacker",
    Status.STACKER_FULL: "cassette_full",
    Status.STACKER_OPEN: "cassette_removed",
    Status.JAM_IN_ACCEPTOR: "jammed",
    Status.JAM_IN_STACKER: "cassette_jammed",
    Status.PAUSE: "paused",
    Status.CHEATED: "cheated",
    Status.FAILURE: "failure",
    Status.COMMUNICATION_ERROR: "communication_error",
    Status.INVALID_COMMAND: "invalid_command",
}

# Statuses whose reply carries one more byte (denomination code, reason, failure code).
STATES_WITH_DETAIL = frozenset({Status.ESCROW, Status.REJECTING, Status.FAILURE})

POWER_UP_STATES = frozenset(
    {Status.POWER_UP, Status.POWER_UP_BILL_IN_ACCEPTOR, Status.POWER_UP_BILL_IN_STACKER}
)

FAULT_STATES = frozenset(
    {
        Status.STACKER_FULL,
        Status.STACKER_OPEN,
        Status.JAM_IN_ACCEPTOR,
        Status.JAM_IN_STACKER,
        Status.CHEATED,
        Status.FAILURE,
    }
)

# A note is between the slot and the stacker: never RESET the device now.
NOTE_IN_PATH_STATES = frozenset(
    {
        Status.ACCEPTING,
        Status.ESCROW,
        Status.STACKING,
        Status.VEND_VALID,
        Status.REJECTING,
        Status.RETURNING,
        Status.HOLDING,
        Status.PAUSE,
    }
)

# Escrow denomination codes: 0x61 is the first currency-assign record.
FIRST_ESCROW_CODE = 0x61
DENOMINATIONS = 16  # bits in SET_DENOMINATIONS

REJECT_REASONS: dict[int, str] = {
    0x71: "insertion",
    0x72: "magnetic",
    0x73: "bill remaining in head",
    0x74: "compensation",
    0x75: "conveying",
    0x76: "denomination assessing",
    0x77: "photo pattern",
    0x78: "photo level",
    0x79: "inhibit",
    0x7A: "escrow timeout",
    0x7B: "operation",
    0x7C: "bill remaining in stacker",
    0x7D: "length",
    0x7E: "photo pattern 2",
}
REJECT_DENOMINATION = 0x76
REJECT_INHIBIT = 0x79

FAILURE_CODES: dict[int, str] = {
    0xA2: "stack motor",
    0xA5: "transport motor speed",
    0xA6: "transport motor",
    0xAB: "cash box not ready",
    0xAF: "validator head removed",
    0xB0: "boot ROM",
    0xB1: "external ROM",
    0xB2: "RAM",
    0xB3: "external ROM writing",
}
FAILURE_STACK_MOTOR = 0xA2


def state_name(code: int) -> str:
    """Short name of a status; unknown codes are named by their hex byte."""
    return STATE_NAMES.get(code, f"state 0x{code:02X} (unknown)")


def reject_reason(code: int) -> str:
    """Why a note was rejected, e.g. ``inhibit``; unknown codes keep their hex byte."""
    return REJECT_REASONS.get(code, f"reject 0x{code:02X} (unknown)")


def failure_description(code: int) -> str:
    """What failed, e.g. ``stack motor``; unknown codes keep their hex byte."""
    return FAILURE_CODES.get(code, f"failure 0x{code:02X} (unknown)")
