"""SSP packets: ``STX 0x7F | SEQ/ID | LEN | DATA | CRC_L | CRC_H`` with byte stuffing.

SEQ/ID bit 7 is the sequence flag, bits 0–6 the address. LEN counts DATA only. The CRC
(0x8005, init 0xFFFF) covers SEQ/ID, LEN and DATA and is computed before stuffing. Every 0x7F
after the STX is sent twice, CRC bytes included; a lone 0x7F mid-packet starts a new packet.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.ssp.codes import SEQUENCE_FLAG, STX
from drivers.crc import crc16_ssp, crc16_ssp_bytes

MAX_DATA = 255


class PacketError(ValueError):
    """A packet cannot be built or decoded (the message says why)."""


@dataclass(frozen=True, slots=True)
class Packet:
    """One checked packet."""

    sequence: bool
    address: int
    data: bytes


def encode_packet(data: bytes, *, sequence: bool, address: int = 0) -> bytes:
    """The stuffed wire bytes of a packet carrying ``data``."""
    if not data or len(data) > MAX_DATA:
        raise PacketError(f"SSP data must be 1..{MAX_DATA} bytes, got {len(data)}")
    if not 0 <= address < SEQUENCE_FLAG:
        raise PacketError(f"SSP address must be 0..127, got {address}")
    body = bytes(((SEQUENCE_FLAG if sequence else 0) | address, len(data))) + data
    raw = body + crc16_ssp_bytes(body)
    return bytes((STX,)) + raw.replace(bytes((STX,)), bytes((STX, STX)))


def decode_packet(raw: bytes) -> Packet:
    """Exactly one whole packet; PacketError says what is wrong with it."""
    reader = PacketReader()
    reader.feed(raw)
    packet = reader.next_packet()
    if packet is None or reader.buffered:
        why = "bad CRC" if reader.take_corrupt() else "not one whole packet"
        raise PacketError(f"{why}: {raw.hex(' ')}")
    return packet


class PacketReader:
    """Sans-IO packet parser with de-stuffing: feed bytes, take packets. Never raises."""

    def __init__(self) -> None:
        self._raw = bytearray()  # wire bytes not yet consumed
        self._corrupt = False

    @property
    def buffered(self) -> int:
        return len(self._raw)

    def feed(self, data: bytes) -> None:
        self._raw += data

    def clear(self) -> None:
        self._raw.clear()
        self._corrupt = False

    def take_corrupt(self) -> bool:
        """True once if a packet with a bad CRC was dropped since last asked."""
        corrupt, self._corrupt = self._corrupt, False
        return corrupt

    def next_packet(self) -> Packet | None:
        """The next valid packet, or None until more bytes arrive."""
        while True:
            start = self._raw.find(STX)
            if start < 0:
                self._raw.clear()
                return None
            del self._raw[:start]
            outcome = self._scan()
            if outcome is None:
                return None  # incomplete: wait for more bytes
            consumed, packet = outcome
            del self._raw[:consumed]
            if packet is not None:
                return packet

    def _scan(self) -> tuple[int, Packet | None] | None:
        """De-stuff from the STX at 0: (bytes consumed, packet or None if dropped) or None
        if the packet is not complete yet."""
        raw = self._raw
        body = bytearray()
        position = 1
        needed: int | None = None
        while needed is None or len(body) < needed:
            if position >= len(raw):
                return None
            byte = raw[position]
            if byte == STX:
                if position + 1 >= len(raw):
                    return None  # a stuffed pair or a new STX: the next byte decides
                if raw[position + 1] != STX:
                    return position, None  # a lone STX: reception restarts there
                position += 2
            else:
                position += 1
            body.append(byte)
            if len(body) == 2:
                needed = 2 + body[1] + 2
                if body[1] == 0:
                    return position, None  # an empty packet is not a packet
        payload, crc = bytes(body[:-2]), int.from_bytes(body[-2:], "little")
        if crc16_ssp(payload) != crc:
            self._corrupt = True
            return 1, None  # look for the next STX after this one
        return position, Packet(
            sequence=bool(payload[0] & SEQUENCE_FLAG),
            address=payload[0] & ~SEQUENCE_FLAG & 0xFF,
            data=payload[2:],
        )
