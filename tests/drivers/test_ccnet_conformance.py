"""Published CCNET byte sequences run against both our host code and our simulator.

Sources (read for facts only):
- Host frames: PROTOCOLS.md §1 test vectors; slowdream/CashCode-php-lib consts.php (the same
  frames plus RETURN, HOLD and ENABLE all with escrow); lamassu/lamassu-machine
  lib/ccnet/consts.js (command codes).
- CRC-16/KERMIT, low byte first: kiriculum/cashcode_ccnet ccnet/ccnet.py ``_crc16``
  (poly 0x8408, init 0, ``to_bytes(2, 'little')``); desionlab/node-cashcode-bv
  Source/CCNet/BillValidator.js ``getCRC16`` (bytes reversed: low first); check value
  0x2189 of "123456789" from the CRC RevEng catalogue entry CRC-16/KERMIT.
- 0x30 from the device is ILLEGAL COMMAND: dimoniche/Service
  ServiceSaleMachine.Drivers/CCNET/CCRSProtocol.cs (``ST_INV_CMD = 0x30``);
  lamassu/lamassu-machine lib/ccnet/consts.js (``ILLEGAL_COMMAND: 0x30``). Its frame has the
  bytes of the host's RESET frame (same address, length and data byte).
- A frame with a bad CRC is answered with NAK: lamassu/lamassu-machine
  lib/ccnet/ccnet-emulator.js (device side); lamassu/lamassu-machine
  lib/ccnet/transmission-fsm.js and desionlab/node-cashcode-bv BillValidator.js (host side).
- Bill table: 24 records of digit, 3 ASCII country letters, power of ten
  (kiriculum/cashcode_ccnet ccnet/ccnet.py ``get_bill_table``; lamassu/lamassu-machine
  lib/ccnet/ccnet.js ``_billTable``, which also reads the power byte's high bit as a
  negative exponent). IDENTIFICATION: 15 + 12 ASCII then 7 bytes (kiriculum/cashcode_ccnet
  ccnet/ccnet.py ``identification``: 34 bytes).
"""

from __future__ import annotations

import pytest

from drivers.bill.ccnet.codes import Command
from drivers.bill.ccnet.frames import Frame, FrameReader, decode_frame, encode_frame
from drivers.bill.ccnet.protocol import (
    AckReply,
    BillTableReply,
    CcnetHost,
    CorruptReply,
    IdentificationReply,
    IllegalCommandReply,
    StatusReply,
)
from drivers.bill.ccnet.records import parse_bill_table
from drivers.crc import crc16_kermit, crc16_kermit_bytes
from drivers.sim.bill.ccnet import CcnetDevice
from kiosk.domain.clock import ManualClock

ALL_TYPES = bytes.fromhex("FFFFFF")
PUBLISHED: dict[str, tuple[str, Command, bytes]] = {
    "POLL": ("02 03 06 33 DA 81", Command.POLL, b""),
    "ACK": ("02 03 06 00 C2 82", Command.ACK, b""),
    "RESET": ("02 03 06 30 41 B3", Command.RESET, b""),
    "GET STATUS": ("02 03 06 31 C8 A2", Command.GET_STATUS, b""),
    "STACK": ("02 03 06 35 EC E4", Command.STACK, b""),
    "RETURN": ("02 03 06 36 77 D6", Command.RETURN, b""),
    "IDENTIFICATION": ("02 03 06 37 FE C7", Command.IDENTIFICATION, b""),
    "HOLD": ("02 03 06 38 09 3F", Command.HOLD, b""),
    "GET BILL TABLE": ("02 03 06 41 4F D1", Command.GET_BILL_TABLE, b""),
    "ENABLE all, no escrow": (
        "02 03 0C 34 FF FF FF 00 00 00 B5 C1",
        Command.ENABLE_BILL_TYPES,
        ALL_TYPES + bytes(3),
    ),
    "ENABLE all, escrow all": (
        "02 03 0C 34 FF FF FF FF FF FF FE F7",
        Command.ENABLE_BILL_TYPES,
        ALL_TYPES * 2,
    ),
    "DISABLE all": ("02 03 0C 34 00 00 00 00 00 00 17 0C", Command.ENABLE_BILL_TYPES, bytes(6)),
}
ACK_FRAME = bytes.fromhex("02 03 06 00 C2 82")
ILLEGAL_COMMAND_FRAME = bytes.fromhex("02 03 06 30 41 B3")
DISABLE_WITH_THE_ENABLE_CRC = bytes.fromhex("02 03 0C 34 00 00 00 00 00 00 B5 C1")


def wire(name: str) -> bytes:
    return bytes.fromhex(PUBLISHED[name][0])


def replies(raw: bytes) -> list[Frame]:
    """Every frame in what the simulator sent back."""
    reader = FrameReader()
    reader.feed(raw)
    frames = []
    while (frame := reader.next_frame()) is not None:
        frames.append(frame)
    assert not reader.take_corrupt() and reader.buffered == 0
    return frames


@pytest.fixture
def unit() -> CcnetDevice:
    """A simulated unit reset by the published RESET frame and out of initialize."""
    clock = ManualClock()
    device = CcnetDevice(clock=clock, seed=1)
    assert device.receive_data(wire("RESET")) == ACK_FRAME
    clock.advance(1)
    return device


# ----- the CRC ---------------------------------------------------------------------------
def test_crc16_kermit_check_value_is_sent_low_byte_first() -> None:
    assert crc16_kermit(b"123456789") == 0x2189
    assert crc16_kermit_bytes(b"123456789") == bytes.fromhex("89 21")


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_published_frame_ends_in_the_crc16_kermit_of_what_precedes_it(name: str) -> None:
    frame = wire(name)
    assert frame[2] == len(frame)  # LNG counts the whole frame
    assert crc16_kermit_bytes(frame[:-2]) == frame[-2:]


