"""Fuzz targets: every parser that reads bytes or text from outside, with the property it keeps.

Each target takes one input (bytes) and either returns or raises AssertionError (a property
broken) or an exception the parser does not document (a crash). ``make fuzz`` runs them
coverage-guided with atheris (fuzz/run.py); ``make test`` runs the same functions on their seeds
and on bounded random input (tests/test_fuzz_targets.py), so a target that rots fails there.

Properties:
- ``ccnet``, ``id003``, ``ssp``: the host never crashes on any byte stream, split anyhow, and
  never reports a stacked note / vend valid / credit more often than a frame with a valid CRC
  carrying it occurs in the bytes.
- ``essp``: opening any bytes as an eSSP packet gives nothing or a count and data whose CRC held
  (it never raises); a packet sealed by us opens to what was sealed.
- ``escpos_status``: any replies to DLE EOT 1..4 (missing, short, any bytes) give a state; the
  printer is called printable only when every reply is well formed and no paper, cover or
  error bit is set.
- ``ledger_wire``: any bytes as a payment batch, heartbeat or encashment are refused with a
  ValidationError or accepted with every amount within the schema's bounds and a stable
  content hash.
- ``printer_url`` and ``kiosk_config``: any text is parsed or refused with the module's own
  error, never another exception.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.crc import crc16_kermit, crc16_ssp

Target = Callable[[bytes], None]


def _pieces(data: bytes) -> Iterator[bytes]:
    """Split ``data`` into chunks: each chunk's first byte says how long the chunk is."""
    at = 0
    while at < len(data):
        size = data[at] % 16 + 1
        yield data[at + 1 : at + 1 + size]
        at += 1 + size


def _stream(data: bytes) -> bytes:
    return b"".join(_pieces(data))


# ----- CCNET and ID-003 -------------------------------------------------------------------
def ccnet_frames_in(stream: bytes) -> Counter[bytes]:
    """The data of every valid CCNET frame (address 3) starting at any offset of ``stream``."""
    found: Counter[bytes] = Counter()
    for start in range(len(stream) - 5):
        if stream[start] != 0x02 or stream[start + 1] != 0x03:
            continue
        length, header = stream[start + 2], 3
        if length == 0:
            length, header = int.from_bytes(stream[start + 3 : start + 5], "big"), 5
        end = start + length
        if length < header + 3 or end > len(stream):
            continue
        if crc16_kermit(stream[start : end - 2]) == int.from_bytes(stream[end - 2 : end], "little"):
            found[stream[start + header : end - 2]] += 1
    return found


def id003_frames_in(stream: bytes) -> Counter[bytes]:
    """The data of every valid ID-003 frame starting at any offset of ``stream``."""
    found: Counter[bytes] = Counter()
    for start in range(len(stream) - 4):
        if stream[start] != 0xFC:
            continue
        length = stream[start + 1]
        end = start + length
        if length < 5 or end > len(stream):
            continue
        if crc16_kermit(stream[start : end - 2]) == int.from_bytes(stream[end - 2 : end], "little"):
            found[stream[start + 2 : end - 2]] += 1
    return found


def _carrying(frames: Counter[bytes], code: int) -> int:
    return sum(count for frame, count in frames.items() if frame[:1] == bytes((code,)))


def _status_reports(host: Any, reply_type: type[Any], data: bytes, code: int) -> int:
    """How often ``host``, fed ``data`` in pieces, reports a status reply with ``code``."""
    reported = 0
    for piece in _pieces(data):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            reported += isinstance(reply, reply_type) and reply.status.code == code
    return reported


def ccnet(data: bytes) -> None:
    from drivers.bill.ccnet.protocol import CcnetHost, StatusReply

    host = CcnetHost()
    host.poll()
    stacked = _status_reports(host, StatusReply, data, 0x81)
    assert stacked <= _carrying(ccnet_frames_in(_stream(data)), 0x81), (
        "a stacked report the bytes lack"
    )


def id003(data: bytes) -> None:
    from drivers.bill.id003.protocol import Id003Host, StatusReply

    host = Id003Host()
    host.status_request()
    vend_valid = _status_reports(host, StatusReply, data, 0x15)
    assert vend_valid <= _carrying(id003_frames_in(_stream(data)), 0x15), (
        "a vend valid the bytes lack"
    )


