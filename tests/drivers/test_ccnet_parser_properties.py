"""Property tests: a CCNET byte stream split anyhow, with garbage and noise, never crashes the
reader and never yields a stacked report the bytes did not carry."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bill.ccnet.frames import encode_frame
from drivers.bill.ccnet.protocol import CcnetHost, StatusReply
from fuzz.targets import ccnet_frames_in
from tests.helpers.streams import CCNET_STACKED, ccnet_frames, damage, read_ccnet, split


@given(
    ccnet_frames,
    st.lists(st.binary(max_size=20).map(lambda b: b.replace(b"\x02", b"")), max_size=13),
    st.lists(st.integers(0, 10_000), max_size=30),
)
def test_garbage_between_frames_is_skipped(
    datas: list[bytes], garbage: list[bytes], cuts: list[int]
) -> None:
    stream = b""
    for index, data in enumerate(datas):
        stream += (garbage[index] if index < len(garbage) else b"") + encode_frame(data)
    assert [frame.data for frame in read_ccnet(split(stream, cuts))] == datas


@settings(max_examples=300)
@given(
    ccnet_frames,
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
    stream = damage(b"".join(encode_frame(data) for data in datas), insertions, flips)
    carried = ccnet_frames_in(stream)
    decoded = Counter(frame.data for frame in read_ccnet(split(stream, cuts)))
    # Nothing decoded that the bytes did not carry, and never more often.
    assert all(carried[data] >= count for data, count in decoded.items())
    stacked = {data: n for data, n in decoded.items() if data[:1] == bytes((CCNET_STACKED,))}
    assert all(carried[data] >= n for data, n in stacked.items())


@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=20))
def test_host_survives_arbitrary_bytes(stream: bytes, cuts: list[int]) -> None:
    host = CcnetHost()
    host.poll()
    stacked = 0
    for piece in split(stream, cuts):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, StatusReply) and reply.status.code == CCNET_STACKED:
                stacked += 1
    carried = ccnet_frames_in(stream)
    assert stacked <= sum(n for data, n in carried.items() if data[:1] == bytes((CCNET_STACKED,)))
