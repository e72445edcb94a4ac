"""Helpers for the byte-stream property tests of every protocol's reader: streams cut and
damaged as a serial line may deliver them, the replies each reader is fed, and one codec per
protocol for the properties they all share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from drivers.bill.ccnet.frames import Frame as CcnetFrame
from drivers.bill.ccnet.frames import FrameReader as CcnetFrameReader
from drivers.bill.ccnet.frames import encode_frame as encode_ccnet
from drivers.bill.id003.frames import FrameReader as Id003FrameReader
from drivers.bill.id003.frames import encode_frame as encode_id003
from drivers.bill.ssp.codes import Event as SspEvent
from drivers.bill.ssp.packets import Packet, PacketReader, encode_packet


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    """``stream`` cut at the points ``cuts`` name (taken modulo its length, plus one), as a
    serial line may deliver it: every piece in order, the empty ones included."""
    points = sorted({c % (len(stream) + 1) for c in cuts})
    pieces, start = [], 0
    for point in [*points, len(stream)]:
        pieces.append(stream[start:point])
        start = point
    return pieces


def damage(
    stream: bytes, insertions: list[tuple[int, bytes]], flips: list[tuple[int, int]]
) -> bytes:
    """``stream`` with junk inserted at and bits flipped at positions taken modulo its length,
    as a noisy line would deliver it."""
    damaged = bytearray(stream)
    for position, junk in insertions:
        at = position % (len(damaged) + 1)
        damaged[at:at] = junk
    for position, bit in flips:
        damaged[position % len(damaged)] ^= 1 << bit
    return bytes(damaged)


# ----- replies each protocol's reader is fed, and the reader drained ------------------------
CCNET_STACKED = 0x81
CCNET_REPLIES = st.one_of(
    st.sampled_from([b"\x14", b"\x19", b"\x15", b"\x17", b"\x13", b"\x00", b"\x30"]),
    st.integers(0, 23).map(lambda t: bytes((0x80, t))),
    st.integers(0, 23).map(lambda t: bytes((CCNET_STACKED, t))),
    st.integers(0, 23).map(lambda t: bytes((0x82, t))),
    st.binary(min_size=1, max_size=40),
)
ID003_REPLIES = st.one_of(
    st.sampled_from([b"\x11", b"\x1a", b"\x12", b"\x14", b"\x15", b"\x16", b"\x50", b"\x4b"]),
    st.integers(0x61, 0x68).map(lambda code: bytes((0x13, code))),
    st.integers(0x71, 0x7E).map(lambda reason: bytes((0x17, reason))),
    st.binary(min_size=1, max_size=40),
)
SSP_REPLIES = st.one_of(
    st.sampled_from([b"\xf0", b"\xf0\xe8", b"\xf0\xcc", b"\xf0\xeb", b"\xf0\x7f\x7f"]),
    st.integers(1, 16).map(lambda ch: bytes((0xF0, SspEvent.CREDIT, ch, SspEvent.STACKED))),
    st.integers(0, 16).map(lambda ch: bytes((0xF0, SspEvent.READ, ch))),
    st.binary(min_size=1, max_size=30),
)
ccnet_frames = st.lists(CCNET_REPLIES, min_size=1, max_size=12)
id003_frames = st.lists(ID003_REPLIES, min_size=1, max_size=12)
# SSP packets carry the sequence flag of the command they answer.
ssp_packets = st.lists(st.tuples(SSP_REPLIES, st.booleans()), min_size=1, max_size=10)


def _read_all(
    pieces: list[bytes], feed: Callable[[bytes], None], take: Callable[[], Any]
) -> list[Any]:
    """Feed ``pieces`` one by one and take every whole message the reader has after each."""
    found = []
    for piece in pieces:
        feed(piece)
        while (message := take()) is not None:
            found.append(message)
    return found


def read_ccnet(pieces: list[bytes]) -> list[CcnetFrame]:
    reader = CcnetFrameReader()
    return _read_all(pieces, reader.feed, reader.next_frame)


def read_id003(pieces: list[bytes]) -> list[bytes]:
    reader = Id003FrameReader()
    return _read_all(pieces, reader.feed, reader.next_frame)


def read_ssp(pieces: list[bytes]) -> list[Packet]:
    reader = PacketReader()
    return _read_all(pieces, reader.feed, reader.next_packet)


@dataclass(frozen=True)
class Codec:
    """One protocol's framing as the shared property tests see it: a strategy for a list of
    messages, each message's bytes on the line, and what its reader makes of them."""

    messages: st.SearchStrategy[list[Any]]
    encode: Callable[[Any], bytes]
    expected: Callable[[Any], object]
    read: Callable[[list[bytes]], list[object]]


CODECS = {
    "ccnet": Codec(
        ccnet_frames,
        encode_ccnet,
        lambda data: data,
        lambda pieces: [frame.data for frame in read_ccnet(pieces)],
    ),
    "id003": Codec(
        id003_frames, encode_id003, lambda data: data, lambda pieces: list(read_id003(pieces))
    ),
    "ssp": Codec(
        ssp_packets,
        lambda sent: encode_packet(sent[0], sequence=sent[1]),
        lambda sent: Packet(sent[1], 0, sent[0]),
        lambda pieces: list(read_ssp(pieces)),
    ),
}
