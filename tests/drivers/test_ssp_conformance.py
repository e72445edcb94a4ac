"""SSP / eSSP conformance: published byte sequences run against BOTH our host code and our
simulator, so the two cannot drift into agreeing with each other and not with the protocol.

Sources of the vectors (each test names its own):
- PROTOCOLS.md §3 "Documented frames" ([2+]: seen in two or more independent drivers).
- ITL's SSP SDK C code as bundled in the PyPI package eSSP6 1.0.8 (``_eSSP/lib/``), compiled
  with cc on a local machine: ``ITLSSPProc.c`` ``EncryptSSPPacket`` and ``SSPComs.c``
  ``CompileSSPCommand`` produced the encrypted host packets below (fixed key
  0x0123456701234567, negotiated key 1, padding from glibc ``rand()`` after ``srand(1)``);
  ``SSPComs.c`` ``SSPSendCommand`` was fed our simulator's replies on a socket pair and
  accepted them (the outcome each vector records).

The reference AES and CRC here are written from the protocol text, not taken from our code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from drivers.bill.ssp.codes import Command, Event, Generic
from drivers.bill.ssp.essp import HostSession, PacketCipher
from drivers.bill.ssp.link import CommandLink, PlainReply, SessionLost
from drivers.bill.ssp.packets import decode_packet, encode_packet
from drivers.bill.ssp.protocol import PollEvent, PollReply, RefusedReply, SspHost, UnitDataReply
from drivers.bill.ssp.records import inhibit_bytes, parse_unit_data
from drivers.sim.bill.ssp import SspDevice
from kiosk.domain.clock import ManualClock

FIXED_KEY = 0x0123456701234567
NEGOTIATED_KEY = 1  # what any unit computes when the host's intermediate key is 1

# ----- PROTOCOLS.md §3, documented frames [2+] ---------------------------------------------
SYNC = bytes.fromhex("7F 80 01 11 65 82")
OK_REPLY = bytes.fromhex("7F 80 01 F0 23 80")
POLL_SET = bytes.fromhex("7F 80 01 07 12 02")
POLL_CLEAR = bytes.fromhex("7F 00 01 07 11 88")
ENABLE = bytes.fromhex("7F 80 01 0A 3F 82")
DISABLE = bytes.fromhex("7F 80 01 09 35 82")
CREDIT_CH1_STACKED = bytes.fromhex("7F 80 04 F0 EE 01 EB B9 48")
SET_INHIBITS_16 = bytes.fromhex("7F 80 03 02 FF FF 25 A4")
STUFFED_HOST_PROTOCOL = bytes.fromhex("7F 80 02 06 7F 7F 31 95")  # [calc]

# ----- eSSP6 1.0.8 CompileSSPCommand / EncryptSSPPacket, compiled (see the module text) ------
ITL_HOST_PROTOCOL_6_COUNT_0 = bytes.fromhex("7f80117e8f1f23d06900f0d4e1106cd99cf2fc3dbdb3")
ITL_POLL_COUNT_1 = bytes.fromhex("7f00117ec5bcc5ae82ab0dd3cfe9be08c1478895c4ba")
ITL_POLL_COUNT_2 = bytes.fromhex("7f80117ee31b9336ca75d2432f971d5c2d95f1e1d173")
ITL_POLL_COUNT_3 = bytes.fromhex("7f00117e1d1b044b91f3b69c0dc0b2aa4cd8c76e8571")
ITL_UNIT_DATA = bytes.fromhex("7f80010d2e02")  # plain, after SYNC
ITL_SYNC = bytes.fromhex("7f8001116582")  # the same bytes as PROTOCOLS.md's SYNC


# ----- references written from the protocol text -------------------------------------------
def reference_crc(data: bytes) -> int:
    """SSP CRC: polynomial 0x8005, initial 0xFFFF, MSB first (SSPComs.c cal_crc_loop_CCITT_A)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def _aes(key_negotiated: int) -> Cipher[modes.ECB]:
    key = FIXED_KEY.to_bytes(8, "little") + key_negotiated.to_bytes(8, "little")
    return Cipher(algorithms.AES(key), modes.ECB())


@dataclass(frozen=True)
class Opened:
    """An eSSP inner packet opened by the reference: ITLSSPProc.c's layout."""

    count: int
    data: bytes
    padding: bytes


