"""The SSP driver's own faults against its simulator: a jam in escrow, safe jam, stacker full
and failure codes, a credit owed when the line drops, eSSP and a credit spliced into it.
What every protocol shares is in test_acceptor_faults.py."""

from __future__ import annotations

import pytest

from drivers.bill.base import (
    CassetteFull,
    Cleared,
    Decision,
    DuplicateStacked,
    Escrow,
    Failure,
    Jammed,
    Reconnected,
    Rejected,
    Returned,
    Stacked,
)
from drivers.bill.ssp.codes import ENCRYPTED
from drivers.bill.ssp.essp import PacketCipher, is_prime, random_prime
from drivers.sim.bill.ssp import SspDevice
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, SspFactory, faults, run, run_until
from tests.helpers.ssp import FORGED_CREDIT, Splice

KEY = 0x0123456789ABCDEF


def test_note_pulled_out_of_a_jam_in_escrow_is_not_the_next_rejected_note_coming_back(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp()
    acceptor.device.insert(100_000)
    run_until(acceptor, clock, lambda: bool(recorder.of(Escrow)), limit=2)
    acceptor.device.jam()  # in escrow: the technician will pull the note out
    run(acceptor, clock, 1)
    acceptor.device.clear()
    run(acceptor, clock, 1)
    acceptor.device.insert_fake()
    run(acceptor, clock, 2)
    assert acceptor.device.removed == [100_000] and acceptor.device.rejected == [0]
    assert recorder.of(Returned) == []  # that note is with the technician, not the customer
    assert recorder.of(Rejected) == [Rejected(0x0E, "note recognition")]


def test_safe_jam_stacker_full_and_failure_are_reported_once_each(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp(capacity=1)
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert acceptor.state == "cassette_full"
    acceptor.device.cassette_in()
    run(acceptor, clock, 1)
    acceptor.device.jam("cassette")
    run(acceptor, clock, 1)
    acceptor.device.clear()
    run(acceptor, clock, 1)
    acceptor.device.fail(0x33)
    run(acceptor, clock, 1)
    assert acceptor.state == "failure"
    acceptor.device.clear()
    run(acceptor, clock, 1)
    assert faults(recorder) == [
        CassetteFull(),
        Cleared(),
        Jammed("cassette"),
        Cleared(),
        Failure(0x33, "device failure 0x33"),
        Cleared(),
    ]
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]


def test_credit_owed_when_the_line_drops_is_collected_after_reconnecting(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp()

    def drop_line(event: object) -> None:
        if isinstance(event, Stacked) and recorder.fail_stacked:
            acceptor.device.mute(0.5)  # the commit fails and the line goes quiet

    recorder.on_event = drop_line
    recorder.fail_stacked = 1
    acceptor.device.insert(200_000)
    run(acceptor, clock, 4)
    assert recorder.of(Stacked) == [Stacked(200_000, 3)] * 2  # failed once, then committed
    assert recorder.of(Reconnected) == [Reconnected()]
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [200_000]


def test_essp_session_encrypts_every_command_after_the_key_exchange(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp(fixed_key=KEY)
    sent: list[bytes] = []
    original = acceptor.link.write

    def spy(data: bytes) -> None:
        sent.append(data)
        original(data)

    acceptor.link.write = spy  # type: ignore[method-assign]
    acceptor.device.insert(2_000_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(2_000_000, 6)]
    assert sent and all(packet[3] == ENCRYPTED for packet in sent)


def test_a_validator_requiring_essp_refuses_a_plain_host(clock: ManualClock) -> None:
    from drivers.bill import open as open_acceptor
    from drivers.bill.base import AcceptorError

    device = SspDevice(clock=clock, seed=2, require_encryption=True, fixed_key=KEY)
    acceptor = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    acceptor.set_listener(Recorder())
    with pytest.raises(AcceptorError, match="requires eSSP"):
        acceptor.start(threaded=False)


def test_a_wrong_fixed_key_never_reaches_the_device(clock: ManualClock) -> None:
    from drivers.bill import open as open_acceptor
    from drivers.bill.base import AcceptorError

    device = SspDevice(clock=clock, seed=2, require_encryption=True, fixed_key=KEY)
    acceptor = open_acceptor("sim", simulated="ssp", clock=clock, device=device, fixed_key=KEY ^ 1)
    acceptor.set_listener(Recorder())
    with pytest.raises(AcceptorError, match="fixed key"):
        acceptor.start(threaded=False)


def test_packet_cipher_discards_a_wrong_count_or_a_damaged_block() -> None:
    cipher = PacketCipher(KEY, 0x1234)
    sealed = cipher.wrap(b"\x07", 5)
    assert (len(sealed) - 1) % 16 == 0
    assert cipher.unwrap(sealed) == (5, b"\x07")
    damaged = bytearray(sealed)
    damaged[3] ^= 0x10
    assert cipher.unwrap(bytes(damaged)) is None
    assert PacketCipher(KEY, 0x1235).unwrap(sealed) is None


def test_key_exchange_primes_are_prime() -> None:
    assert is_prime(2**61 - 1) and not is_prime(2**61 + 1)
    assert is_prime(random_prime(63))


def test_control_channel_speaks_the_same_commands() -> None:
    device = SspDevice(seed=1)
    assert device.control("insert 1000").startswith("error:")
    assert device.control("cassette-out") == "ok"
    assert device.control("cassette-in") == "ok"
    assert device.control("ground-truth").startswith("ok {")


def test_kzt_table_is_the_default() -> None:
    assert SspDevice(seed=1).bill_amounts[:7] == KZT


def test_a_note_after_a_fraud_in_escrow_is_read_asked_and_credited(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp()
    acceptor.device.insert(1_000_000)
    run(acceptor, clock, 0.4)  # "read" with its channel: the note waits in escrow
    acceptor.device.cheat()
    clock.advance(0.05)
    acceptor.device.clear()  # before the driver polls again
    run(acceptor, clock, 0.5)
    acceptor.device.insert(2_000_000)
    run(acceptor, clock, 2)
    assert recorder.of(Escrow)[-1] == Escrow(2_000_000, 6)
    assert recorder.of(Stacked) == [Stacked(2_000_000, 6)]
    assert recorder.of(DuplicateStacked) == []


def test_cashbox_pulled_with_a_note_in_escrow_asks_again_and_returns_it(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 0.4)  # read with its channel; the core said STACK
    acceptor.device.cassette_out()
    run(acceptor, clock, 1)
    recorder.decision = Decision.RETURN  # meanwhile the session ended
    acceptor.device.cassette_in()
    run(acceptor, clock, 2)
    assert recorder.of(Escrow) == [Escrow(100_000, 2), Escrow(100_000, 2)]
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.returned == [100_000] and acceptor.device.cassette == []


def test_same_denomination_after_a_returned_note_is_asked_again(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = Decision.RETURN
    acceptor = make_ssp()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    recorder.decision = Decision.STACK
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Escrow) == [Escrow(100_000, 2)] * 2
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert recorder.of(DuplicateStacked) == []


def test_stacker_full_while_stacking_still_credits_the_note_once(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    from drivers.sim.bill.ssp import Timings

    acceptor = make_ssp(timings=Timings(stacking=1.0, accepting=0.3, initialize=0.3))
    acceptor.device.insert(200_000)
    run(acceptor, clock, 0.6)
    assert acceptor.state == "stacking"
    acceptor.device.cassette_full()
    run(acceptor, clock, 1)
    acceptor.device.cassette_in()
    run(acceptor, clock, 2)
    assert faults(recorder) == [CassetteFull(), Cleared()]
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == [] and len(recorder.of(Escrow)) == 1


def test_a_plain_credit_spliced_into_an_essp_session_credits_nothing(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    # Issue 14 / ITL SDK: ITL's host reads a reply without 0x7E as plain data (SSPComs.c), so a
    # box in the cable could report a 10,000 KZT note (channel 6) that was never inserted. Ours refuses it.
    acceptor = make_ssp(fixed_key=KEY)
    run(acceptor, clock, 1)  # start-up done: the next command is a poll
    assert acceptor.link_alerts == {"plain_replies_refused": 0}
    splice = Splice(acceptor, FORGED_CREDIT)
    splice.armed = True
    run(acceptor, clock, 1)
    assert splice.sent == 1
    assert recorder.of(Stacked) == [] and recorder.of(Escrow) == []
    assert acceptor.driver.plain_replies_refused == 1
    assert acceptor.link_alerts == {"plain_replies_refused": 1}
    assert acceptor.device.cassette == []
    # The key was exchanged again and the true validator still works.
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert acceptor.device.cassette == [100_000]


def test_a_plain_validator_reports_no_link_alerts(make_ssp: SspFactory) -> None:
    assert make_ssp().link_alerts == {}
