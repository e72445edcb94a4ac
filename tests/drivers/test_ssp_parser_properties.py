"""Property tests: an SSP byte stream split anyhow, with garbage and flipped bits, never
crashes the reader or the host and never yields a credit the clean packets did not carry."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bill.ssp.codes import Command, Event
from drivers.bill.ssp.packets import encode_packet
from drivers.bill.ssp.protocol import PollReply, SspHost
from tests.helpers.streams import damage, split, ssp_packets


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    ssp_packets,
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
    stream = damage(
        b"".join(encode_packet(data, sequence=flag) for data, flag in sent), garbage, flips
    )
    host = SspHost()
    host.send(Command.POLL)
    credits: Counter[int] = Counter()
    for piece in split(stream, cuts):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, PollReply):
                credits.update(e.channel or 0 for e in reply.events if e.code == Event.CREDIT)
    carried: Counter[int] = Counter()
    for data, _ in sent:
        if data[:1] == b"\xf0":
            carried.update(data[i + 1] for i in range(1, len(data) - 1) if data[i] == Event.CREDIT)
    for channel, count in credits.items():
        assert count <= carried[channel]
