"""CCNET bytes: CRC, the documented frames, long frames, resynchronisation, reply records."""

from __future__ import annotations

import pytest

from drivers.bill.ccnet.codes import Command, failure_description, reject_reason, state_name
from drivers.bill.ccnet.frames import Frame, FrameError, FrameReader, decode_frame, encode_frame
from drivers.bill.ccnet.protocol import (
    AckReply,
    BillTableReply,
    CcnetHost,
    CorruptReply,
    DeviceStatusReply,
    IdentificationReply,
    IllegalCommandReply,
    MalformedReply,
    NakReply,
    PollStatus,
    StatusReply,
)
from drivers.bill.ccnet.records import (
    Identification,
    RecordError,
    encode_bill_table,
    encode_identification,
    mask_for,
    parse_bill_table,
    parse_identification,
    types_in,
)
from drivers.crc import crc16_kermit, crc16_kermit_bytes

KZT_TENGE = (200, 500, 1000, 2000, 5000, 10000, 20000)

# The documented frames of PROTOCOLS.md §1.
DOCUMENTED = {
    "POLL": ("02 03 06 33 DA 81", Command.POLL, b""),
    "ACK": ("02 03 06 00 C2 82", Command.ACK, b""),
    "RESET": ("02 03 06 30 41 B3", Command.RESET, b""),
    "GET STATUS": ("02 03 06 31 C8 A2", Command.GET_STATUS, b""),
    "STACK": ("02 03 06 35 EC E4", Command.STACK, b""),
    "IDENTIFICATION": ("02 03 06 37 FE C7", Command.IDENTIFICATION, b""),
    "GET BILL TABLE": ("02 03 06 41 4F D1", Command.GET_BILL_TABLE, b""),
    "ENABLE all, no escrow": (
        "02 03 0C 34 FF FF FF 00 00 00 B5 C1",
        Command.ENABLE_BILL_TYPES,
        bytes.fromhex("FFFFFF000000"),
    ),
    "DISABLE all": (
        "02 03 0C 34 00 00 00 00 00 00 17 0C",
        Command.ENABLE_BILL_TYPES,
        bytes(6),
    ),
}


def test_crc16_kermit_check_value() -> None:
    assert crc16_kermit(b"123456789") == 0x2189
    assert crc16_kermit_bytes(b"123456789") == bytes((0x89, 0x21))  # low byte first


@pytest.mark.parametrize("name", DOCUMENTED)
def test_host_builds_every_documented_frame(name: str) -> None:
    wire, command, data = DOCUMENTED[name]
    assert CcnetHost().send(command, data) == bytes.fromhex(wire)


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_documented_frame_decodes(name: str) -> None:
    wire, command, data = DOCUMENTED[name]
    assert decode_frame(bytes.fromhex(wire)) == Frame(0x03, bytes((command,)) + data)


def test_disable_frame_with_the_enable_crc_is_rejected() -> None:
    shipped_bug = bytes.fromhex("02 03 0C 34 00 00 00 00 00 00 B5 C1")
    with pytest.raises(FrameError, match="bad CRC"):
        decode_frame(shipped_bug)
    reader = FrameReader()
    reader.feed(shipped_bug)
    assert reader.next_frame() is None
    assert reader.take_corrupt()


def test_long_frame_round_trip_uses_length_zero_and_two_length_bytes() -> None:
    data = bytes(range(256)) + b"tail"
    raw = encode_frame(data)
    assert raw[2] == 0
    assert int.from_bytes(raw[3:5], "big") == len(raw) == len(data) + 7
    assert decode_frame(raw).data == data


def test_empty_data_cannot_be_framed() -> None:
    with pytest.raises(FrameError):
        encode_frame(b"")


def test_frame_for_another_address_is_ignored() -> None:
    reader = FrameReader(0x03)
    reader.feed(encode_frame(b"\x33", address=0x01) + encode_frame(b"\x14"))
    assert reader.next_frame() == Frame(0x03, b"\x14")
    assert reader.next_frame() is None


def test_reader_finds_a_frame_behind_garbage_with_a_huge_length() -> None:
    garbage = bytes((0x02, 0x03, 0xF0, 0x99))  # a SYNC that promises 240 bytes
    reader = FrameReader()
    reader.feed(garbage + encode_frame(b"\x81\x02"))
    assert reader.next_frame() == Frame(0x03, b"\x81\x02")


