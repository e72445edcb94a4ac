"""A fault campaign with real process deaths: the kiosk runs as a child process and is
SIGKILLed, then started again, while the devices and the ledger live on.

The parent holds what survives a kiosk crash in the field: the bill acceptor (the
byte-level simulator on a loopback socket, its cassette the ground truth) and the ledger
(a real HTTP server on loopback with its own SQLite file). Each child (kiosk/sim/killchild.py)
opens the kiosk on the same database, recovers, checks the books, and serves customers
until it dies: either at a wall-clock instant, or at a step boundary of the money path, where
it kills itself. ``--sigkill N`` means N deaths: the plan (each kill's kind, instant or point,
and the customer it waits for) is drawn from the seed before the first process starts, so a
failing run replays; when the customers run out with kills still planned, the day goes on
with more customers. The campaign ends with a clean run, then checks the money: the device's
cassette against the cash journal, every payment once at the ledger, the books balanced, the
encashment equal to the journal. The report is ``ok`` only when every planned kill happened
and every invariant held, after each restart and at the end.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any

from drivers.sim import start_simulator
from drivers.sim.bill.mechanics import Timings
from drivers.transport import SystemClock as DeviceClock
from kiosk.crashpoints import CrashPoint
from kiosk.domain.clock import ManualClock
from kiosk.sim.campaign import CRASH_POINTS, DEVICE_FAULTS, PRINTER_FAULTS, FaultKind
from kiosk.sim.killchild import read_progress
from kiosk.sim.ledger_link import open_link
from kiosk.sim.simulate import (
    close_day,
    essp_key_file,
    make_device,
    simulation_config,
    wire_protocol,
)
from kiosk.store.db import Store
from kiosk.store.records import Records
from sync.outbox import OutboxWorker

# The device on real time, quick enough for a day in minutes; escrow still times out.
CAMPAIGN_TIMINGS = Timings(0.02, 0.02, 0.02, 0.02, 0.02, 1.0)
CHILD_TIMEOUT_S = 300.0
KILL_DELAY_S = (0.3, 4.0)  # a random instant after the child said it is ready
BOUNDARY_WAIT = 5  # a boundary kill waits for up to this many customers before it arms
# Customers a child that is to be killed may serve past the end of the day (a few seconds'
# worth: longer than the longest instant), and how many times a kill that did not happen is
# tried again with a new child before the campaign gives up (and its report fails).
EXTRA_CUSTOMERS = 40
EXTRA_ROUNDS = 2


class CampaignError(Exception):
    """A kiosk process failed on its own (not killed): the campaign cannot go on."""


class DeviceAccess:
    """The device simulator's methods for the child's customers and faults (the device
    takes its own lock for each, so the serving thread and these calls do not race)."""

    def __init__(self, device: Any) -> None:
        self._device = device

    def cassette_notes(self) -> list[int]:
        return list(self._device.cassette)

    def returned_notes(self) -> list[int]:
        return list(self._device.returned)

    def rejected_notes(self) -> list[int]:
        return list(self._device.rejected)

    def removed_notes(self) -> list[int]:
        return list(self._device.removed)

    def state_name(self) -> str:
        return str(self._device.state)

    def fault_name(self) -> str:
        """The mechanical fault the device is in (``JAMMED``, ``CASSETTE_OUT`` …) or ''."""
        fault = self._device.fault
        return fault.name if fault is not None else ""

    def insert(self, amount: int) -> None:
        self._device.insert(amount)

    def insert_fake(self) -> None:
        self._device.insert_fake()

    def jam(self) -> None:
        self._device.jam()

    def clear(self) -> None:
        self._device.clear()

    def cheat(self) -> None:
        self._device.cheat()

    def power_cycle(self) -> None:
        self._device.power_cycle()

    def cassette_out(self) -> None:
        self._device.cassette_out()

    def cassette_in(self) -> None:
        self._device.cassette_in()

    def cassette_full(self) -> None:
        self._device.cassette_full()

    def noise(self, frames: int) -> None:
        self._device.noise(frames)

    def mute(self, seconds: float) -> None:
        self._device.mute(seconds)


class _Manager(BaseManager):
    pass


@dataclass(frozen=True, slots=True)
class Kill:
    kind: str  # "instant" (the parent's SIGKILL) or "boundary" (the child's, at a point)
    point: CrashPoint | None  # boundary: where the child kills itself
    delay_s: float | None  # instant: seconds after the child said it is ready
    wait: int = 0  # boundary: customers served before the point arms (0: the next one)


def plan_kills(kills: int, seed: int) -> list[Kill]:
    """The campaign's deaths, from the seed alone (nothing that happens during the run moves
    them): every other one at a random instant, the rest at money-path boundaries, the points
    dealt from a shuffled deck of every CrashPoint, so a long campaign kills at each of them."""
    rng = random.Random(f"{seed}:kills")
    plan: list[Kill] = []
    deck: list[CrashPoint] = []
    for index in range(kills):
        if index % 2 == 0:
            plan.append(Kill("instant", None, round(rng.uniform(*KILL_DELAY_S), 2)))
            continue
        if not deck:
            deck = list(CRASH_POINTS)
            rng.shuffle(deck)
        plan.append(Kill("boundary", deck.pop(), None, rng.randrange(BOUNDARY_WAIT)))
    return plan


def run_kill_campaign(
    customers: int,
    seed: int,
    state_dir: Path,
    *,
    kills: int,
    protocol: str = "ccnet",
    faults: frozenset[FaultKind] = frozenset(),
    say: Callable[[str], None] = lambda line: None,
    plan: list[Kill] | None = None,
    extra_rounds: int = EXTRA_ROUNDS,
) -> dict[str, Any]:
    """Run the day in child processes, killing exactly ``kills`` of them; return the report.
    ``protocol``: ccnet, id003, ssp, or essp (SSP requiring eSSP; each child reads the key
    from a key file in ``state_dir``, as a configured kiosk does). ``plan``: the kills (the
    seed's by default); ``extra_rounds``: how many times a kill that did not happen (its child
    served all its customers) is tried again with a new child before the campaign stops (its
    report then fails: kills_done < kills_planned)."""
    from sync.ledger.server import LedgerThread
    from sync.ledger.service import Ledger

    started = time.perf_counter()
    rng = random.Random(seed)
    config = simulation_config(state_dir)
    device = make_device(
        protocol, clock=DeviceClock(), seed=rng.getrandbits(32), timings=CAMPAIGN_TIMINGS
    )
    key_file = essp_key_file(protocol, state_dir)
    served = start_simulator(wire_protocol(protocol), device=device, listen="tcp://127.0.0.1:0")
    ledger = Ledger.open(f"sqlite:///{state_dir / 'ledger.db'}")
    secret_file = state_dir / "terminal.secret"
    secret_file.write_text(ledger.add_terminal(config.terminal.id) + "\n")
    ledger_server = LedgerThread(ledger).start()
    ledger_url = f"http://127.0.0.1:{ledger_server.port}"
    authkey = secrets.token_bytes(16)
    access = DeviceAccess(device)
    _Manager.register("device", callable=lambda: access)
    rpc = _Manager(address=("127.0.0.1", 0), authkey=authkey).get_server()
    threading.Thread(target=rpc.serve_forever, name="device-rpc", daemon=True).start()
    host, port = rpc.address  # type: ignore[misc, str-unpack]
    plan = plan_kills(kills, seed) if plan is None else plan
    deaths: list[dict[str, Any]] = []
    restarts = Restarts()
    last = customers
    finished = False  # the last child ran to its last customer without dying
    misses = 0  # children in a row that ended with their planned kill not done
    kinds = ",".join(sorted(k.value for k in faults & (DEVICE_FAULTS | PRINTER_FAULTS)))
    try:
        while True:
            progress = read_progress(state_dir)
            kill = plan[len(deaths)] if len(deaths) < len(plan) else None
            # The day has its customers, and the one the last kill interrupted; a child that
            # is to be killed gets EXTRA_CUSTOMERS more, so that it is still serving when
            # its instant comes or its point is reached.
            last = max(customers, progress["next"] - 1)
            if kill is None and finished:
                break
            if kill is not None:
                if misses > extra_rounds:
                    say(f"{len(plan) - len(deaths)} planned kills did not happen")
                    break
                last += EXTRA_CUSTOMERS
            extra: list[str] = []
            if kill is not None and kill.kind == "boundary":
                target = min(progress["next"] + kill.wait, last)
                extra = ["--kill-point", str(kill.point), "--kill-customer", str(target)]
            if key_file is not None:
                extra += ["--essp-key-file", str(key_file)]
            command = [
                sys.executable,
                "-m",
                "kiosk.sim.killchild",
                "--state-dir",
                str(state_dir),
                "--protocol",
                wire_protocol(protocol),
                "--port",
                served.port,
                "--device-rpc",
                f"{host}:{port}",
                "--ledger",
                ledger_url,
                "--secret-file",
                str(secret_file),
                "--seed",
                str(seed),
                "--last",
                str(last),
                "--faults",
                kinds,
                *extra,
            ]
            outcome, story, ready = _run_child(command, kill, authkey)
            finished = outcome == "finished"
            misses = misses + 1 if finished and kill is not None else 0
            restarts.saw(ready.get("invariants", {}), len(deaths), say)
            for line in story.splitlines():
                if not line.startswith("{"):  # the customers' story, not log records
                    say(line)
            if outcome == "killed":
                assert kill is not None  # only a planned kill ends a child this way
                after = read_progress(state_dir)
                death = {"kind": kill.kind, "point": kill.point, "customer": after.get("current")}
                deaths.append(death)
                say(
                    f"kiosk process SIGKILLed ({death['kind']}"
                    + (f" at '{death['point']}'" if death["point"] else "")
                    + f") during customer {death['customer']}; restarting"
                )
        report = _close(state_dir, config.terminal.id, device, ledger_url, secret_file, ledger, say)
    finally:
        served.close()
        ledger_server.stop()
        ledger.close()
    outcomes = read_progress(state_dir).get("outcomes", {})
    report["invariants"]["held_after_every_restart"] = restarts.first_broken is None
    report.update(
        {
            "seed": seed,
            "protocol": protocol,
            "customers": customers,
            "customers_served": last,
            "kills_planned": len(plan),
            "kills_done": len(deaths),
            "plan": [dataclasses.asdict(k) for k in plan],
            "kills": deaths,
            "restarts_checked": restarts.checked,
            "first_broken_restart": restarts.first_broken,
            "outcomes": dict(sorted(outcomes.items())),
            "wall_seconds": round(time.perf_counter() - started, 2),
        }
    )
    report["ok"] = campaign_ok(report)
    return report


def campaign_ok(report: dict[str, Any]) -> bool:
    """Every planned kill happened, and every invariant held (after each restart too)."""
    return report["kills_done"] == report["kills_planned"] and all(report["invariants"].values())


@dataclass
class Restarts:
    """What the children found in the books as they started (after recovery, before the
    first customer): how many checked, and the first that found an invariant broken."""

    checked: int = 0
    first_broken: dict[str, Any] | None = None

    def saw(self, held: dict[str, bool], deaths: int, say: Callable[[str], None]) -> None:
        self.checked += 1
        broken = sorted(name for name, ok in held.items() if not ok)
        if not held:
            broken = ["not_checked"]  # a child that says nothing has not checked
        if broken and self.first_broken is None:
            self.first_broken = {"after_kills": deaths, "broken": broken}
            say(f"INVARIANT BROKEN after restart {deaths}: {', '.join(broken)}")


def kill_summary(report: dict[str, Any]) -> str:
    """The campaign's report in plain words."""
    failed = [name for name, held in report["invariants"].items() if not held]
    deaths = report["kills"]
    points = sorted({d["point"] for d in deaths if d["point"]})
    instants = sum(d["kind"] == "instant" for d in deaths)
    served = report["customers_served"]
    verdict = (
        "all invariants hold"
        if not failed
        else (f"INVARIANTS BROKEN (seed {report['seed']}): " + ", ".join(failed))
    )
    if report["kills_done"] != report["kills_planned"]:
        verdict = (
            f"KILLS MISSING (seed {report['seed']}): {report['kills_done']} of "
            f"{report['kills_planned']} planned; " + verdict
        )
    return "\n".join(
        [
            f"{report['customers']} customers"
            + (
                f" (the day grew to {served} to fit the kills)"
                if served != report["customers"]
                else ""
            )
            + f" on {report['protocol']} (seed {report['seed']}): "
            f"{report['payments']} payments, {report['recovered_payments']} completed by recovery",
            f"the kiosk process was SIGKILLed {len(deaths)} of {report['kills_planned']} planned "
            f"times ({instants} at random instants, {len(deaths) - instants} at money-path points"
            + (f": {', '.join(points)}" if points else "")
            + "); "
            f"the books checked at {report['restarts_checked']} starts",
            "outcomes: " + ", ".join(f"{k} {v}" for k, v in report["outcomes"].items()),
            verdict,
            f"{report['wall_seconds']} s",
        ]
    )


