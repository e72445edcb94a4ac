"""The core on its own thread with the acceptor polling on another: the real kiosk's threads."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import drivers.bill
from drivers.transport import SystemClock as DeviceClock
from kiosk.app import build_core
from kiosk.catalog_file import load_catalog
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.runtime import CoreThread
from kiosk.session import State
from kiosk.sim.invariants import check
from kiosk.store.db import Store
from tests.waiting import Snapshots, wait_for

WAIT_S = 15.0


def test_a_note_stacked_on_the_driver_thread_is_committed_on_the_core_thread(
    config: Config, clock: ManualClock
) -> None:
    # The device polls in real time; the core's timers follow the manual clock.
    acceptor = drivers.bill.open("sim", clock=DeviceClock(), poll_interval=0.02, seed=1)
    store = Store(config.storage.url)
    core = build_core(
        config, store, load_catalog(), acceptor=acceptor, clock=clock, rng=random.Random(1)
    )
    runner = CoreThread(core, tick_s=0.05).start()
    acceptor.start(threaded=True)
    try:
        runner.call(core.choose_service, "kaspi")
        assert runner.call(core.enter_account, "+77011234567").ok
        runner.call(core.confirm_account)
        runner.call(core.start_cash)
        snapshots = Snapshots(core, partial(runner.call, core.snapshot))
        wait_for(
            lambda: 500000 in acceptor.device.enabled_amounts,
            WAIT_S,
            "the acceptor to enable 5 000 ₸ notes",
        )
        acceptor.device.insert(500000)
        snapshots.wait(
            lambda s: len(s.notes) == 1 and not s.note_in_progress,
            WAIT_S,
            "the note to be committed",
        )
        paid = runner.call(core.pay)
        assert paid.breakdown.inserted.tiyn == 500000
        assert all(check(store, acceptor.device.cassette, expect_closed=False).values())

        runner.call(core.choose_service, "kaspi")
        clock.advance(config.kiosk.idle_timeout_s + 30)  # the runner's ticks end the session
        snapshots.wait(lambda s: s.state is State.IDLE, WAIT_S, "the session to end")
    finally:
        acceptor.stop()
        runner.stop()
        store.close()


def test_an_exception_in_an_intent_reaches_the_caller(make_core: Callable[..., KioskCore]) -> None:
    from kiosk.session import TransitionError

    runner = CoreThread(make_core(), tick_s=0.05).start()
    try:
        try:
            runner.call(runner.core.pay)
            raised = False
        except TransitionError:
            raised = True
        assert raised
    finally:
        runner.stop()