def test_reader_waits_for_the_rest_of_a_split_frame() -> None:
    raw = encode_frame(b"\x80\x04")
    reader = FrameReader()
    reader.feed(raw[:4])
    assert reader.next_frame() is None
    reader.feed(raw[4:])
    assert reader.next_frame() == Frame(0x03, b"\x80\x04")


def test_host_interprets_replies_by_the_command_they_answer() -> None:
    host = CcnetHost()
    host.poll()
    host.receive_data(encode_frame(b"\x81\x02"))
    assert host.next_event() == StatusReply(PollStatus(0x81, 2))
    host.stack()
    host.receive_data(encode_frame(b"\x30"))
    assert host.next_event() == IllegalCommandReply(Command.STACK)
    host.reset()
    host.receive_data(encode_frame(b"\x00"))
    assert host.next_event() == AckReply()
    host.get_status()
    host.receive_data(encode_frame(bytes.fromhex("000007000000")))
    assert host.next_event() == DeviceStatusReply(enabled_mask=7, security_mask=0)


def test_host_reports_a_device_nak_and_a_corrupt_reply() -> None:
    host = CcnetHost()
    host.poll()
    host.receive_data(encode_frame(b"\xff"))
    assert host.next_event() == NakReply()
    damaged = bytearray(encode_frame(b"\x14"))
    damaged[3] ^= 0x01
    host.poll()
    host.receive_data(bytes(damaged))
    assert host.next_event() == CorruptReply()


def test_stacked_reply_without_bill_type_is_malformed_not_a_stack() -> None:
    host = CcnetHost()
    host.poll()
    host.receive_data(encode_frame(b"\x81"))
    reply = host.next_event()
    assert isinstance(reply, MalformedReply)


def test_kzt_bill_table_parses_to_tiyn() -> None:
    table = parse_bill_table(encode_bill_table([tenge * 100 for tenge in KZT_TENGE]))
    assert [bill.amount for bill in table[:8]] == [t * 100 for t in KZT_TENGE] + [0]
    assert len(table) == 24
    assert {bill.country for bill in table[:7]} == {"KZT"}


def test_bill_table_record_is_digit_times_ten_to_the_power() -> None:
    # 5 x 10^3 tenge = 5000 tenge = 500000 tiyn; an all-zero record is an unused type.
    raw = bytes((5,)) + b"KZT" + bytes((3,)) + bytes(5) + bytes((2,)) + b"KZT" + bytes((4,))
    table = parse_bill_table(raw + bytes(5 * 21))
    assert [bill.amount for bill in table[:3]] == [500_000, 0, 2_000_000]


def test_bill_table_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(RecordError):
        parse_bill_table(bytes(7))


def test_bill_table_reply_through_the_host() -> None:
    host = CcnetHost()
    host.get_bill_table()
    host.receive_data(encode_frame(encode_bill_table([20_000, 50_000])))
    reply = host.next_event()
    assert isinstance(reply, BillTableReply)
    assert reply.bill_types[1].amount == 50_000


def test_identification_fields_are_15_12_7_ascii() -> None:
    raw = b"SM-KZ-1234     " + b"41K123456789" + b"ASSET01"
    assert len(raw) == 34
    assert parse_identification(raw) == Identification("SM-KZ-1234", "41K123456789", "ASSET01")
    assert encode_identification(parse_identification(raw)) == raw
    host = CcnetHost()
    host.identification()
    host.receive_data(encode_frame(raw))
    reply = host.next_event()
    assert isinstance(reply, IdentificationReply)
    assert reply.identification.serial_number == "41K123456789"


def test_masks_put_bill_type_zero_in_bit_zero_of_the_last_byte() -> None:
    host = CcnetHost()
    frame = host.enable_bill_types(mask_for([0, 2]), mask_for([0, 2]))
    assert frame[3:10] == bytes.fromhex("34 000005 000005")
    assert types_in(0x800001) == (0, 23)


def test_names_of_states_reasons_and_failures() -> None:
    assert state_name(0x81) == "stacked"
    assert reject_reason(0x68) == "inhibit"
    assert failure_description(0x50) == "stack motor"


def test_unknown_codes_keep_their_hex_byte() -> None:
    assert failure_description(0x5A) == "failure 0x5A (unknown)"
    assert reject_reason(0x7B) == "reject 0x7B (unknown)"
    assert state_name(0x99) == "state 0x99 (unknown)"
