"""Property tests: an SSP byte stream split anyhow, with garbage and flipped bits, never
crashes the reader or the host and never yields a credit the clean packets did not carry."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bill.ssp.codes import Command, Event
from drivers.bill.ssp.packets import Packet, PacketReader, encode_packet
from drivers.bill.ssp.protocol import PollReply, SspHost
from tests.helpers.streams import split

reply_data = st.one_of(
    st.sampled_from([b"\xf0", b"\xf0\xe8", b"\xf0\xcc", b"\xf0\xeb", b"\xf0\x7f\x7f"]),
    st.integers(1, 16).map(lambda ch: bytes((0xF0, Event.CREDIT, ch, Event.STACKED))),
    st.integers(0, 16).map(lambda ch: bytes((0xF0, Event.READ, ch))),
    st.binary(min_size=1, max_size=30),
)
packets_strategy = st.lists(st.tuples(reply_data, st.booleans()), min_size=1, max_size=10)


def read_all(pieces: list[bytes]) -> list[Packet]:
    reader = PacketReader()
    packets = []
    for piece in pieces:
        reader.feed(piece)
        while (packet := reader.next_packet()) is not None:
            packets.append(packet)
    return packets


@settings(max_examples=150, deadline=None, derandomize=True)
@given(packets_strategy, st.lists(st.integers(0, 10_000), max_size=8))
def test_clean_packets_split_anywhere_come_out_whole_and_in_order(
    sent: list[tuple[bytes, bool]], cuts: list[int]
) -> None:
    stream = b"".join(encode_packet(data, sequence=flag) for data, flag in sent)
    assert read_all(split(stream, cuts)) == [Packet(flag, 0, data) for data, flag in sent]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    packets_strategy,
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), max_size=5),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 7)), max_size=4),
    st.lists(st.integers(0, 10_000), max_size=8),
)
def test_noise_never_crashes_and_never_adds_a_credit(
    sent: list[tuple[bytes, bool]],
    garbage: list[tuple[int, bytes]],
    flips: list[tuple[int, int]],
    cuts: list[int],
) -> None:
    stream = bytearray(b"".join(encode_packet(data, sequence=flag) for data, flag in sent))
    for position, junk in garbage:
        at = position % (len(stream) + 1)
        stream[at:at] = junk
    for position, bit in flips:
        stream[position % len(stream)] ^= 1 << bit
    host = SspHost()
    host.send(Command.POLL)
    credits: Counter[int] = Counter()
    for piece in split(bytes(stream), cuts):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, PollReply):
                credits.update(e.channel or 0 for e in reply.events if e.code == Event.CREDIT)
    carried: Counter[int] = Counter()
    for data, _ in sent:
        if data[:1] == b"\xf0":
            carried.update(
                data[i + 1] for i in range(1, len(data) - 1) if data[i] == Event.CREDIT
            )
    for channel, count in credits.items():
        assert count <= carried[channel]
