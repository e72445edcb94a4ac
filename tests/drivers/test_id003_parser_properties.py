"""Property tests: an ID-003 byte stream split anyhow, with garbage and noise, never crashes
the reader, never yields a Vend Valid (the credit point) the bytes did not carry, never
reports the same bytes for ever, and finds a valid frame after any garbage."""

from __future__ import annotations

from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from drivers.bill.id003.frames import CorruptBytes, FrameReader, encode_frame
from drivers.bill.id003.protocol import Id003Host, StatusReply
from drivers.crc import crc16_kermit
from fuzz.targets import id003_frames_in
from tests.helpers.streams import ID003_REPLIES, damage, id003_frames, read_id003, split

VEND_VALID = 0x15


@settings(max_examples=200, deadline=None)
@given(
    id003_frames,
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), max_size=5),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 7)), max_size=4),
    st.lists(st.integers(0, 10_000), max_size=8),
)
def test_noise_never_crashes_and_never_invents_a_frame(
    datas: list[bytes],
    garbage: list[tuple[int, bytes]],
    flips: list[tuple[int, int]],
    cuts: list[int],
) -> None:
    stream = damage(b"".join(encode_frame(data) for data in datas), garbage, flips)
    frames = read_id003(split(stream, cuts))
    carried = id003_frames_in(stream)
    taken = Counter(frames)
    for data, count in taken.items():
        assert count <= carried[data], f"{data.hex()} taken {count}x, carried {carried[data]}x"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(0, 1_000), max_size=6))
def test_host_never_reports_vend_valid_the_bytes_did_not_carry(
    noise: bytes, cuts: list[int]
) -> None:
    host = Id003Host()
    host.status_request()
    vend_valid = 0
    for piece in split(noise, cuts):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, StatusReply) and reply.status.code == VEND_VALID:
                vend_valid += 1
    carried = id003_frames_in(noise)
    assert vend_valid <= sum(n for data, n in carried.items() if data[0] == VEND_VALID)


def straddles(stream: bytes, boundary: int) -> bool:
    """A valid frame starts before ``boundary`` and ends after it (it eats the real frame's
    first bytes; a CRC collision, about one in 65 536 per candidate)."""
    for start in range(boundary):
        if stream[start] != 0xFC or start + 1 >= len(stream):
            continue
        end = start + stream[start + 1]
        if stream[start + 1] >= 5 and boundary < end <= len(stream):
            body, crc = stream[start : end - 2], stream[end - 2 : end]
            if crc16_kermit(body) == int.from_bytes(crc, "little"):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=120) | st.lists(st.sampled_from([0xFC, 0x05, 0x11, 0xFF, 0x00])).map(bytes),
    ID003_REPLIES,
    st.lists(st.integers(0, 10_000), max_size=6),
)
def test_any_bytes_then_a_valid_frame_yield_that_frame(
    garbage: bytes, data: bytes, cuts: list[int]
) -> None:
    stream = garbage + encode_frame(data)
    assume(not straddles(stream, len(garbage)))
    reader = FrameReader()
    items: list[bytes | CorruptBytes] = []
    for piece in split(stream, cuts):
        reader.feed(piece)
        while (item := reader.next_item()) is not None:
            items.append(item)
    assert items[-1] == data
    assert reader.buffered == 0
    # Each report drops at least one SYNC of the garbage: none is reported twice.
    assert sum(isinstance(item, CorruptBytes) for item in items) <= garbage.count(0xFC)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reading_without_new_bytes_always_comes_to_an_end(noise: bytes) -> None:
    reader = FrameReader()
    reader.feed(noise)
    for _ in range(len(noise) + 1):
        if reader.next_item() is None:
            break
    else:
        raise AssertionError("the reader keeps reporting the same bytes")
    assert reader.next_item() is None