def reference_open(packet_data: bytes, key: int = NEGOTIATED_KEY) -> Opened:
    """``0x7E | AES(eLENGTH, eCOUNT (4, LE), eDATA, padding, eCRC (LE))``."""
    assert packet_data[0] == 0x7E
    decryptor = _aes(key).decryptor()
    plain = decryptor.update(packet_data[1:]) + decryptor.finalize()
    assert reference_crc(plain[:-2]) == int.from_bytes(plain[-2:], "little"), "eCRC"
    length = plain[0]
    return Opened(
        int.from_bytes(plain[1:5], "little"), plain[5 : 5 + length], plain[5 + length : -2]
    )


def reference_seal(data: bytes, count: int, key: int = NEGOTIATED_KEY) -> bytes:
    """What a unit sends: the same layout, zero padding."""
    plain = bytes((len(data),)) + count.to_bytes(4, "little") + data
    plain += bytes((-(len(plain) + 2)) % 16)
    plain += reference_crc(plain).to_bytes(2, "little")
    encryptor = _aes(key).encryptor()
    return b"\x7e" + encryptor.update(plain) + encryptor.finalize()


# ----- a raw wire to the simulator ---------------------------------------------------------
@dataclass
class Wire:
    """Host packets in, the simulator's reply bytes out; the flag toggles like a host's."""

    device: SspDevice
    clock: ManualClock
    flag: bool = True
    replies: list[bytes] = field(default_factory=list)

    def raw(self, packet: bytes) -> bytes:
        self.flag = bool(packet[1] & 0x80)
        reply = self.device.receive_data(packet)
        self.replies.append(reply)
        return reply

    def send(self, data: bytes) -> bytes:
        return self.raw(encode_packet(data, sequence=not self.flag))

    def with_flag_set(self, packet: bytes) -> bytes:
        """``packet`` (flag set): a read-only SERIAL NUMBER first if the last flag was set."""
        if self.flag:
            self.send(bytes((Command.SERIAL_NUMBER,)))
        return self.raw(packet)

    def poll(self) -> bytes:
        self.clock.advance(0.1)
        return self.with_flag_set(POLL_SET)

    def exchange_keys_with_host_key_one(self) -> None:
        """SET GENERATOR, SET MODULUS, REQUEST KEY EXCHANGE with the host's intermediate key
        1: whatever the unit's secret, the negotiated key is 1^secret mod p = 1."""
        for command, value in (
            (Command.SET_GENERATOR, 139_791_917),
            (Command.SET_MODULUS, 769_202_429),
            (Command.REQUEST_KEY_EXCHANGE, 1),
        ):
            reply = decode_packet(self.send(bytes((command,)) + value.to_bytes(8, "little")))
            assert reply.data[0] == Generic.OK


@pytest.fixture
def wire(clock: ManualClock) -> Wire:
    return Wire(SspDevice(clock=clock, seed=5), clock)


# ----- plain SSP: our host ------------------------------------------------------------------
def test_host_builds_the_documented_frames() -> None:
    # PROTOCOLS.md §3 documented frames [2+].
    host = SspHost()
    assert host.send(Command.SYNC) == SYNC == ITL_SYNC
    assert host.send(Command.POLL) == POLL_CLEAR
    assert host.send(Command.POLL) == POLL_SET
    host.send(Command.POLL)
    assert host.send(Command.ENABLE) == ENABLE
    host.send(Command.POLL)
    assert host.send(Command.DISABLE) == DISABLE
    host.send(Command.POLL)
    assert host.send(Command.SET_INHIBITS, inhibit_bytes(range(1, 17))) == SET_INHIBITS_16
    assert encode_packet(b"\x06\x7f", sequence=True) == STUFFED_HOST_PROTOCOL
    host.send(Command.POLL)
    assert host.send(Command.UNIT_DATA) == ITL_UNIT_DATA  # eSSP6 1.0.8 CompileSSPCommand


def test_host_reads_the_documented_credit_reply() -> None:
    # PROTOCOLS.md §3: "credit ch1 + stacked".
    host = SspHost()
    host.send(Command.SYNC)
    host.send(Command.POLL)
    host.send(Command.POLL)
    host.receive_data(CREDIT_CH1_STACKED)
    assert host.next_event() == PollReply((PollEvent(Event.CREDIT, 1), PollEvent(Event.STACKED)))


