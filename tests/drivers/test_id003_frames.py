"""ID-003 frames and the sans-IO host: resynchronisation, replies read by the command
they answer, currency assignment and denomination masks."""

from __future__ import annotations

import pytest

from drivers.bill.id003.codes import Command, Status, failure_description, reject_reason
from drivers.bill.id003.frames import (
    CorruptBytes,
    FrameError,
    FrameReader,
    decode_frame,
    encode_frame,
)
from drivers.bill.id003.protocol import (
    AckReply,
    CorruptReply,
    CurrencyReply,
    Denomination,
    EchoReply,
    Id003Host,
    Id003Status,
    InvalidCommandReply,
    MalformedReply,
    SettingReply,
    StatusReply,
    VersionReply,
    denomination_bytes,
    enabled_indexes,
    encode_currency_assign,
    parse_currency_assign,
)

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)

# The documented frames (PROTOCOLS.md §2) are pinned against host and simulator in
# test_id003_conformance.py.


def test_a_frame_with_a_wrong_crc_is_refused() -> None:
    with pytest.raises(FrameError, match="bad CRC"):
        decode_frame(bytes.fromhex("FC 06 C3 01 04 D6"))  # inhibit on with inhibit off's CRC


def test_reader_finds_frames_in_garbage_and_across_splits() -> None:
    reader = FrameReader()
    stream = b"\x00\xfc\x01" + encode_frame(b"\x11") + b"\xfc" + encode_frame(b"\x13\x63")
    for byte in stream:
        reader.feed(bytes((byte,)))
    assert reader.next_frame() == b"\x11"
    assert reader.next_frame() == b"\x13\x63"
    assert reader.next_frame() is None


def test_same_byte_is_a_status_or_a_command_by_direction() -> None:
    host = Id003Host()
    host.status_request()
    host.receive_data(encode_frame(bytes((Status.IDLING,))))
    assert host.next_event() == StatusReply(Id003Status(Status.IDLING))
    host.reset()
    host.receive_data(encode_frame(bytes((Command.ACK,))))
    assert host.next_event() == AckReply()


def test_escrow_rejecting_and_failure_carry_their_detail_byte() -> None:
    host = Id003Host()
    for data, expected in [
        (b"\x13\x63", Id003Status(Status.ESCROW, 0x63)),
        (b"\x17\x79", Id003Status(Status.REJECTING, 0x79)),
        (b"\x49\xa2", Id003Status(Status.FAILURE, 0xA2)),
        (b"\x15", Id003Status(Status.VEND_VALID)),
    ]:
        host.status_request()
        host.receive_data(encode_frame(data))
        assert host.next_event() == StatusReply(expected)


def test_escrow_without_its_denomination_is_malformed_not_a_note() -> None:
    host = Id003Host()
    host.status_request()
    host.receive_data(encode_frame(b"\x13"))
    assert isinstance(host.next_event(), MalformedReply)


def test_settings_are_echoed_and_read_back() -> None:
    host = Id003Host()
    host.set_inhibit(True)
    host.receive_data(encode_frame(b"\xc3\x01"))
    assert host.next_event() == EchoReply(Command.SET_INHIBIT, b"\x01")
    host.send(Command.GET_INHIBIT)
    host.receive_data(encode_frame(b"\x83\x00"))
    assert host.next_event() == SettingReply(Command.GET_INHIBIT, b"\x00")


def test_invalid_command_answer_is_a_refusal() -> None:
    host = Id003Host()
    host.stack()
    host.receive_data(encode_frame(b"\x4b"))
    assert host.next_event() == InvalidCommandReply(Command.STACK_1, 0x4B)


def test_version_and_currency_assignment_replies() -> None:
    host = Id003Host()
    host.version()
    host.receive_data(encode_frame(b"\x88ID003 V1 SN12"))
    assert host.next_event() == VersionReply("ID003 V1 SN12")
    host.currency_assign()
    host.receive_data(encode_frame(b"\x8a" + encode_currency_assign(KZT)))
    reply = host.next_event()
    assert isinstance(reply, CurrencyReply)
    assert [d.amount for d in reply.denominations] == list(KZT)
    assert reply.denominations[0] == Denomination(0x61, 20_000, 0)


def test_currency_record_is_value_times_ten_to_the_exponent() -> None:
    # 0x64: 2 x 10^4 tenge = 20 000 tenge
    assert parse_currency_assign(bytes((0x64, 0, 2, 4))) == (Denomination(0x64, 2_000_000, 0),)


def test_a_corrupted_reply_is_reported_as_corrupt() -> None:
    host = Id003Host()
    host.status_request()
    raw = bytearray(encode_frame(b"\x11"))
    raw[2] ^= 0x01
    host.receive_data(bytes(raw))
    assert host.next_event() == CorruptReply()


def test_denomination_mask_zero_bit_enables() -> None:
    assert denomination_bytes(frozenset(range(16))) == b"\x00\x00"
    assert denomination_bytes(frozenset()) == b"\xff\xff"
    assert enabled_indexes(denomination_bytes(frozenset({0, 2, 9}))) == {0, 2, 9}


def test_unknown_reasons_keep_their_hex_byte() -> None:
    assert reject_reason(0x79) == "inhibit"
    assert reject_reason(0x99) == "reject 0x99 (unknown)"
    assert failure_description(0xA2) == "stack motor"
    assert failure_description(0xEE) == "failure 0xEE (unknown)"


def test_garbage_then_a_valid_frame_is_one_corrupt_report_then_the_frame() -> None:
    host = Id003Host()
    host.status_request()
    damaged = bytearray(encode_frame(b"\x13\x63"))
    damaged[3] ^= 0x10
    host.receive_data(b"\x00\xfc\x02" + bytes(damaged) + b"\xfc\xff" + encode_frame(b"\x11"))
    replies = []
    while (reply := host.next_event()) is not None:
        replies.append(reply)
    assert replies == [CorruptReply(), StatusReply(Id003Status(Status.IDLING))]


def test_the_same_damaged_bytes_are_reported_once_not_on_every_read() -> None:
    reader = FrameReader()
    damaged = bytearray(encode_frame(b"\x11"))
    damaged[2] ^= 0x01
    # A garbage length in front used to make the damaged frame count again on each read.
    reader.feed(b"\xfc\x30" + bytes(damaged) + encode_frame(b"\x1a"))
    items = [reader.next_item() for _ in range(4)]
    assert isinstance(items[0], CorruptBytes)
    assert items[1:] == [b"\x1a", None, None]


def test_a_bad_length_is_skipped_to_the_next_sync() -> None:
    reader = FrameReader()
    reader.feed(b"\xfc\x03\x11" + encode_frame(b"\x11"))
    first = reader.next_item()
    assert isinstance(first, CorruptBytes)
    assert first.problem == "bad length 0x03"
    assert reader.next_item() == b"\x11"
    assert reader.buffered == 0
