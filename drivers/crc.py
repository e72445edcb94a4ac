"""CRC checksums used on device lines.

CRC-16/KERMIT guards CCNET and ID-003 frames: reflected polynomial 0x8408, initial value 0,
no final XOR, sent low byte first. SSP packets use polynomial 0x8005, initial value 0xFFFF,
not reflected, no final XOR, also sent low byte first.
"""

from __future__ import annotations

_KERMIT_POLY = 0x8408


def _kermit_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _KERMIT_POLY if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_KERMIT_TABLE = _kermit_table()


def crc16_kermit(data: bytes) -> int:
    """CRC-16/KERMIT of ``data`` as an integer (check value of b"123456789" is 0x2189)."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _KERMIT_TABLE[(crc ^ byte) & 0xFF]
    return crc


def crc16_kermit_bytes(data: bytes) -> bytes:
    """The two CRC bytes to append to ``data``, low byte first as sent on the line."""
    return crc16_kermit(data).to_bytes(2, "little")


_SSP_POLY = 0x8005


def _ssp_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ _SSP_POLY if crc & 0x8000 else crc << 1) & 0xFFFF
        table.append(crc)
    return tuple(table)


_SSP_TABLE = _ssp_table()


def crc16_ssp(data: bytes) -> int:
    """SSP's CRC-16 of ``data`` (poly 0x8005, init 0xFFFF, not reflected) as an integer."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _SSP_TABLE[(crc >> 8) ^ byte]
    return crc


def crc16_ssp_bytes(data: bytes) -> bytes:
    """The two SSP CRC bytes to append to ``data``, low byte first as sent on the line."""
    return crc16_ssp(data).to_bytes(2, "little")
