"""Helpers for the byte-stream property tests of every protocol's reader."""

from __future__ import annotations


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    """``stream`` cut at the points ``cuts`` name (taken modulo its length, plus one), as a
    serial line may deliver it: every piece in order, the empty ones included."""
    points = sorted({c % (len(stream) + 1) for c in cuts})
    pieces, start = [], 0
    for point in [*points, len(stream)]:
        pieces.append(stream[start:point])
        start = point
    return pieces
