"""Property tests of the ESC/POS status parser (drivers/printer/status.py): any replies to
DLE EOT 1..4 give one state, and the kiosk is told it can print only when every reply is well
formed and no paper, cover or error bit is set (Epson's ESC/POS reference for DLE EOT n:
bit 1 and bit 4 always 1, bits 0 and 7 always 0)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.status import PrinterState, classify, is_valid_reply

reply = st.one_of(
    st.none(),
    st.integers(0, 255),
    st.integers(0, 255).map(lambda b: (b & 0b0110_1100) | 0b0001_0010),
)


@settings(max_examples=500, deadline=None)
@given(st.tuples(reply, reply, reply, reply))
def test_any_replies_give_one_state_and_printable_only_when_all_is_well(
    replies: tuple[int | None, ...],
) -> None:
    status = classify(dict(zip((1, 2, 3, 4), replies, strict=True)))
    assert status.state in PrinterState and status.reason
    if status.can_print:
        assert all(byte is not None and is_valid_reply(byte) for byte in replies)
        online, offline, error, paper = (byte or 0 for byte in replies)
        assert not paper & 0x60 and not offline & 0x64 and not error & 0x6C
        assert not online & 0x08


@settings(max_examples=300, deadline=None)
@given(st.tuples(reply, reply, reply), st.integers(0, 255))
def test_a_paper_out_bit_is_never_reported_as_printable(
    first: tuple[int | None, ...], paper: int
) -> None:
    paper = (paper & 0b0110_1100) | 0b0001_0010 | 0x20  # well formed, "paper end" set
    status = classify(dict(zip((1, 2, 3, 4), (*first, paper), strict=True)))
    assert not status.can_print
    assert status.state in (PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.UNKNOWN)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.tuples(reply, reply, reply, reply))
def test_a_missing_reply_is_unknown_and_names_the_query(
    silent: int, replies: tuple[int | None, ...]
) -> None:
    answers = dict(zip((1, 2, 3, 4), replies, strict=True))
    for n in range(1, silent):
        answers[n] = 0x12
    answers[silent] = None
    status = classify(answers)
    assert status.state is PrinterState.UNKNOWN
    assert f"DLE EOT {silent}" in status.reason
