"""The CCNET simulator at the byte level: its state machine, ground truth and control lines."""

from __future__ import annotations

import json

import pytest

from drivers.bill.ccnet.codes import Command
from drivers.bill.ccnet.protocol import (
    AckReply,
    BillTableReply,
    CcnetHost,
    CorruptReply,
    IdentificationReply,
    IllegalCommandReply,
    NakReply,
    Reply,
    StatusReply,
)
from drivers.bill.ccnet.records import encode_masks
from drivers.sim.bill.ccnet import CcnetDevice, SimulatorRefused, Timings
from kiosk.domain.clock import ManualClock

ALL = 0x7F  # the seven KZT types
KZT_TIYN = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)
T1000 = 2  # bill type of 1000 tenge


class Host:
    """A bare CCNET host talking to the simulator frame by frame."""

    def __init__(self, device: CcnetDevice) -> None:
        self.device = device
        self.host = CcnetHost()

    def send(self, command: Command, data: bytes = b"") -> Reply | None:
        self.host.receive_data(self.device.receive_data(self.host.send(command, data)))
        return self.host.next_event()

    def poll(self) -> str:
        reply = self.send(Command.POLL)
        assert isinstance(reply, StatusReply), reply
        return reply.status.name

    def poll_status(self) -> tuple[int, int | None]:
        reply = self.send(Command.POLL)
        assert isinstance(reply, StatusReply), reply
        return reply.status.code, reply.status.detail

    def ack(self) -> None:
        assert self.device.receive_data(self.host.ack()) == b""


@pytest.fixture
def device(clock: ManualClock) -> CcnetDevice:
    return CcnetDevice(clock=clock, seed=3)


@pytest.fixture
def host(device: CcnetDevice, clock: ManualClock) -> Host:
    """A host that has reset the device and enabled every KZT note with escrow."""
    bare = Host(device)
    assert bare.poll() == "power_up"
    assert bare.send(Command.RESET) == AckReply()
    assert bare.poll() == "initialize"
    clock.advance(1)
    assert bare.poll() == "disabled"
    assert bare.send(Command.ENABLE_BILL_TYPES, encode_masks(ALL, ALL)) == AckReply()
    assert bare.poll() == "idling"
    return bare


def to_escrow(host: Host, clock: ManualClock, tenge: int = 1000) -> None:
    host.device.insert(tenge * 100)
    assert host.poll() == "accepting"
    clock.advance(0.5)