def test_host_reads_unit_data_in_itls_layout() -> None:
    # eSSP6 1.0.8 ssp_commands.c ssp_unit_data: type [1], firmware [2..5], country [6..8],
    # value multiplier [9..11] big-endian, protocol version [12] (offsets in the reply DATA).
    data = bytes.fromhex("F0 00") + b"0210" + b"EUR" + bytes.fromhex("00 00 64 07")
    host = SspHost()
    host.send(Command.SYNC)
    host.receive_data(encode_packet(data, sequence=False))
    host.send(Command.UNIT_DATA)
    host.receive_data(encode_packet(data, sequence=False))
    reply = host.next_event()
    assert isinstance(reply, UnitDataReply)
    assert (
        reply.unit.unit_type,
        reply.unit.firmware,
        reply.unit.country,
        reply.unit.value_multiplier,
        reply.unit.protocol_version,
    ) == (0, "0210", "EUR", 100, 7)


# ----- plain SSP: our simulator -------------------------------------------------------------
def test_simulator_answers_the_documented_frames(wire: Wire) -> None:
    # PROTOCOLS.md §3 documented frames [2+]; settings made before the first poll stay (the
    # power-up report undoes nothing, as ITL's SDK flow expects).
    assert wire.raw(SYNC) == OK_REPLY
    assert wire.with_flag_set(SET_INHIBITS_16) == OK_REPLY
    assert wire.with_flag_set(ENABLE) == OK_REPLY
    assert decode_packet(wire.poll()).data == bytes((Generic.OK, Event.SLAVE_RESET))
    wire.clock.advance(1)
    assert decode_packet(wire.poll()).data == bytes((Generic.OK,))  # enabled: no E8
    assert wire.device.unit_enabled
    assert wire.device.channels_enabled == frozenset(range(1, 17))
    assert wire.with_flag_set(DISABLE) == OK_REPLY
    assert decode_packet(wire.poll()).data == bytes((Generic.OK, Event.DISABLED))


def test_simulator_sends_the_documented_credit_reply(wire: Wire) -> None:
    # PROTOCOLS.md §3: "credit ch1 + stacked", byte for byte.
    wire.raw(SYNC)
    wire.with_flag_set(SET_INHIBITS_16)
    wire.with_flag_set(ENABLE)
    wire.poll()
    wire.clock.advance(1)
    wire.poll()
    wire.device.insert(wire.device.bill_amounts[0])  # channel 1
    for _ in range(30):
        if wire.poll() == CREDIT_CH1_STACKED:
            break
    else:
        pytest.fail(f"no documented credit reply in {[r.hex(' ') for r in wire.replies]}")
    assert wire.device.cassette == [wire.device.bill_amounts[0]]


def test_simulator_repeats_its_last_reply_to_the_same_flag(wire: Wire) -> None:
    # PROTOCOLS.md §3: "a device that sees the same flag again repeats its last reply".
    wire.raw(SYNC)
    first = wire.raw(POLL_CLEAR)
    assert wire.raw(POLL_CLEAR) == first
    assert decode_packet(first).data == bytes((Generic.OK, Event.SLAVE_RESET))


def test_simulator_answers_unit_data_in_itls_layout(wire: Wire) -> None:
    # eSSP6 1.0.8 ssp_commands.c ssp_unit_data offsets, read here by hand.
    wire.raw(SYNC)
    wire.send(bytes((Command.POLL,)))
    data = decode_packet(wire.raw(ITL_UNIT_DATA)).data
    assert data[0] == Generic.OK and len(data) == 13
    assert data[1] == 0x00  # a note validator
    assert data[2:6].isdigit()
    assert data[6:9] == b"KZT"
    assert int.from_bytes(data[9:12], "big") > 0
    assert data[12] >= 6
    assert parse_unit_data(data[1:]).country == "KZT"


# ----- eSSP: our host -------------------------------------------------------------------
def test_itls_encrypted_command_opens_to_its_count_and_data() -> None:
    # eSSP6 1.0.8 EncryptSSPPacket: eLENGTH, eCOUNT LE from 0, eDATA, rand() padding, eCRC;
    # key = fixed key LE then negotiated key LE (SSP_FULL_KEY in memory).
    opened = reference_open(decode_packet(ITL_HOST_PROTOCOL_6_COUNT_0).data)
    assert (opened.count, opened.data) == (0, b"\x06\x06")
    assert PacketCipher(FIXED_KEY, NEGOTIATED_KEY).unwrap(
        decode_packet(ITL_HOST_PROTOCOL_6_COUNT_0).data
    ) == (0, b"\x06\x06")


