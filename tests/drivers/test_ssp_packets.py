"""SSP packets and the sans-IO host: the documented vectors, byte stuffing, the CRC, the
sequence flag, several events per poll reply, setup records."""

from __future__ import annotations

import pytest

from drivers.bill.ssp.codes import Command, Event
from drivers.bill.ssp.packets import Packet, PacketError, PacketReader, decode_packet, encode_packet
from drivers.bill.ssp.protocol import (
    CorruptReply,
    OkReply,
    PollEvent,
    PollReply,
    RefusedReply,
    SetupReply,
    SspHost,
    parse_poll,
)
from drivers.bill.ssp.records import enabled_channels, encode_setup, inhibit_bytes, parse_setup
from drivers.crc import crc16_ssp

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)


@pytest.mark.parametrize(
    ("data", "sequence", "wire"),
    [
        (b"\x11", True, "7F 80 01 11 65 82"),
        (b"\xf0", True, "7F 80 01 F0 23 80"),
        (b"\x07", True, "7F 80 01 07 12 02"),
        (b"\x07", False, "7F 00 01 07 11 88"),
        (b"\x0a", True, "7F 80 01 0A 3F 82"),
        (b"\x09", True, "7F 80 01 09 35 82"),
        (b"\xf0\xee\x01\xeb", True, "7F 80 04 F0 EE 01 EB B9 48"),
        (b"\x02\xff\xff", True, "7F 80 03 02 FF FF 25 A4"),
        (b"\x06\x7f", True, "7F 80 02 06 7F 7F 31 95"),
    ],
)
def test_documented_packets_encode_and_decode(data: bytes, sequence: bool, wire: str) -> None:
    raw = bytes.fromhex(wire)
    assert encode_packet(data, sequence=sequence) == raw
    assert decode_packet(raw) == Packet(sequence, 0, data)


def test_crc_is_computed_before_stuffing_and_crc_bytes_are_stuffed_too() -> None:
    for value in range(0x10000):  # find data whose CRC holds a 0x7F byte
        data = value.to_bytes(2, "big")
        if 0x7F in crc16_ssp(b"\x80\x02" + data).to_bytes(2, "little"):
            break
    raw = encode_packet(data, sequence=True)
    assert raw[1:].count(b"\x7f\x7f") >= 1
    assert decode_packet(raw).data == data


def test_a_wrong_crc_is_refused() -> None:
    with pytest.raises(PacketError, match="bad CRC"):
        decode_packet(bytes.fromhex("7F 80 01 09 3F 82"))  # disable with enable's CRC


def test_a_lone_stx_mid_packet_restarts_reception() -> None:
    reader = PacketReader()
    reader.feed(bytes.fromhex("7F 80 04 F0") + encode_packet(b"\xf0", sequence=False))
    assert reader.next_packet() == Packet(False, 0, b"\xf0")


def test_host_toggles_the_flag_and_sync_resets_it() -> None:
    host = SspHost()
    assert host.send(Command.SYNC)[1] == 0x80
    assert host.send(Command.POLL)[1] == 0x00
    assert host.send(Command.POLL)[1] == 0x80
    again = host.repeat()
    assert again[1] == 0x80 and again == encode_packet(b"\x07", sequence=True)
    assert host.send(Command.SYNC)[1] == 0x80


def test_several_events_per_poll_oldest_first() -> None:
    assert parse_poll(b"\xf0\xee\x01\xeb") == PollReply(
        (PollEvent(Event.CREDIT, 1), PollEvent(Event.STACKED))
    )
    reply = parse_poll(bytes((0xF0, Event.SLAVE_RESET, Event.CLEARED_INTO_CASHBOX, 3, 0xE8)))
    assert [e.code for e in reply.events] == [0xF1, 0xE2, 0xE8]
    assert reply.events[1].channel == 3


def test_an_unknown_event_stops_parsing_and_is_named() -> None:
    reply = parse_poll(b"\xf0\xe8\x42\xee\x01")
    assert reply.events == (PollEvent(Event.DISABLED),) and reply.unknown == 0x42


def test_replies_are_read_by_the_command_they_answer() -> None:
    host = SspHost()
    host.send(Command.POLL)
    host.receive_data(encode_packet(b"\xf0\xef\x02", sequence=False))
    assert host.next_event() == PollReply((PollEvent(Event.READ, 2),))
    host.send(Command.ENABLE)
    host.receive_data(encode_packet(b"\xf0", sequence=True))
    assert host.next_event() == OkReply()
    host.send(Command.HOLD)
    host.receive_data(encode_packet(b"\xf5", sequence=False))
    assert host.next_event() == RefusedReply(Command.HOLD, 0xF5)
    host.send(Command.SETUP_REQUEST)
    host.receive_data(encode_packet(b"\xf0" + encode_setup(KZT), sequence=True))
    reply = host.next_event()
    assert isinstance(reply, SetupReply) and reply.setup.amounts == KZT


def test_a_corrupted_reply_is_reported_as_corrupt() -> None:
    host = SspHost()
    host.send(Command.POLL)
    raw = bytearray(encode_packet(b"\xf0", sequence=False))
    raw[3] ^= 0x01
    host.receive_data(bytes(raw))
    assert host.next_event() == CorruptReply()


def test_setup_without_protocol_6_extension_uses_the_multiplier() -> None:
    setup = parse_setup(encode_setup(KZT)[: 12 + 7 + 7 + 3] + b"\x05")
    assert setup.amounts == KZT and setup.protocol_version == 5


def test_inhibit_mask_bit_per_channel() -> None:
    assert inhibit_bytes(range(1, 17)) == b"\xff\xff"
    assert enabled_channels(inhibit_bytes([1, 3, 9])) == {1, 3, 9}