# ----- SSP ----------------------------------------------------------------------------------
def _ssp_packets(stream: bytes) -> list[bytes]:
    """The data of every packet with a valid CRC starting at any STX of the unstuffed bytes
    (an over-count is fine: the property is an upper bound)."""
    unstuffed = stream.replace(b"\x7f\x7f", b"\x7f")
    found = []
    for start in range(len(unstuffed) - 4):
        if unstuffed[start] != 0x7F:
            continue
        length = unstuffed[start + 2]
        end = start + 3 + length + 2
        if end > len(unstuffed):
            continue
        body = unstuffed[start + 1 : start + 3 + length]
        if crc16_ssp(body) == int.from_bytes(unstuffed[end - 2 : end], "little"):
            found.append(body[2:])
    return found


def ssp(data: bytes) -> None:
    from drivers.bill.ssp.codes import Command, Event
    from drivers.bill.ssp.protocol import PollReply, SspHost

    host = SspHost()
    host.send(Command.POLL)
    credits = 0
    for piece in _pieces(data):
        host.receive_data(piece)
        while (reply := host.next_event()) is not None:
            if isinstance(reply, PollReply):
                credits += sum(event.code == Event.CREDIT for event in reply.events)
    carried = sum(
        packet.count(bytes((Event.CREDIT,)))
        for packet in _ssp_packets(_stream(data)) + _ssp_packets(data)
    )
    assert credits <= carried, "a credit the bytes lack"


# ----- eSSP ---------------------------------------------------------------------------------
_ESSP_KEYS = (0x0123456701234567, 0x1122334455667788)


def essp(data: bytes) -> None:
    from drivers.bill.ssp.essp import PacketCipher

    cipher = PacketCipher(*_ESSP_KEYS)
    opened = cipher.unwrap(data)
    if opened is not None:
        count, inner = opened
        assert 0 <= count < 1 << 32 and len(inner) < len(data)
    payload = data[:200] or b"\x07"
    count = int.from_bytes(data[:4].ljust(4, b"\0"), "little")
    assert cipher.unwrap(cipher.wrap(payload, count)) == (count, payload)


# ----- ESC/POS status -----------------------------------------------------------------------
@dataclass
class _ScriptedPrinter:
    """A printer link: stale bytes for the drain, then one fuzzed chunk per status query
    (an empty chunk is no reply)."""

    stale: bytes
    replies: list[bytes]

    def _raw(self, data: bytes) -> None:  # python-escpos' write: the queries go nowhere
        pass

    def read_reply(self, size: int) -> bytes:
        if size == 0:
            return b""  # a link that can read
        if size > 1:  # the drain before the queries
            stale, self.stale = self.stale, b""
            return stale[:size]
        return self.replies.pop(0)[:size] if self.replies else b""


def escpos_status(data: bytes) -> None:
    from drivers.printer.driver import EscposDriver
    from drivers.printer.profiles import get_profile
    from drivers.printer.status import PrinterState, is_valid_reply

    chunks = list(_pieces(data))
    stale, replies = (chunks[0], chunks[1:5]) if chunks else (b"", [])
    status = EscposDriver(_ScriptedPrinter(stale, list(replies)), get_profile("TM-T88V")).status()
    assert status.state in PrinterState
    if status.can_print:
        assert len(replies) == 4 and all(replies), "printable without four replies"
        online, offline, error, paper = (reply[0] for reply in replies)  # one byte read each
        assert all(is_valid_reply(byte) for byte in (online, offline, error, paper))
        assert not (paper & 0x60 or offline & 0x64 or error & 0x6C), "printable with a fault"


# ----- the ledger's wire schema -------------------------------------------------------------
def ledger_wire(data: bytes) -> None:
    from pydantic import BaseModel, ValidationError

    from sync.ledger import schema

    models: tuple[type[BaseModel], ...] = (
        schema.PaymentBatch,
        schema.HeartbeatIn,
        schema.EncashmentIn,
    )
    for model in models:
        try:
            value = model.model_validate_json(data)
        except ValidationError:
            continue
        if isinstance(value, schema.PaymentBatch):
            for payment in value.payments:
                for amount in (
                    payment.inserted,
                    payment.commission,
                    payment.credited,
                    *payment.notes,
                ):
                    assert 0 <= amount <= schema.MAX_TIYN, "an amount beyond the bound"
                assert payment.content_hash() == payment.model_copy().content_hash()


