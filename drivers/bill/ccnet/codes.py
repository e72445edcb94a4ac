"""CCNET code tables: addresses, host commands, POLL states, reject reasons, failure codes.

Values come from PROTOCOLS.md §1. Unknown reject or failure codes are never dropped: they
keep their byte and are named with it in hex, so a technician can look them up.
"""

from __future__ import annotations

import enum

SYNC = 0x02

# Peripheral addresses on the CCNET bus.
ADDRESS_BILL_TO_BILL = 0x01
ADDRESS_COIN_CHANGER = 0x02
ADDRESS_BILL_VALIDATOR = 0x03
ADDRESS_CARD_READER = 0x04


class Command(enum.IntEnum):
    """Host → device command codes (first data byte of a host frame)."""

    ACK = 0x00
    NAK = 0xFF
    RESET = 0x30
    GET_STATUS = 0x31
    SET_SECURITY = 0x32
    POLL = 0x33
    ENABLE_BILL_TYPES = 0x34
    STACK = 0x35
    RETURN = 0x36
    IDENTIFICATION = 0x37
    HOLD = 0x38
    GET_BILL_TABLE = 0x41
    REQUEST_STATISTICS = 0x60


# A one-byte device reply 0x30 means "illegal command" (same byte as RESET, other direction).
ILLEGAL_COMMAND = 0x30

# Data lengths the host sends with each command that takes arguments.
COMMAND_DATA_LENGTH: dict[Command, int] = {
    Command.SET_SECURITY: 3,
    Command.ENABLE_BILL_TYPES: 6,
}


class Status(enum.IntEnum):
    """Device states as the first data byte of a POLL reply."""

    POWER_UP = 0x10
    POWER_UP_BILL_IN_VALIDATOR = 0x11
    POWER_UP_BILL_IN_STACKER = 0x12
    INITIALIZE = 0x13
    IDLING = 0x14
    ACCEPTING = 0x15
    STACKING = 0x17
    RETURNING = 0x18
    UNIT_DISABLED = 0x19
    HOLDING = 0x1A
    DEVICE_BUSY = 0x1B
    REJECTING = 0x1C
    CASSETTE_FULL = 0x41
    CASSETTE_OUT = 0x42
    VALIDATOR_JAMMED = 0x43
    CASSETTE_JAMMED = 0x44
    CHEATED = 0x45
    PAUSE = 0x46
    FAILURE = 0x47
    ESCROW = 0x80
    STACKED = 0x81
    RETURNED = 0x82


# Short state names shown by BillAcceptor.state, probe output and the simulator.
STATE_NAMES: dict[int, str] = {
    Status.POWER_UP: "power_up",
    Status.POWER_UP_BILL_IN_VALIDATOR: "power_up_bill_in_validator",
    Status.POWER_UP_BILL_IN_STACKER: "power_up_bill_in_stacker",
    Status.INITIALIZE: "initialize",
    Status.IDLING: "idling",
    Status.ACCEPTING: "accepting",
    Status.STACKING: "stacking",
    Status.RETURNING: "returning",
    Status.UNIT_DISABLED: "disabled",
    Status.HOLDING: "holding",
    Status.DEVICE_BUSY: "busy",
    Status.REJECTING: "rejecting",
    Status.CASSETTE_FULL: "cassette_full",
    Status.CASSETTE_OUT: "cassette_removed",
    Status.VALIDATOR_JAMMED: "jammed",
    Status.CASSETTE_JAMMED: "cassette_jammed",
    Status.CHEATED: "cheated",
    Status.PAUSE: "paused",
    Status.FAILURE: "failure",
    Status.ESCROW: "escrow",
    Status.STACKED: "stacked",
    Status.RETURNED: "returned",
}

# States whose reply carries one more byte (bill type, reason, failure code, busy time).
STATES_WITH_DETAIL = frozenset(
    {
        Status.DEVICE_BUSY,
        Status.REJECTING,
        Status.FAILURE,
        Status.ESCROW,
        Status.STACKED,
        Status.RETURNED,
    }
)

POWER_UP_STATES = frozenset(
    {Status.POWER_UP, Status.POWER_UP_BILL_IN_VALIDATOR, Status.POWER_UP_BILL_IN_STACKER}
)

# States in which a unit takes IDENTIFICATION, GET BILL TABLE and REQUEST STATISTICS; in any
# other it answers ILLEGAL COMMAND (the manual as quoted in sadeqAlbana/newCashCodeCLI
# utils.h: power up, initialize, a failure state 0x41-0x47, unit disabled).
QUIET_STATES = frozenset(
    {
        *POWER_UP_STATES,
        Status.INITIALIZE,
        Status.UNIT_DISABLED,
        Status.CASSETTE_FULL,
        Status.CASSETTE_OUT,
        Status.VALIDATOR_JAMMED,
        Status.CASSETTE_JAMMED,
        Status.CHEATED,
        Status.PAUSE,
        Status.FAILURE,
    }
)

# Faults that stop acceptance until a technician acts.
FAULT_STATES = frozenset(
    {
        Status.CASSETTE_FULL,
        Status.CASSETTE_OUT,
        Status.VALIDATOR_JAMMED,
        Status.CASSETTE_JAMMED,
        Status.CHEATED,
        Status.FAILURE,
    }
)

# A note is somewhere between the slot and the cassette: never RESET the device now.
NOTE_IN_PATH_STATES = frozenset(
    {
        Status.ACCEPTING,
        Status.STACKING,
        Status.RETURNING,
        Status.HOLDING,
        Status.REJECTING,
        Status.ESCROW,
        Status.STACKED,
        Status.RETURNED,
    }
)

REJECT_REASONS: dict[int, str] = {
    0x60: "insertion",
    0x61: "magnetic",
    0x62: "bill remaining in head",
    0x63: "multiplying",
    0x64: "conveying",
    0x65: "identification",
    0x66: "verification",
    0x67: "optic",
    0x68: "inhibit",
    0x69: "capacity",
    0x6A: "operation",
    0x6C: "length",
    0x6D: "UV",
    0x92: "barcode 0x92",
    0x93: "barcode 0x93",
    0x94: "barcode 0x94",
    0x95: "barcode 0x95",
}

FAILURE_CODES: dict[int, str] = {
    0x50: "stack motor",
    0x51: "transport motor speed",
    0x52: "transport motor",
    0x53: "aligning motor",
    0x54: "initial cassette status",
    0x55: "optic canal",
    0x56: "magnetic canal",
    0x5F: "capacitance canal",
}


def state_name(code: int) -> str:
    """Short name of a POLL state; unknown codes are named by their hex byte."""
    return STATE_NAMES.get(code, f"state 0x{code:02X} (unknown)")


def reject_reason(code: int) -> str:
    """Why a note was rejected, e.g. ``inhibit``; unknown codes keep their hex byte."""
    return REJECT_REASONS.get(code, f"reject 0x{code:02X} (unknown)")


def failure_description(code: int) -> str:
    """What failed, e.g. ``stack motor``; unknown codes keep their hex byte."""
    return FAILURE_CODES.get(code, f"failure 0x{code:02X} (unknown)")
