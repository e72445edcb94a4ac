"""SSP records: the SETUP REQUEST reply (channels and their values) and inhibit masks.

Layout (validators): unit type (1), firmware (4 ASCII), country (3 ASCII), value multiplier
(3, big-endian), channels n (1), channel values (n), channel security (n), real value
multiplier (3), protocol version (1); from protocol 6 on, n country codes (3 ASCII each) and
n 4-byte little-endian channel values follow. Amounts are integer tiyn.

UNIT DATA (0x0D) reply: unit type (1), firmware (4 ASCII), country (3 ASCII), value multiplier
(3, big-endian), protocol version (1) — the layout ITL's SDK reads (eSSP6 1.0.8,
ssp_commands.c ``ssp_unit_data``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TIYN_PER_UNIT = 100
MAX_CHANNELS = 16
_FIXED = 1 + 4 + 3 + 3 + 1
UNIT_DATA_SIZE = 1 + 4 + 3 + 3 + 1


class RecordError(ValueError):
    """A reply record does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class SetupInfo:
    """What the validator says about itself; ``amounts[i]`` is channel i+1 in tiyn."""

    unit_type: int
    firmware: str
    country: str
    amounts: tuple[int, ...]
    protocol_version: int


@dataclass(frozen=True, slots=True)
class UnitData:
    """The UNIT DATA reply: what the unit is, without its channels."""

    unit_type: int
    firmware: str
    country: str
    value_multiplier: int
    protocol_version: int


def parse_unit_data(data: bytes) -> UnitData:
    """Parse a UNIT DATA reply (without its OK byte)."""
    if len(data) != UNIT_DATA_SIZE:
        raise RecordError(f"unit data is {UNIT_DATA_SIZE} bytes, got {len(data)}")
    return UnitData(
        unit_type=data[0],
        firmware=data[1:5].decode("ascii", errors="replace"),
        country=data[5:8].decode("ascii", errors="replace"),
        value_multiplier=int.from_bytes(data[8:11], "big"),
        protocol_version=data[11],
    )


def unit_data_of_setup(setup: bytes) -> bytes:
    """The UNIT DATA reply (without its OK byte) of a unit whose SETUP REQUEST reply is
    ``setup``: its first 11 bytes and its protocol version."""
    info = parse_setup(setup)
    return setup[: _FIXED - 1] + bytes((info.protocol_version,))


def parse_setup(data: bytes) -> SetupInfo:
    """Parse a SETUP REQUEST reply (without its OK byte)."""
    if len(data) < _FIXED:
        raise RecordError(f"setup reply needs at least {_FIXED} bytes, got {len(data)}")
    channels = data[11]
    end = _FIXED + 2 * channels + 3 + 1
    if channels > MAX_CHANNELS or len(data) < end:
        raise RecordError(f"setup reply too short for {channels} channels")
    values = data[12 : 12 + channels]
    multiplier = int.from_bytes(data[_FIXED + 2 * channels : _FIXED + 2 * channels + 3], "big")
    version = data[end - 1]
    amounts = [value * multiplier * TIYN_PER_UNIT for value in values]
    extended = end + 3 * channels
    if version >= 6 and len(data) >= extended + 4 * channels:
        amounts = [
            int.from_bytes(data[extended + 4 * i : extended + 4 * i + 4], "little") * TIYN_PER_UNIT
            for i in range(channels)
        ]
    return SetupInfo(
        unit_type=data[0],
        firmware=data[1:5].decode("ascii", errors="replace"),
        country=data[5:8].decode("ascii", errors="replace"),
        amounts=tuple(amounts),
        protocol_version=version,
    )


def encode_setup(amounts: Sequence[int], *, firmware: str = "0100", country: str = "KZT") -> bytes:
    """A protocol-6 SETUP REQUEST reply (without its OK byte) for amounts in tiyn."""
    if len(amounts) > MAX_CHANNELS:
        raise RecordError(f"at most {MAX_CHANNELS} channels")
    units = [amount // TIYN_PER_UNIT for amount in amounts]
    multiplier = 100  # channel value bytes are in hundreds of tenge
    values = bytes(min(0xFF, u // multiplier) for u in units)
    head = bytes((0,)) + firmware.encode("ascii")[:4].ljust(4, b"0") + country.encode("ascii")
    return (
        head
        + multiplier.to_bytes(3, "big")
        + bytes((len(amounts),))
        + values
        + bytes((2,)) * len(amounts)
        + multiplier.to_bytes(3, "big")
        + bytes((6,))
        + country.encode("ascii") * len(amounts)
        + b"".join(u.to_bytes(4, "little") for u in units)
    )


def inhibit_bytes(channels: Iterable[int]) -> bytes:
    """SET INHIBITS data: bit i set = channel i+1 enabled; 2 bytes, low byte first."""
    mask = 0
    for channel in channels:
        if not 1 <= channel <= MAX_CHANNELS:
            raise RecordError(f"channel {channel} is outside 1..{MAX_CHANNELS}")
        mask |= 1 << (channel - 1)
    return mask.to_bytes(2, "little")


def enabled_channels(data: bytes) -> frozenset[int]:
    """Inverse of :func:`inhibit_bytes`."""
    mask = int.from_bytes(data, "little")
    return frozenset(bit + 1 for bit in range(8 * len(data)) if mask >> bit & 1)
