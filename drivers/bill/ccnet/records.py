"""CCNET reply records: the bill table, identification, status masks.

Encoders exist for the simulator; parsers for the host. Amounts are integer tiyn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BILL_TYPES = 24
BILL_RECORD_SIZE = 5
MASK_BYTES = 3
PART_NUMBER_SIZE = 15
SERIAL_NUMBER_SIZE = 12
ASSET_NUMBER_SIZE = 7
IDENTIFICATION_SIZE = PART_NUMBER_SIZE + SERIAL_NUMBER_SIZE + ASSET_NUMBER_SIZE
TIYN_PER_UNIT = 100  # the table gives values in major currency units (tenge)
_TIYN_DIGITS = 2  # 1 unit = 10^2 tiyn
_NEGATIVE_POWER = 0x80  # some firmwares mark 10^-n with the high bit of the power byte


class RecordError(ValueError):
    """A reply record does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class BillType:
    """One bill table entry; ``amount`` is 0 for an unused type."""

    index: int
    amount: int
    country: str


@dataclass(frozen=True, slots=True)
class Identification:
    """Reply to IDENTIFICATION: ASCII part number, serial number and asset number."""

    part_number: str
    serial_number: str
    asset_number: str


def mask_for(bill_types: Iterable[int]) -> int:
    """A 24-bit mask with bit ``i`` set for each bill type index ``i``."""
    mask = 0
    for index in bill_types:
        if not 0 <= index < BILL_TYPES:
            raise RecordError(f"bill type {index} is outside 0..{BILL_TYPES - 1}")
        mask |= 1 << index
    return mask


def types_in(mask: int) -> tuple[int, ...]:
    """Bill type indexes whose bit is set in ``mask``."""
    return tuple(index for index in range(BILL_TYPES) if mask >> index & 1)


def encode_masks(first: int, second: int) -> bytes:
    """Two 3-byte big-endian masks (bit 0 of the last byte = bill type 0)."""
    return first.to_bytes(MASK_BYTES, "big") + second.to_bytes(MASK_BYTES, "big")


def decode_masks(data: bytes) -> tuple[int, int]:
    """Inverse of :func:`encode_masks` (ENABLE BILL TYPES arguments, GET STATUS reply)."""
    if len(data) != 2 * MASK_BYTES:
        raise RecordError(f"expected {2 * MASK_BYTES} mask bytes, got {len(data)}")
    return int.from_bytes(data[:MASK_BYTES], "big"), int.from_bytes(data[MASK_BYTES:], "big")


def _record_amount(digit: int, power_byte: int) -> int:
    power = -(power_byte & 0x7F) if power_byte & _NEGATIVE_POWER else power_byte
    scale = power + _TIYN_DIGITS
    if scale >= 0:
        return digit * int(10**scale)
    divisor = 10**-scale
    # Values below one tiyn cannot be paid: treat them as unused.
    return digit // divisor if digit % divisor == 0 else 0


def parse_bill_table(data: bytes) -> tuple[BillType, ...]:
    """Parse a GET BILL TABLE reply: up to 24 records of digit, country (3 ASCII), power."""
    if not data or len(data) % BILL_RECORD_SIZE or len(data) > BILL_TYPES * BILL_RECORD_SIZE:
        raise RecordError(
            f"bill table must be 5-byte records, at most {BILL_TYPES}; got {len(data)} bytes"
        )
    table: list[BillType] = []
    for index in range(BILL_TYPES):
        record = data[index * BILL_RECORD_SIZE : (index + 1) * BILL_RECORD_SIZE]
        if len(record) < BILL_RECORD_SIZE or not any(record):
            table.append(BillType(index, 0, ""))
            continue
        country = record[1:4].decode("ascii", errors="replace").strip(" \x00")
        table.append(BillType(index, _record_amount(record[0], record[4]), country))
    return tuple(table)


def encode_bill_table(amounts: Sequence[int], country: str = "KZT") -> bytes:
    """A 24-record bill table for the given amounts in tiyn (0 = unused type)."""
    if len(amounts) > BILL_TYPES:
        raise RecordError(f"a bill table has at most {BILL_TYPES} types")
    country_bytes = country.encode("ascii")
    if len(country_bytes) != 3:
        raise RecordError(f"country must be 3 ASCII letters, got {country!r}")
    out = bytearray()
    for amount in list(amounts) + [0] * (BILL_TYPES - len(amounts)):
        if amount == 0:
            out += bytes(BILL_RECORD_SIZE)
            continue
        units, power = amount // TIYN_PER_UNIT, 0
        if units * TIYN_PER_UNIT != amount or units <= 0:
            raise RecordError(f"{amount} tiyn is not a whole number of currency units")
        while units % 10 == 0:
            units, power = units // 10, power + 1
        if units > 0xFF:
            raise RecordError(f"{amount} tiyn cannot be written as digit x 10^power")
        out += bytes((units,)) + country_bytes + bytes((power,))
    return bytes(out)


def parse_identification(data: bytes) -> Identification:
    """Parse an IDENTIFICATION reply: part number (15), serial (12), asset number (7)."""
    if len(data) < PART_NUMBER_SIZE + SERIAL_NUMBER_SIZE:
        raise RecordError(
            f"identification needs at least {PART_NUMBER_SIZE + SERIAL_NUMBER_SIZE} bytes,"
            f" got {len(data)}"
        )

    def text(raw: bytes) -> str:
        return raw.decode("ascii", errors="replace").strip(" \x00")

    serial_end = PART_NUMBER_SIZE + SERIAL_NUMBER_SIZE
    return Identification(
        part_number=text(data[:PART_NUMBER_SIZE]),
        serial_number=text(data[PART_NUMBER_SIZE:serial_end]),
        asset_number=text(data[serial_end : serial_end + ASSET_NUMBER_SIZE]),
    )


def encode_identification(identification: Identification) -> bytes:
    """The 34-byte IDENTIFICATION reply, space padded."""

    def field(value: str, size: int) -> bytes:
        raw = value.encode("ascii")
        if len(raw) > size:
            raise RecordError(f"{value!r} is longer than {size} characters")
        return raw.ljust(size, b" ")

    return (
        field(identification.part_number, PART_NUMBER_SIZE)
        + field(identification.serial_number, SERIAL_NUMBER_SIZE)
        + field(identification.asset_number, ASSET_NUMBER_SIZE)
    )
