"""Property tests: a CCNET byte stream split anyhow, with garbage and noise, never crashes the
reader and never yields a stacked report the bytes did not carry."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bill.ccnet.frames import Frame, FrameReader, encode_frame
from drivers.bill.ccnet.protocol import CcnetHost, StatusReply
from fuzz.targets import ccnet_frames_in
from tests.helpers.streams import split

STACKED = 0x81

reply_data = st.one_of(
    st.sampled_from([b"\x14", b"\x19", b"\x15", b"\x17", b"\x13", b"\x00", b"\x30"]),
    st.integers(0, 23).map(lambda t: bytes((0x80, t))),
    st.integers(0, 23).map(lambda t: bytes((STACKED, t))),
    st.integers(0, 23).map(lambda t: bytes((0x82, t))),
    st.binary(min_size=1, max_size=40),
)
frames_strategy = st.lists(reply_data, min_size=1, max_size=12)


def read_all(pieces: list[bytes]) -> list[Frame]:
    reader = FrameReader()
    frames = []
    for piece in pieces:
        reader.feed(piece)
        while (frame := reader.next_frame()) is not None:
            frames.append(frame)
    return frames


@given(frames_strategy, st.lists(st.integers(0, 10_000), max_size=30))
def test_any_split_of_valid_frames_yields_exactly_those_frames(
    datas: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(encode_frame(data) for data in datas)
    assert [frame.data for frame in read_all(split(stream, cuts))] == datas


@given(
    frames_strategy,
    st.lists(st.binary(max_size=20).map(lambda b: b.replace(b"\x02", b"")), max_size=13),
    st.lists(st.integers(0, 10_000), max_size=30),
)
def test_garbage_between_frames_is_skipped(
    datas: list[bytes], garbage: list[bytes], cuts: list[int]
) -> None:
    stream = b""
    for index, data in enumerate(datas):
        stream += (garbage[index] if index < len(garbage) else b"") + encode_frame(data)
    assert [frame.data for frame in read_all(split(stream, cuts))] == datas


@settings(max_examples=300)
@given(
    frames_strategy,
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=12)), max_size=6),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 7)), max_size=6),
    st.lists(st.integers(0, 10_000), max_size=30),
)
def test_noise_and_garbage_never_invent_a_stacked_report(
    datas: list[bytes],
    insertions: list[tuple[int, bytes]],
    flips: list[tuple[int, int]],
    cuts: list[int],
) -> None:
    stream = bytearray(b"".join(encode_frame(data) for data in datas))
    for position, junk in insertions:
        at = position % (len(stream) + 1)
        stream[at:at] = junk
    for position, bit in flips:
        stream[position % len(stream)] ^= 1 << bit
    carried = ccnet_frames_in(bytes(stream))
    decoded = Counter(frame.data for frame in read_all(split(bytes(stream), cuts)))
    # Nothing decoded that the bytes did not carry, and never more often.
    assert all(carried[data] >= count for data, count in decoded.items())
    stacked = {data: n for data, n in decoded.items() if data[:1] == bytes((STACKED,))}
    assert all(carried[data] >= n for data, n in stacked.items())


@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=20))
def test_host_survives_arbitrary_bytes(stream: bytes, cuts: list[int]) -> None:
    host = CcnetHost()
    host.poll()
    stacked = 0
    for piece in split(stream, cuts):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, StatusReply) and reply.status.code == STACKED:
                stacked += 1
    carried = ccnet_frames_in(stream)
    assert stacked <= sum(n for data, n in carried.items() if data[:1] == bytes((STACKED,)))
