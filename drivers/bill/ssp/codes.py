"""ITL SSP code tables: commands, generic replies, poll events.

Values come from PROTOCOLS.md §3. Unknown event bytes are never dropped: they are reported
with their hex byte.
"""

from __future__ import annotations

import enum

STX = 0x7F
BAUD = 9600  # 8N2
ADDRESS_VALIDATOR = 0
SEQUENCE_FLAG = 0x80
ENCRYPTED = 0x7E  # first DATA byte of an eSSP packet


class Command(enum.IntEnum):
    """Host → device command codes (first DATA byte)."""

    RESET = 0x01
    SET_INHIBITS = 0x02
    SETUP_REQUEST = 0x05
    HOST_PROTOCOL_VERSION = 0x06
    POLL = 0x07
    REJECT = 0x08
    DISABLE = 0x09
    ENABLE = 0x0A
    SERIAL_NUMBER = 0x0C
    UNIT_DATA = 0x0D
    SYNC = 0x11
    LAST_REJECT_CODE = 0x17
    HOLD = 0x18
    POLL_WITH_ACK = 0x56
    EVENT_ACK = 0x57
    SET_GENERATOR = 0x4A
    SET_MODULUS = 0x4B
    REQUEST_KEY_EXCHANGE = 0x4C


class Generic(enum.IntEnum):
    """The first DATA byte of every device reply."""

    OK = 0xF0
    UNKNOWN_COMMAND = 0xF2
    WRONG_PARAMETERS = 0xF3
    OUT_OF_RANGE = 0xF4
    CANNOT_PROCESS = 0xF5
    SOFTWARE_ERROR = 0xF6
    FAIL = 0xF8
    KEY_NOT_SET = 0xFA


GENERIC_NAMES: dict[int, str] = {
    Generic.OK: "ok",
    Generic.UNKNOWN_COMMAND: "unknown command",
    Generic.WRONG_PARAMETERS: "wrong number of parameters",
    Generic.OUT_OF_RANGE: "parameter out of range",
    Generic.CANNOT_PROCESS: "cannot process now",
    Generic.SOFTWARE_ERROR: "software error",
    Generic.FAIL: "fail",
    Generic.KEY_NOT_SET: "encryption key not set",
}


class Event(enum.IntEnum):
    """Poll reply events (after the OK byte; several per reply, oldest first)."""

    SLAVE_RESET = 0xF1
    READ = 0xEF
    CREDIT = 0xEE
    REJECTING = 0xED
    REJECTED = 0xEC
    STACKING = 0xCC
    STACKED = 0xEB
    UNSAFE_JAM = 0xE9
    SAFE_JAM = 0xEA
    DISABLED = 0xE8
    FRAUD_ATTEMPT = 0xE6
    STACKER_FULL = 0xE7
    CLEARED_FROM_FRONT = 0xE1
    CLEARED_INTO_CASHBOX = 0xE2
    CASHBOX_REMOVED = 0xE3
    CASHBOX_REPLACED = 0xE4
    CHANNEL_DISABLE = 0xB5
    INITIALISING = 0xB6  # only in POLL WITH ACK replies: the unit is starting its mechanism


# Events followed by one data byte (a channel).
EVENTS_WITH_CHANNEL = frozenset(
    {
        Event.READ,
        Event.CREDIT,
        Event.FRAUD_ATTEMPT,
        Event.CLEARED_FROM_FRONT,
        Event.CLEARED_INTO_CASHBOX,
    }
)

# Events repeated on every poll while a state lasts. The driver sends EVENT ACK after a POLL
# WITH ACK reply holding any other event (a one-off), so a unit that holds more events than
# ACK_EVENTS is acknowledged too, never left repeating them and refusing notes.
STATE_EVENTS = frozenset(
    {
        Event.READ,
        Event.STACKING,
        Event.REJECTING,
        Event.DISABLED,
        Event.UNSAFE_JAM,
        Event.SAFE_JAM,
        Event.STACKER_FULL,
        Event.CASHBOX_REMOVED,
        Event.CHANNEL_DISABLE,
        Event.INITIALISING,
    }
)

EVENT_NAMES: dict[int, str] = {
    Event.SLAVE_RESET: "power_up",
    Event.READ: "reading",
    Event.CREDIT: "credit",
    Event.REJECTING: "rejecting",
    Event.REJECTED: "rejected",
    Event.STACKING: "stacking",
    Event.STACKED: "stacked",
    Event.UNSAFE_JAM: "jammed",
    Event.SAFE_JAM: "cassette_jammed",
    Event.DISABLED: "disabled",
    Event.FRAUD_ATTEMPT: "cheated",
    Event.STACKER_FULL: "cassette_full",
    Event.CLEARED_FROM_FRONT: "cleared_from_front",
    Event.CLEARED_INTO_CASHBOX: "cleared_into_cashbox",
    Event.CASHBOX_REMOVED: "cassette_removed",
    Event.CASHBOX_REPLACED: "cassette_replaced",
    Event.CHANNEL_DISABLE: "all_channels_disabled",
    Event.INITIALISING: "initialising",
}

# Events a POLL WITH ACK reply repeats until the host sends EVENT ACK: a note's path ends
# (credited, given back, cleared at power-up, a fraud). The device takes no further note
# until then, so such an event is never lost to a host that died before acting on it.
# This set is the simulator's model of the units (PROTOCOLS.md names 0x56/0x57 only).
ACK_EVENTS = frozenset(
    {
        Event.CREDIT,
        Event.CLEARED_INTO_CASHBOX,
        Event.CLEARED_FROM_FRONT,
        Event.REJECTED,
        Event.FRAUD_ATTEMPT,
    }
)

# Last reject codes (0x17 reply); a subset, unknown codes keep their hex byte.
REJECT_REASONS: dict[int, str] = {
    0x00: "note accepted",
    0x01: "note length",
    0x02: "average fail",
    0x03: "coastline",
    0x06: "channel inhibited",
    0x07: "second note inserted",
    0x08: "host reject",
    0x0E: "note recognition",
    0x14: "fraud channel",
}


def event_name(code: int) -> str:
    """Short name of a poll event; unknown codes are named by their hex byte."""
    return EVENT_NAMES.get(code, f"event 0x{code:02X} (unknown)")


def reject_reason(code: int) -> str:
    """Why a note was rejected (last reject code); unknown codes keep their hex byte."""
    return REJECT_REASONS.get(code, f"reject 0x{code:02X} (unknown)")


def generic_name(code: int) -> str:
    """Name of a generic reply byte."""
    return GENERIC_NAMES.get(code, f"reply 0x{code:02X} (unknown)")