@pytest.mark.parametrize(
    ("vector", "count", "data", "flag"),
    [
        (ITL_HOST_PROTOCOL_6_COUNT_0, 0, b"\x06\x06", True),
        (ITL_POLL_COUNT_1, 1, b"\x07", False),
        (ITL_POLL_COUNT_2, 2, b"\x07", True),
        (ITL_POLL_COUNT_3, 3, b"\x07", False),
    ],
    ids=["host-protocol-count-0", "poll-count-1", "poll-count-2", "poll-count-3"],
)
def test_host_seals_a_command_exactly_as_itls_code(
    vector: bytes, count: int, data: bytes, flag: bool
) -> None:
    padding = reference_open(decode_packet(vector).data).padding
    sealed = PacketCipher(FIXED_KEY, NEGOTIATED_KEY).wrap(data, count, padding)
    assert encode_packet(sealed, sequence=flag) == vector


def test_host_takes_a_reply_with_the_commands_count_plus_one_and_goes_on_from_it() -> None:
    # eSSP6 1.0.8: EncryptSSPPacket increments encPktCount after sealing; SSPSendCommand
    # discards a reply whose count differs from that incremented counter, and does not
    # increment on receive, so the next command carries the reply's count.
    session = HostSession(FIXED_KEY, NEGOTIATED_KEY)
    assert reference_open(session.wrap(b"\x06\x06")).count == 0
    assert session.unwrap(reference_seal(b"\xf0", 0)) is None  # what our simulator used to send
    assert session.unwrap(reference_seal(b"\xf0", 2)) is None
    assert session.unwrap(reference_seal(b"\xf0", 1)) == b"\xf0"
    assert session.unwrap(reference_seal(b"\xf0", 1)) == b"\xf0"  # a repeated reply: same count
    assert reference_open(session.wrap(b"\x07")).count == 1
    assert session.unwrap(reference_seal(b"\xf0", 2)) == b"\xf0"


class _ScriptedLine:
    """A transport whose every read returns the next scripted reply packet."""

    name = "scripted"

    def __init__(self, *replies: bytes) -> None:
        self._replies = list(replies)
        self._pending = b""

    def write(self, data: bytes) -> None:
        self._pending = self._replies.pop(0) if self._replies else b""

    def read(self, max_bytes: int) -> bytes:
        chunk, self._pending = self._pending[:max_bytes], self._pending[max_bytes:]
        return chunk

    def discard_input(self) -> None:
        self._pending = b""

    def close(self) -> None:
        self._pending = b""


def _session_link(*replies: bytes) -> CommandLink:
    link = CommandLink(_ScriptedLine(*replies), retries=2)
    link.host.send(Command.SYNC)
    link.cipher = HostSession(FIXED_KEY, NEGOTIATED_KEY)
    return link


def test_host_in_a_session_refuses_the_documented_credit_reply_sent_in_the_clear() -> None:
    # eSSP6 1.0.8 SSPSendCommand reads a reply without 0x7E as plain data: it would take
    # this credit. Ours must not read it at all.
    link = _session_link(CREDIT_CH1_STACKED)
    with pytest.raises(PlainReply) as refused:
        link.exchange(Command.POLL)
    assert refused.value.first_byte == Generic.OK


def test_host_in_a_session_takes_a_lone_key_not_set_as_a_lost_session() -> None:
    link = _session_link(encode_packet(bytes((Generic.KEY_NOT_SET,)), sequence=False))
    with pytest.raises(SessionLost) as lost:
        link.exchange(Command.POLL)
    assert not isinstance(lost.value, PlainReply)


def test_host_in_a_session_reads_an_encrypted_credit() -> None:
    sealed = reference_seal(CREDIT_CH1_STACKED[3:7], 1)
    link = _session_link(encode_packet(sealed, sequence=False))
    assert link.exchange(Command.POLL) == PollReply(
        (PollEvent(Event.CREDIT, 1), PollEvent(Event.STACKED))
    )


