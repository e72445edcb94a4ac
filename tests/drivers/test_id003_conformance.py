"""ID-003 conformance: published byte sequences run against BOTH our host code and our
simulator. The expected bytes are literals from PROTOCOLS.md §2 and the sources named below,
or are built by this file's own CRC and framing (written from the protocol's plain words, not
from drivers/), so a change that makes host and simulator agree with each other but not with
the protocol fails here.

Sources (independent hosts written for real JCM units):
- Kopachris/py-id003 src/id003.py (tested on a UBA-10): ``get_crc`` is "CRC-CCITT Kermit",
  a table with entry 1 = 0x1189 and entry 0x80 = 0x8408, initial value 0, sent low byte first;
  a frame is ``SYNC, 5 + len(data), command, data, CRC``; a setting is answered by the same
  command byte and data (its ``initialize`` compares ``(status, data)`` with what it sent);
  escrow codes DENOM_1..8 are 0x61..0x68.
- hackwin/JCMBillAcceptorID003 jcmbillacceptorid003.h: ``calcCRC`` (nibble table step
  0x1081, start 0) over SYNC..data, CRC sent ``crcval & 0xFF`` then ``crcval >> 8``.
- lamassu/lamassu-machine lib/id003/id003rs232.js: every reply is a frame whose third byte
  is the code (0x50 ``ack``, 0x88 ``version``, 0x8A ``denominations``, 0xC3 ``inhibit``);
  currency-assign records are 4 bytes: escrow code, (unused there), integer, exponent,
  value = integer × 10^exponent, an integer of 0 is skipped.
- AlexObukhoff/TerminalClient ID003CashAcceptor.cpp: RESET/STACK/RETURN answered with ACK
  0x50; settings (0xC0, 0xC1, 0xC2, 0xC3, 0xC4) with an echo that ends with the request;
  the bill table answer's first byte (the command) is dropped, then 4-byte records
  ``escrow, country, value, exponent`` (value × 10^exponent).
"""

from __future__ import annotations

import pytest

from drivers.bill.id003.codes import Command, CommunicationMode
from drivers.bill.id003.frames import decode_frame
from drivers.bill.id003.protocol import (
    AckReply,
    CurrencyReply,
    EchoReply,
    Id003Host,
    Id003Status,
    InvalidCommandReply,
    StatusReply,
)
from drivers.crc import crc16_kermit
from drivers.sim.bill.id003 import Id003Device
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT

TIYN = 100


