"""Property tests every protocol's reader meets: clean frames, however the line splits them,
come out whole and in order. Each protocol's own properties (garbage, noise, never a credit
the bytes did not carry) are in test_<protocol>_parser_properties.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.streams import CODECS, split


@pytest.mark.parametrize("protocol", sorted(CODECS))
@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_clean_frames_split_anywhere_come_out_whole_and_in_order(
    protocol: str, data: st.DataObject
) -> None:
    codec = CODECS[protocol]
    sent = data.draw(codec.messages, label="sent")
    cuts = data.draw(st.lists(st.integers(0, 10_000), max_size=30), label="cuts")
    stream = b"".join(codec.encode(message) for message in sent)
    assert codec.read(split(stream, cuts)) == [codec.expected(message) for message in sent]