def _run_child(
    command: list[str], kill: Kill | None, authkey: bytes
) -> tuple[str, str, dict[str, Any]]:
    """Run one kiosk process; (``killed`` or ``finished``, what it told on stderr, its ready
    line). Raises CampaignError when it failed on its own, or died unplanned."""
    env = {**os.environ, "KIOSK_CAMPAIGN_KEY": authkey.hex()}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    ready: dict[str, Any] = json.loads(line) if line.startswith("{") else {}
    if kill is not None and kill.kind == "instant" and ready:
        assert kill.delay_s is not None
        try:
            process.wait(timeout=kill.delay_s)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    try:
        _, errors = process.communicate(timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        raise CampaignError(
            f"a kiosk process hung for {CHILD_TIMEOUT_S:.0f} s; killed it"
        ) from None
    if process.returncode == -signal.SIGKILL and kill is not None:
        return "killed", errors, ready
    if process.returncode != 0:
        tail = "\n".join(errors.strip().splitlines()[-15:])
        raise CampaignError(f"a kiosk process failed (exit {process.returncode}):\n{tail}")
    return "finished", errors, ready


def _close(
    state_dir: Path,
    terminal_id: str,
    device: Any,
    ledger_url: str,
    secret_file: Path,
    ledger: Any,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """After the last process: the same end-of-day checks as ``kiosk simulate``."""
    config = simulation_config(state_dir)
    store = Store(config.storage.url)
    clock = ManualClock()
    clock.advance(read_progress(state_dir)["clock"] or 0.0)
    link = open_link(
        ledger_url, state_dir=state_dir, terminal_id=terminal_id, secret_file=secret_file
    )
    link.embedded = (ledger, None)  # the books are read directly, the server stays up
    # No kiosk runs any more: only its outbox is drained, as the last process left it.
    worker = OutboxWorker(store, link.client, clock, random.Random(0))
    worker.free_stale_leases()
    try:
        invariants, sums, view, encashment = close_day(
            Records(store), list(device.cassette), link, worker, clock, terminal_id, say
        )
    finally:
        link.embedded = None
        link.close()
        store.close()
    return {
        "invariants": invariants,
        "payments": sums.payments,
        "receipts": sums.receipts,
        "cash_stacked": sums.cash_stacked,
        "notes_stacked": sums.notes_stacked,
        "inserted": sums.inserted,
        "recovered_payments": sums.recovered_payments,
        "notes_for_cash_count": sums.unresolved_orders,
        "encashment": {"notes": encashment.notes, "total": encashment.total},
        "ledger": view,
    }