# ----- text from configuration --------------------------------------------------------------
def printer_url(data: bytes) -> None:
    from drivers.printer.connection import PrinterConnectionError, parse_url

    text = data.decode("utf-8", "replace")
    try:
        parsed = parse_url(text)
    except PrinterConnectionError:
        return
    assert parsed.scheme in ("serial", "file", "sim", "tcp", "usb")


def kiosk_config(data: bytes) -> None:
    from kiosk.config import ConfigError, load_config

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kiosk.toml"
        path.write_bytes(data)
        try:
            load_config(path)
        except ConfigError:
            return


TARGETS: dict[str, Target] = {
    "ccnet": ccnet,
    "id003": id003,
    "ssp": ssp,
    "essp": essp,
    "escpos_status": escpos_status,
    "ledger_wire": ledger_wire,
    "printer_url": printer_url,
    "kiosk_config": kiosk_config,
}


def _chunked(stream: bytes) -> bytes:
    """``stream`` in the chunked form the targets read (see ``_pieces``)."""
    out = bytearray()
    for at in range(0, len(stream), 16):
        piece = stream[at : at + 16]
        out += bytes((len(piece) - 1,)) + piece
    return bytes(out)


def seeds(name: str) -> list[bytes]:
    """Starting inputs: published frames (PROTOCOLS.md's vectors) and well-formed documents."""
    if name == "ccnet":
        from drivers.bill.ccnet.frames import encode_frame as ccnet_frame

        frames = [b"\x14", b"\x19", b"\x80\x02", b"\x81\x02", b"\x82\x02", b"\x00", b"\x30"]
        return [_chunked(b"".join(ccnet_frame(data) for data in frames))]
    if name == "id003":
        from drivers.bill.id003.frames import encode_frame as id003_frame

        frames = [b"\x11", b"\x13\x62", b"\x15\x62", b"\x1a", b"\x40", b"\x8a"]
        return [_chunked(b"".join(id003_frame(data) for data in frames))]
    if name == "ssp":
        from drivers.bill.ssp.packets import encode_packet

        replies = [b"\xf0", b"\xf0\xef\x01", b"\xf0\xee\x01\xcc", b"\xf0\xe8", b"\xf0\x7f\x7f"]
        return [
            _chunked(
                b"".join(
                    encode_packet(data, sequence=bool(i % 2)) for i, data in enumerate(replies)
                )
            )
        ]
    if name == "essp":
        from drivers.bill.ssp.essp import PacketCipher

        return [PacketCipher(*_ESSP_KEYS).wrap(b"\xf0\xee\x01", 1)]
    if name == "escpos_status":
        return [
            bytes((0, 0, 0, 0x12, 0, 0x12, 0, 0x12, 0, 0x12)),
            bytes((0, 0, 0, 0x12, 0, 0x32, 0, 0x12, 0, 0x72)),
        ]
    if name == "ledger_wire":
        payment = {
            "operation_id": "9b2f1c1e-0000-4000-8000-000000000001",
            "local_seq": 1,
            "receipt_number": 1,
            "terminal_id": "KZ-ALA-0001",
            "service": "qplus",
            "account": "+77011234567",
            "inserted": 100_000,
            "commission": 0,
            "credited": 100_000,
            "currency": "KZT",
            "created_at": "2026-01-01T10:00:00.000+00:00",
            "notes": [100_000],
            "offline": False,
            "recovered": False,
            "completion": "completed",
        }
        import json

        return [json.dumps({"payments": [payment]}).encode()]
    if name == "printer_url":
        return [
            b"socket://127.0.0.1:9100",
            b"/dev/ttyUSB0",
            b"usb://0x04b8:0x0202",
            b"rfc2217://10.0.0.5:4001?baudrate=9600",
        ]
    if name == "kiosk_config":
        from kiosk.config import example_config_text

        return [example_config_text().encode()]
    raise KeyError(name)