def test_note_goes_through_escrow_stacking_and_stacked(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    assert host.poll_status() == (0x80, T1000)
    assert host.send(Command.STACK) == AckReply()
    assert host.poll() == "stacking"
    clock.advance(0.5)
    assert host.poll_status() == (0x81, T1000)
    assert host.device.cassette == [100_000]


def test_stacked_is_repeated_until_the_host_acks(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    clock.advance(0.5)
    assert [host.poll_status() for _ in range(3)] == [(0x81, T1000)] * 3
    host.ack()
    assert host.poll() == "idling"
    assert host.device.cassette == [100_000]


def test_return_gives_the_note_back(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    assert host.send(Command.RETURN) == AckReply()
    assert host.poll() == "returning"
    clock.advance(0.5)
    assert host.poll_status() == (0x82, T1000)
    host.ack()
    assert host.device.returned == [100_000]
    assert host.device.cassette == []


def test_escrow_timeout_returns_the_note_and_hold_extends_it(
    host: Host, clock: ManualClock
) -> None:
    to_escrow(host, clock)
    clock.advance(8)
    assert host.send(Command.HOLD) == AckReply()
    clock.advance(8)
    assert host.poll() == "holding"
    clock.advance(2.1)
    assert host.poll() == "returning"
    clock.advance(1)
    assert host.poll() == "returned"
    assert host.device.returned == [100_000]


def test_note_not_enabled_is_rejected_with_inhibit(host: Host, clock: ManualClock) -> None:
    host.send(Command.ENABLE_BILL_TYPES, encode_masks(1 << T1000, 1 << T1000))
    host.device.insert(500_000)
    clock.advance(0.5)
    assert host.poll_status() == (0x1C, 0x68)
    clock.advance(0.5)
    assert host.poll() == "idling"
    assert host.device.rejected == [500_000]
    assert host.device.cassette == []


def test_fake_note_is_rejected_for_identification(host: Host, clock: ManualClock) -> None:
    host.device.insert_fake()
    clock.advance(0.5)
    assert host.poll_status() == (0x1C, 0x65)


def test_stack_outside_escrow_is_an_illegal_command(host: Host) -> None:
    assert host.send(Command.STACK) == IllegalCommandReply(Command.STACK)
    assert host.send(Command.REQUEST_STATISTICS) == IllegalCommandReply(Command.REQUEST_STATISTICS)


def test_power_cycle_while_stacking_puts_the_note_in_the_cassette(
    host: Host, clock: ManualClock
) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    host.device.power_cycle()
    assert host.poll() == "power_up_bill_in_stacker"
    assert host.device.cassette == [100_000]


def test_power_cycle_in_escrow_returns_the_note_on_reset(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.device.power_cycle()
    assert host.poll() == "power_up_bill_in_validator"
    assert host.device.returned == []
    host.send(Command.RESET)
    assert host.device.returned == [100_000]
    assert host.device.cassette == []


def test_host_reset_while_stacking_reports_the_bill_in_stacker(
    host: Host, clock: ManualClock
) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    assert host.send(Command.RESET) == AckReply()
    assert host.poll() == "power_up_bill_in_stacker"
    assert host.device.cassette == [100_000]


def test_faults_pause_the_note_and_report_their_state(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    host.device.cassette_out()
    clock.advance(5)
    assert host.poll() == "cassette_removed"
    assert host.device.cassette == []
    host.device.cassette_in()
    clock.advance(0.5)
    assert host.poll() == "stacked"
    assert host.device.cassette == [100_000]


def test_jammed_note_is_pulled_out_by_the_technician(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.device.jam()
    assert host.poll() == "jammed"
    host.device.clear()
    assert host.poll() == "idling"
    assert host.device.removed == [100_000]
    assert host.device.cassette == []


def test_failure_reports_its_code(host: Host) -> None:
    host.device.fail(0x5A)
    assert host.poll_status() == (0x47, 0x5A)


def test_cheat_pulls_the_note_back(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    host.device.cheat()
    assert host.poll() == "cheated"
    host.device.clear()
    clock.advance(1)
    assert host.poll() == "idling"
    assert host.device.cassette == []
    assert host.device.rejected == [100_000]


def test_cassette_fills_up_at_its_capacity(clock: ManualClock) -> None:
    device = CcnetDevice(clock=clock, capacity=1, timings=Timings(0, 0, 0, 0, 0, 10))
    host = Host(device)
    host.send(Command.RESET)
    host.send(Command.ENABLE_BILL_TYPES, encode_masks(ALL, ALL))
    host.poll()
    device.insert(100_000)
    host.poll()
    host.send(Command.STACK)
    assert host.poll() == "stacked"
    host.ack()
    assert host.poll() == "cassette_full"


def test_noise_corrupts_the_next_frame_and_nak_repeats_it(host: Host) -> None:
    host.device.noise(1)
    assert host.send(Command.POLL) == CorruptReply()
    host.host.receive_data(host.device.receive_data(host.host.nak()))
    reply = host.host.next_event()
    assert isinstance(reply, StatusReply) and reply.status.name == "idling"


def test_device_naks_a_frame_with_a_bad_crc(device: CcnetDevice) -> None:
    damaged = bytearray(CcnetHost().poll())
    damaged[-1] ^= 0xFF
    host = CcnetHost()
    host.poll()
    host.receive_data(device.receive_data(bytes(damaged)))
    assert host.next_event() == NakReply()


def test_dropped_ack_leaves_the_stacked_report_repeating(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    host.send(Command.STACK)
    clock.advance(0.5)
    host.poll()
    host.device.drop(1)
    host.ack()
    assert host.poll() == "stacked"


def test_muted_device_answers_nothing_until_the_time_is_up(host: Host, clock: ManualClock) -> None:
    host.device.mute(2)
    assert host.send(Command.POLL) is None
    clock.advance(2)
    assert host.poll() == "idling"


def test_insert_is_refused_while_busy_or_disabled(host: Host, clock: ManualClock) -> None:
    to_escrow(host, clock)
    with pytest.raises(SimulatorRefused, match="busy"):
        host.device.insert(100_000)
    host.send(Command.RETURN)
    clock.advance(1)
    host.poll()
    host.ack()
    host.send(Command.ENABLE_BILL_TYPES, encode_masks(0, 0))
    with pytest.raises(SimulatorRefused, match="disabled"):
        host.device.insert(100_000)


def test_control_lines(host: Host, clock: ManualClock) -> None:
    device = host.device
    assert device.control("state") == "ok idling"
    assert device.control("insert 1000") == "ok"
    clock.advance(0.5)
    host.send(Command.STACK)
    clock.advance(0.5)
    assert device.control("state") == "ok stacked"
    assert device.control("cassette") == 'ok {"notes": [100000], "returned": []}'
    truth = json.loads(device.control("ground-truth")[3:])
    assert truth == {"notes": [100_000], "returned": [], "rejected": [], "removed": []}


@pytest.mark.parametrize(
    "line",
    [
        "",
        "fly",
        "insert",
        "insert abc",
        "insert -5",
        "insert 1000.5",
        "noise x",
        "mute -1",
        "mute forever",
        "jam nowhere",
        "clear now",
        "fail 0x1FF",
        "cassette-in",
    ],
)
def test_bad_control_lines_answer_an_error_and_never_raise(device: CcnetDevice, line: str) -> None:
    assert device.control(line).startswith("error: ")


def test_every_documented_control_command_answers_ok(device: CcnetDevice) -> None:
    device.mechanics.timings = Timings(0, 0, 0, 0, 0, 10)
    device.receive_data(CcnetHost().reset())
    device.receive_data(CcnetHost().enable_bill_types(ALL, ALL))
    script = [
        "insert-fake",
        "jam",
        "clear",
        "cassette-out",
        "cassette-in",
        "cassette-full",
        "cassette-out",
        "cassette-in",
        "cheat",
        "clear",
        "fail 0x55",
        "clear",
        "power-cycle",
        "left-enabled",
        "noise 2",
        "drop 1",
        "mute 0.5",
        "state",
        "cassette",
        "ground-truth",
        "help",
    ]
    assert [device.control(line).split(" ")[0] for line in script] == ["ok"] * len(script)


# The state rule. The CCNET manual, as quoted in sadeqAlbana/newCashCodeCLI utils.h: a command
# the present state cannot execute is answered ILLEGAL COMMAND; IDENTIFICATION, GET BILL TABLE
# (and DOWNLOAD, REQUEST STATISTICS) only in power up, initialize, a failure state (0x41-0x47)
# or unit disabled. kiriculum/cashcode_ccnet ccnet/ccnet.py checks for INITIALIZE, DISABLED or
# a failure before sending either, and for ESCROW or HOLDING before STACK and RETURN.
QUIET_ONLY = [Command.IDENTIFICATION, Command.GET_BILL_TABLE]


@pytest.mark.parametrize("command", QUIET_ONLY)
def test_identity_and_table_are_illegal_while_idling_or_moving_a_note(
    host: Host, clock: ManualClock, command: Command
) -> None:
    assert host.poll() == "idling"
    assert host.send(command) == IllegalCommandReply(command)
    host.device.insert(100_000)
    assert host.poll() == "accepting"
    assert host.send(command) == IllegalCommandReply(command)
    clock.advance(0.5)
    assert host.poll() == "escrow"
    assert host.send(command) == IllegalCommandReply(command)
    assert host.send(Command.STACK) == AckReply()
    assert host.poll() == "stacking"
    assert host.send(command) == IllegalCommandReply(command)
    clock.advance(0.5)
    assert host.poll() == "stacked"
    assert host.send(command) == IllegalCommandReply(command)


def test_identity_and_table_are_answered_in_power_up_initialize_disabled_and_failure(
    device: CcnetDevice, clock: ManualClock
) -> None:
    bare = Host(device)
    answers = {Command.IDENTIFICATION: IdentificationReply, Command.GET_BILL_TABLE: BillTableReply}

    def both_answered() -> bool:
        return all(isinstance(bare.send(c), kind) for c, kind in answers.items())

    assert bare.poll() == "power_up" and both_answered()
    bare.send(Command.RESET)
    assert bare.poll() == "initialize" and both_answered()
    clock.advance(1)
    assert bare.poll() == "disabled" and both_answered()
    device.fail(0x50)
    assert bare.poll() == "failure" and both_answered()
    device.clear()
    device.cassette_out()
    assert bare.poll() == "cassette_removed" and both_answered()


def test_stack_and_return_without_a_note_in_escrow_are_illegal(host: Host) -> None:
    assert host.send(Command.STACK) == IllegalCommandReply(Command.STACK)
    assert host.send(Command.RETURN) == IllegalCommandReply(Command.RETURN)
    assert host.send(Command.HOLD) == IllegalCommandReply(Command.HOLD)


def test_left_enabled_unit_idles_accepting_every_note_with_escrow(
    device: CcnetDevice, clock: ManualClock
) -> None:
    assert device.control("left-enabled") == "ok"
    bare = Host(device)
    assert bare.poll() == "idling"
    assert device.enabled_amounts == set(KZT_TIYN)
    assert device.escrow_mask == device.enable_mask
    device.insert(100_000)
    clock.advance(0.5)
    assert bare.poll_status() == (0x80, T1000)
    assert device.control("left-enabled").startswith("error: ")  # a note is in the path


def test_the_device_counts_data_replies_the_host_did_not_acknowledge(host: Host) -> None:
    host.ack()  # the fixture's last POLL reply
    host.device.unacknowledged.clear()
    host.send(Command.IDENTIFICATION)  # illegal while idling: still a reply to acknowledge
    host.ack()
    assert host.poll() == "idling"
    host.send(Command.RESET)  # answered by ACK: nothing to acknowledge
    assert host.poll() == "initialize"
    host.send(Command.POLL)
    assert host.device.unacknowledged == {Command.POLL: 2}