def kermit(data: bytes) -> int:
    """CRC-16/KERMIT as PROTOCOLS.md words it: crc ^= byte, then 8 times shift right, XOR
    0x8408 when the low bit was set; initial 0, no final XOR."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


def frame(data: bytes) -> bytes:
    """``FC | LNG | data | CRC_L | CRC_H``, LNG counting the whole frame."""
    body = bytes((0xFC, len(data) + 4)) + data
    return body + kermit(body).to_bytes(2, "little")


# ----- CRC-CCITT (Kermit) vectors -----------------------------------------------------------
CRC_VECTORS = [
    # The CRC-16/KERMIT check value (the CRC catalogue's "check" over "123456789").
    (b"123456789", 0x2189),
    # A one-byte message gives the table entry: py-id003's table[1] and table[0x80].
    (b"\x01", 0x1189),
    (b"\x80", 0x8408),
    # PROTOCOLS.md §2: status request FC 05 11 | 27 56, sent low byte first.
    (bytes.fromhex("FC 05 11"), 0x5627),
]


@pytest.mark.parametrize(("message", "crc"), CRC_VECTORS, ids=lambda v: repr(v)[:20])
def test_crc_vectors_hold_for_our_crc_and_the_plain_words(message: bytes, crc: int) -> None:
    assert kermit(message) == crc
    assert crc16_kermit(message) == crc


# ----- host → device frames (PROTOCOLS.md §2 "Documented frames") ----------------------------
HOST_FRAMES = [
    ("status request", lambda h: h.status_request(), "FC 05 11 27 56"),
    ("ack", lambda h: h.ack(), "FC 05 50 AA 05"),
    ("reset", lambda h: h.reset(), "FC 05 40 2B 15"),
    ("stack-1", lambda h: h.stack(), "FC 05 41 A2 04"),
    ("return", lambda h: h.return_bill(), "FC 05 43 B0 27"),
    ("inhibit on", lambda h: h.set_inhibit(True), "FC 06 C3 01 8D C7"),
    ("inhibit off", lambda h: h.set_inhibit(False), "FC 06 C3 00 04 D6"),
    ("enable all", lambda h: h.set_denominations(frozenset(range(16))), "FC 07 C0 00 00 2D B5"),
    ("version", lambda h: h.version(), "FC 05 88 6F 5F"),
    # [calc] with this file's frame(): not in PROTOCOLS.md.
    (
        "polling mode",
        lambda h: h.set_communication_mode(CommunicationMode.POLLING),
        "FC 06 C2 00 DC CF",
    ),
    ("currency assign", lambda h: h.currency_assign(), "FC 05 8A 7D 7C"),
]
HOST_IDS = [name for name, _, _ in HOST_FRAMES]


@pytest.mark.parametrize(("name", "build", "wire"), HOST_FRAMES, ids=HOST_IDS)
def test_host_sends_the_published_bytes(name: str, build: object, wire: str) -> None:
    raw = bytes.fromhex(wire)
    assert callable(build)
    assert build(Id003Host()) == raw
    assert frame(raw[2:-2]) == raw  # length and CRC are the protocol's, not just ours
    assert raw[1] == len(raw)


@pytest.mark.parametrize(("name", "build", "wire"), HOST_FRAMES, ids=HOST_IDS)
def test_simulator_answers_every_published_command(name: str, build: object, wire: str) -> None:
    device = initialized_device()
    reply = device.receive_data(bytes.fromhex(wire))
    if name == "ack":
        assert reply == b""  # the host's ACK of a status is not answered
        return
    assert decode_frame(reply)  # one whole frame …
    assert frame(reply[2:-2]) == reply  # … with the protocol's length and CRC


def test_simulator_ignores_a_command_with_a_wrong_crc() -> None:
    device = initialized_device()
    # PROTOCOLS.md §2 frames: inhibit on with inhibit off's CRC.
    assert device.receive_data(bytes.fromhex("FC 06 C3 01 04 D6")) == b""


# ----- device → host: statuses and answers --------------------------------------------------
def initialized_device(clock: ManualClock | None = None) -> Id003Device:
    device = Id003Device(clock=clock or ManualClock(), seed=11)
    device.receive_data(bytes.fromhex("FC 05 40 2B 15"))  # reset
    if clock is not None:
        clock.advance(1.0)
    return device


def test_power_up_status_is_the_reset_frame_and_reset_is_acked_with_the_ack_frame() -> None:
    clock = ManualClock()
    device = Id003Device(clock=clock, seed=11)
    host = Id003Host()
    status_request = bytes.fromhex("FC 05 11 27 56")
    # Power up (0x40) is the reset command's byte: the same published frame, other direction.
    power_up = device.receive_data(status_request)
    assert power_up == bytes.fromhex("FC 05 40 2B 15")
    host.status_request()
    host.receive_data(power_up)
    assert host.next_event() == StatusReply(Id003Status(0x40))
    ack = device.receive_data(bytes.fromhex("FC 05 40 2B 15"))
    assert ack == bytes.fromhex("FC 05 50 AA 05")
    host.reset()
    host.receive_data(ack)
    assert host.next_event() == AckReply()
    assert device.receive_data(status_request) == frame(b"\x1b")  # initialize
    clock.advance(1.0)
    assert device.receive_data(status_request) == frame(b"\x1a")  # disabled (inhibited)


@pytest.mark.parametrize(
    "wire", ["FC 06 C3 01 8D C7", "FC 06 C3 00 04 D6", "FC 07 C0 00 00 2D B5", "FC 06 C2 00 DC CF"]
)
def test_simulator_echoes_a_setting_byte_for_byte_and_the_host_takes_the_echo(wire: str) -> None:
    raw = bytes.fromhex(wire)
    echo = initialized_device(ManualClock()).receive_data(raw)
    assert echo == raw
    host = Id003Host()
    host.send(Command(raw[2]), raw[3:-2])
    host.receive_data(echo)
    assert host.next_event() == EchoReply(raw[2], raw[3:-2])


def test_interrupt_mode_is_refused_with_the_invalid_command_frame() -> None:
    refused = initialized_device(ManualClock()).receive_data(frame(b"\xc2\x01"))
    assert refused == frame(b"\x4b")
    host = Id003Host()
    host.set_communication_mode(CommunicationMode.INTERRUPT_1)
    host.receive_data(refused)
    assert host.next_event() == InvalidCommandReply(0xC2, 0x4B)


# ----- denomination data --------------------------------------------------------------------
def independent_records(reply_data: bytes) -> dict[int, int]:
    """Escrow code → currency units, read as lamassu-machine and TerminalClient do."""
    assert reply_data[0] == 0x8A  # the answer starts with the command byte
    records = reply_data[1:]
    assert len(records) % 4 == 0
    out = {}
    for start in range(0, len(records), 4):
        escrow, _country, value, exponent = records[start : start + 4]
        if value:
            out[escrow] = value * 10**exponent
    return out


def test_simulator_denomination_data_reads_as_the_independent_hosts_read_it() -> None:
    reply = initialized_device(ManualClock()).receive_data(bytes.fromhex("FC 05 8A 7D 7C"))
    assert frame(reply[2:-2]) == reply
    table = independent_records(reply[2:-2])
    assert table == {0x61 + i: amount // TIYN for i, amount in enumerate(KZT)}


def test_host_reads_published_style_denomination_records() -> None:
    # Written by hand: 0x61 = 1 × 10^3, 0x62 = 5 × 10^3, 0x63 = 2 × 10^4 currency units.
    data = bytes.fromhex("8A 61 00 01 03 62 00 05 03 63 00 02 04")
    host = Id003Host()
    host.currency_assign()
    host.receive_data(frame(data))
    reply = host.next_event()
    assert isinstance(reply, CurrencyReply)
    assert {d.escrow_code: d.amount for d in reply.denominations} == {
        0x61: 1_000 * TIYN,
        0x62: 5_000 * TIYN,
        0x63: 20_000 * TIYN,
    }
    assert independent_records(data) == {0x61: 1_000, 0x62: 5_000, 0x63: 20_000}


# ----- a note, end to end, in published bytes -----------------------------------------------
def test_a_note_in_published_bytes_escrow_stack_vend_valid_ack_stacked() -> None:
    clock = ManualClock()
    device = initialized_device(clock)
    status_request = bytes.fromhex("FC 05 11 27 56")
    assert device.receive_data(bytes.fromhex("FC 07 C0 00 00 2D B5"))  # enable all
    assert device.receive_data(bytes.fromhex("FC 06 C3 00 04 D6"))  # inhibit off
    assert device.receive_data(status_request) == frame(b"\x11")  # idling
    device.insert(KZT[2])
    clock.advance(1.0)
    escrow = device.receive_data(status_request)
    assert escrow == frame(bytes((0x13, 0x63)))  # escrow, third denomination (0x63)
    host = Id003Host()
    host.status_request()
    host.receive_data(escrow)
    assert host.next_event() == StatusReply(Id003Status(0x13, 0x63))
    assert device.receive_data(bytes.fromhex("FC 05 41 A2 04")) == bytes.fromhex(
        "FC 05 50 AA 05"
    )  # stack-1 → ACK
    clock.advance(1.0)
    vend_valid = frame(b"\x15")
    assert device.receive_data(status_request) == vend_valid
    assert device.receive_data(status_request) == vend_valid  # repeated until the host's ACK
    assert device.receive_data(bytes.fromhex("FC 05 50 AA 05")) == b""
    assert device.receive_data(status_request) == frame(b"\x16")  # stacked, once
    assert device.receive_data(status_request) == frame(b"\x11")  # idling again