# ----- eSSP: our simulator ------------------------------------------------------------------
def _session_wire(clock: ManualClock) -> Wire:
    wire = Wire(SspDevice(clock=clock, seed=5, require_encryption=True, fixed_key=FIXED_KEY), clock)
    assert wire.raw(ITL_SYNC) == OK_REPLY
    wire.exchange_keys_with_host_key_one()
    return wire


def test_simulator_answers_itls_commands_with_their_count_plus_one(clock: ManualClock) -> None:
    # eSSP6 1.0.8 SSPSendCommand, compiled, accepted exactly these answers (count 1 after
    # the command with count 0, count 2 after count 1); the reply with count 0 that our
    # simulator sent before was discarded by it (SSP_PACKET_ERROR).
    wire = _session_wire(clock)
    first = reference_open(decode_packet(wire.raw(ITL_HOST_PROTOCOL_6_COUNT_0)).data)
    assert (first.count, first.data) == (1, bytes((Generic.OK,)))
    second = reference_open(decode_packet(wire.raw(ITL_POLL_COUNT_1)).data)
    assert (second.count, second.data) == (2, bytes((Generic.OK, Event.SLAVE_RESET)))


def test_simulator_counters_stay_in_step_across_a_repeat_and_a_lost_reply(
    clock: ManualClock,
) -> None:
    wire = _session_wire(clock)
    wire.raw(ITL_HOST_PROTOCOL_6_COUNT_0)
    answer = wire.raw(ITL_POLL_COUNT_1)
    assert wire.raw(ITL_POLL_COUNT_1) == answer  # a resent packet: the same reply bytes
    lost = wire.raw(ITL_POLL_COUNT_2)  # its reply never reaches the host, which resends
    assert wire.raw(ITL_POLL_COUNT_2) == lost
    assert reference_open(decode_packet(lost).data).count == 3
    after = reference_open(decode_packet(wire.raw(ITL_POLL_COUNT_3)).data)
    assert after.count == 4 and after.data[0] == Generic.OK


def test_simulator_counts_from_zero_again_after_a_new_key(clock: ManualClock) -> None:
    wire = _session_wire(clock)
    wire.raw(ITL_HOST_PROTOCOL_6_COUNT_0)
    wire.raw(ITL_POLL_COUNT_1)
    assert wire.raw(ITL_SYNC) == OK_REPLY
    wire.exchange_keys_with_host_key_one()
    again = reference_open(decode_packet(wire.raw(ITL_HOST_PROTOCOL_6_COUNT_0)).data)
    assert (again.count, again.data) == (1, bytes((Generic.OK,)))


def test_simulator_discards_a_command_with_a_stale_count(clock: ManualClock) -> None:
    wire = _session_wire(clock)
    wire.raw(ITL_HOST_PROTOCOL_6_COUNT_0)
    # A new packet (the other flag) whose count is not the one the unit waits for (1).
    assert decode_packet(wire.raw(ITL_POLL_COUNT_3)).data == bytes((Generic.KEY_NOT_SET,))


def test_our_host_and_simulator_agree_on_itls_counts(clock: ManualClock) -> None:
    # Both sides against each other, with every packet checked by the reference.
    wire = _session_wire(clock)
    session = HostSession(FIXED_KEY, NEGOTIATED_KEY)
    for expected_command_count in range(4):
        sealed = session.wrap(bytes((Command.POLL,)))
        assert reference_open(sealed).count == expected_command_count
        reply = decode_packet(wire.send(sealed)).data
        assert reference_open(reply).count == expected_command_count + 1
        assert session.unwrap(reply) is not None


def test_a_refused_reply_is_not_a_generic_reply() -> None:
    # Guard: the lone "key not set" taken in the clear is a RefusedReply, never events.
    host = SspHost()
    host.send(Command.POLL)
    assert host.interpret(bytes((Generic.KEY_NOT_SET,))) == RefusedReply(
        Command.POLL, Generic.KEY_NOT_SET
    )


def test_the_ssp_simulator_can_be_left_enabled_by_a_dead_host() -> None:
    # The shared control line `left-enabled` reaches every simulator, SSP included.
    from drivers.sim.bill.ssp import SspDevice

    device = SspDevice(seed=1)
    assert device.enable_mask == 0  # powered up: disabled, every channel inhibited
    assert device.control("left-enabled").startswith("ok")  # the simulator's control channel
    known = [i for i, amount in enumerate(device.bill_amounts) if amount]
    assert device.enable_mask == sum(1 << i for i in known) and device.unit_enabled