# ----- our host code ----------------------------------------------------------------------
@pytest.mark.parametrize("name", PUBLISHED)
def test_our_host_builds_each_published_frame_byte_for_byte(name: str) -> None:
    _, command, data = PUBLISHED[name]
    assert CcnetHost().send(command, data) == wire(name)


def test_our_host_reads_the_ack_and_illegal_command_frames() -> None:
    host = CcnetHost()
    host.reset()
    host.receive_data(ACK_FRAME)
    assert host.next_event() == AckReply()
    host.identification()
    host.receive_data(ILLEGAL_COMMAND_FRAME)
    assert host.next_event() == IllegalCommandReply(Command.IDENTIFICATION)


def test_our_host_refuses_disable_sent_with_the_enable_crc() -> None:
    host = CcnetHost()
    host.poll()
    host.receive_data(DISABLE_WITH_THE_ENABLE_CRC)
    assert host.next_event() == CorruptReply()


def test_our_host_reads_a_negative_power_of_ten_in_the_bill_table() -> None:
    # 5 x 10^-1 EUR = 0.50 EUR = 50 minor units; 5 x 10^1 EUR = 5000 minor units.
    records = bytes((5,)) + b"EUR" + bytes((0x81,)) + bytes((5,)) + b"EUR" + bytes((1,))
    table = parse_bill_table(records + bytes(5 * 22))
    assert [bill.amount for bill in table[:3]] == [50, 5000, 0]
    assert table[0].country == "EUR"


# ----- our simulator -------------------------------------------------------------------
@pytest.mark.parametrize("name", [n for n in PUBLISHED if n != "ACK"])
def test_our_simulator_answers_each_published_command_with_one_good_frame(
    unit: CcnetDevice, name: str
) -> None:
    frames = replies(unit.receive_data(wire(name)))
    assert len(frames) == 1 and frames[0].data != bytes((Command.NAK,))


def test_our_simulator_answers_nothing_to_the_published_ack(unit: CcnetDevice) -> None:
    assert unit.receive_data(wire("ACK")) == b""


def test_our_simulator_naks_disable_sent_with_the_enable_crc(unit: CcnetDevice) -> None:
    (frame,) = replies(unit.receive_data(DISABLE_WITH_THE_ENABLE_CRC))
    assert frame.data == bytes((Command.NAK,))
    assert unit.enable_mask == 0


def test_published_enable_frames_set_the_masks_they_name(unit: CcnetDevice) -> None:
    assert unit.receive_data(wire("ENABLE all, escrow all")) == ACK_FRAME
    assert unit.enable_mask == unit.escrow_mask == 0xFFFFFF
    assert unit.receive_data(wire("ENABLE all, no escrow")) == ACK_FRAME
    assert (unit.enable_mask, unit.escrow_mask) == (0xFFFFFF, 0)
    assert unit.receive_data(wire("DISABLE all")) == ACK_FRAME
    assert (unit.enable_mask, unit.escrow_mask) == (0, 0)


def test_our_simulator_refuses_identification_while_enabled_with_the_illegal_frame(
    unit: CcnetDevice,
) -> None:
    unit.receive_data(wire("ENABLE all, escrow all"))
    assert unit.receive_data(wire("IDENTIFICATION")) == ILLEGAL_COMMAND_FRAME
    assert unit.receive_data(wire("GET BILL TABLE")) == ILLEGAL_COMMAND_FRAME
    assert unit.receive_data(wire("DISABLE all")) == ACK_FRAME
    assert unit.receive_data(wire("IDENTIFICATION")) != ILLEGAL_COMMAND_FRAME


def test_our_simulator_bill_table_has_the_published_record_layout(unit: CcnetDevice) -> None:
    (frame,) = replies(unit.receive_data(wire("GET BILL TABLE")))
    table = frame.data
    assert len(table) == 24 * 5
    assert table[:5] == bytes((2,)) + b"KZT" + bytes((2,))  # 2 x 10^2 = 200 tenge
    assert table[7 * 5 :] == bytes(17 * 5)  # unused types are all-zero records
    host = CcnetHost()
    host.get_bill_table()
    host.receive_data(encode_frame(table))
    reply = host.next_event()
    assert isinstance(reply, BillTableReply)
    assert [bill.amount for bill in reply.bill_types[:7]] == [
        20_000,
        50_000,
        100_000,
        200_000,
        500_000,
        1_000_000,
        2_000_000,
    ]


def test_our_simulator_identification_is_15_12_ascii_then_7_bytes(unit: CcnetDevice) -> None:
    raw = unit.receive_data(wire("IDENTIFICATION"))
    (frame,) = replies(raw)
    assert len(frame.data) == 34 and frame.data[:27].isascii()
    host = CcnetHost()
    host.identification()
    host.receive_data(raw)
    reply = host.next_event()
    assert isinstance(reply, IdentificationReply)
    assert reply.identification.part_number == "SM-KZ-SIM-1.0"


def test_our_host_and_simulator_agree_on_a_poll_exchange() -> None:
    device = CcnetDevice(clock=ManualClock(), seed=1)
    host = CcnetHost()
    raw = device.receive_data(host.poll())
    assert decode_frame(raw) == Frame(0x03, bytes((0x10,)))  # power up, before any RESET
    host.receive_data(raw)
    reply = host.next_event()
    assert isinstance(reply, StatusReply) and reply.status.name == "power_up"
    assert device.receive_data(host.ack()) == b""
    assert device.unacknowledged == {}
