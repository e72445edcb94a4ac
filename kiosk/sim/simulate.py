"""A headless kiosk day: scripted, seeded customers on a simulated bill acceptor.

The kiosk runs its real core, store and driver; the acceptor is the driver of the chosen
protocol (CCNET by default; ``essp`` is SSP with an encrypted session) talking bytes to the
in-process device simulator. A manual clock makes a day run in seconds, and the same seed
gives the same day.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from drivers.bill.ssp.keyfile import write_fixed_key
from drivers.sim import start_simulator
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.ssp import SspDevice
from kiosk.app import Kiosk, build_kiosk, open_devices
from kiosk.config import (
    Config,
    LimitsConfig,
    PrinterConfig,
    ValidatorConfig,
    demo_config,
    validator_config,
    with_status_url,
)
from kiosk.crashpoints import CrashPoint
from kiosk.domain.clock import KZ_TIME, Clock, ManualClock
from kiosk.domain.money import Money
from kiosk.printing import ConfiguredPrinter
from kiosk.sim.campaign import (
    CRASH_POINTS,
    NETWORK_FAULTS,
    PROXY_MODE,
    CrashTrigger,
    FaultKind,
    FaultSchedule,
    SimulatedCrash,
)
from kiosk.sim.day import Day
from kiosk.sim.invariants import Totals, check, totals
from kiosk.sim.ledger_link import EMBEDDED, LedgerLink, drain, open_link
from kiosk.store.models import Encashment
from kiosk.store.records import Records
from sync.outbox import OutboxWorker

if TYPE_CHECKING:
    from kiosk.sim.ui.day import UiDay


def simulation_config(state_dir: Path) -> Config:
    """The demo terminal, with offline caps sized for a simulated day without a ledger:
    every payment of the day waits in the outbox (forwarding comes with the ledger)."""
    config = demo_config(state_dir)
    limits: LimitsConfig = dataclasses.replace(
        config.limits, offline_max_total=10**12, offline_max_count=10**6, offline_max_age_s=10**7
    )
    return dataclasses.replace(config, limits=limits)


# The byte-level simulator of each protocol the driver speaks.
DEVICES: dict[str, Any] = {"ccnet": CcnetDevice, "id003": Id003Device, "ssp": SspDevice}
# What a simulated day can run on: the protocols, and SSP with an eSSP session required.
SIMULATED_PROTOCOLS = (*DEVICES, "essp")
# The simulated unit's eSSP fixed key: any constant will do, it guards nothing real.
SIMULATION_ESSP_KEY = 0x5A3C_96E1_0F7B_2D48
ESSP_KEY_FILE = "essp.key"


def make_device(protocol: str, **options: Any) -> Any:
    """The device simulator for ``protocol`` (one of SIMULATED_PROTOCOLS); ``options`` go to
    its constructor (clock, seed, timings)."""
    if protocol == "essp":
        return SspDevice(require_encryption=True, fixed_key=SIMULATION_ESSP_KEY, **options)
    if protocol not in DEVICES:
        raise ValueError(f"protocol is one of {', '.join(SIMULATED_PROTOCOLS)}, not {protocol!r}")
    return DEVICES[protocol](**options)


def wire_protocol(protocol: str) -> str:
    """The protocol the driver and the served simulator speak: eSSP is SSP on the wire."""
    return "ssp" if protocol == "essp" else protocol


def essp_key_file(protocol: str, state_dir: Path) -> Path | None:
    """For ``essp``: the simulated unit's key written to a file in ``state_dir`` (mode 0600),
    for a configuration to name; None for the other protocols."""
    if protocol != "essp":
        return None
    path = Path(state_dir) / ESSP_KEY_FILE
    write_fixed_key(path, SIMULATION_ESSP_KEY)
    return path


def served_validator(protocol: str, port: str, key_file: Path | None) -> ValidatorConfig:
    """The validator section of a kiosk whose driver speaks ``protocol`` (on the wire) to a
    served simulator on ``port``, read the way a configuration file is: ``key_file`` is
    configured as ``essp_key_file``. Raises ``ConfigError``."""
    table: dict[str, Any] = {
        "protocol": protocol,
        "port": port,
        "poll_interval_ms": 20,
        "response_timeout_ms": 500,
    }
    if key_file is not None:
        table["essp_key_file"] = str(key_file)
    return validator_config(table, source="<simulation>")


def _restart(dead: Kiosk, make_kiosk: Callable[[], Kiosk], say: Callable[[str], None]) -> Kiosk:
    """A new kiosk process on the same database and the same (still powered) device.
    Nothing of the dead one is used again; its uncommitted work is already rolled back."""
    dead.store.engine.dispose()
    dead.acceptor.close_port()  # the OS closes a dead process's port
    while True:
        kiosk = make_kiosk()
        try:
            report = kiosk.start(threaded=False)
        except SimulatedCrash as died:  # armed again during recovery: die once more
            say(f"the kiosk died again during recovery at '{died.point}'")
            kiosk.store.engine.dispose()
            continue
        say(
            f"recovery: {len(report.paid)} interrupted payments completed, "
            f"{len(report.closed)} closed, {len(report.abandoned)} abandoned sessions, "
            f"{len(report.unresolved_orders)} notes left for the cash count"
        )
        return kiosk


def run_simulation(
    customers: int,
    seed: int,
    state_dir: Path,
    say: Callable[[str], None] = lambda line: None,
    *,
    ledger: str | None = None,
    secret_file: Path | None = None,
    outage: tuple[int, int] | None = None,
    faults: frozenset[FaultKind] = frozenset(),
    crash_points: tuple[CrashPoint, ...] = CRASH_POINTS,
    transport: str = "memory",
    protocol: str = "ccnet",
    receipts_dir: Path | None = None,
    ui: bool = False,
) -> dict[str, Any]:
    """Run a day and return the report (money in tiyn). With ``ledger`` (``embedded`` or a
    URL), payments are forwarded as the day goes, the link is down for the customers in
    ``outage``, and the report checks the ledger against the kiosk. ``faults`` strike on a
    schedule drawn from the seed. ``protocol``: ccnet, id003, ssp, or essp (the SSP
    simulator requires an eSSP session; over a socket or pty the kiosk reads its key from a
    key file in ``state_dir``, as configured with ``essp_key_file``). ``transport``: how the
    driver reaches the device simulator — ``memory`` (in-process link), ``socket`` (TCP on
    loopback) or ``pty``.
    Receipts go to the in-process printer simulator (as .txt and .png to ``receipts_dir``
    when given); it outlives kiosk crashes like a real printer does. With ``ui``, the
    customers tap the Qt kiosk window (offscreen without a display) instead of calling the
    core, and the report checks that the window followed the core."""
    started = time.perf_counter()
    rng = random.Random(seed)
    clock = ManualClock()
    clock.advance(9 * 3600 - 5 * 3600)  # 09:00 local time on the first day of the year
    # Without a ledger every payment waits in the outbox all day: caps sized for that.
    config = simulation_config(state_dir) if ledger is None else demo_config(state_dir)
    crash = CrashTrigger()
    kiosk_rng = random.Random(rng.getrandbits(64))
    device = make_device(protocol, clock=clock, seed=rng.getrandbits(32))
    config, options, served = _reach_device(config, device, protocol, transport, state_dir)
    printer, paper = _receipt_printer(config, receipts_dir)
    link = None
    worker_rng = None
    if ledger is not None:
        link = open_link(
            ledger, state_dir=state_dir, terminal_id=config.terminal.id, secret_file=secret_file
        )
        worker_rng = random.Random(rng.getrandbits(64))  # drawn as before: same seeded days
        if link.embedded is not None and config.terminal.status_url is None:
            # The receipts' QR opens the embedded ledger's public status page.
            config = with_status_url(config, link.embedded[1].url)

    def make_kiosk() -> Kiosk:
        # Each (re)started kiosk process: its own driver and outbox worker on the same
        # database, the same (still powered) device and printer, the same ledger.
        devices = open_devices(config, printer=printer, clock=clock, **options)
        return build_kiosk(
            config, devices, link, clock=clock, rng=kiosk_rng, hooks=crash, worker_rng=worker_rng
        )

    kiosk = make_kiosk()
    kiosk.start(threaded=False)
    say(
        f"{datetime.fromtimestamp(clock.now(), UTC).astimezone(KZ_TIME):%d.%m.%Y %H:%M} "
        f"kiosk {config.terminal.id} opens at {config.terminal.address}"
        + (f", ledger {'embedded' if ledger == EMBEDDED else ledger}" if link else "")
    )
    day, ui_day = _open_day(ui, kiosk, device, clock, rng, say, link, paper, state_dir)
    schedule = FaultSchedule(faults, random.Random(rng.getrandbits(64)))
    first_violation: dict[str, Any] | None = None
    for number in range(1, customers + 1):
        _network_outage(link, outage, number, day, say)
        fault = schedule.for_customer(number)
        _strike_scheduled(fault, day, crash, rng, crash_points, link, say)
        if kiosk.worker is not None:
            kiosk.worker.step()
        kiosk = _serve(day, number, kiosk, make_kiosk, say)
        crash.armed_point = None
        _network_heals(link, outage, number, day)
        day.technician()
        if first_violation is None:  # find where it broke, not only that it did
            first_violation = _violation(kiosk, day, number, fault, crash, say)
        clock.advance(rng.expovariate(1 / 60))
    invariants, sums, ledger_view, encashment = close_day(
        kiosk.core.records,
        list(day.device.cassette),
        link,
        kiosk.worker,
        clock,
        config.terminal.id,
        say=lambda line: say(f"{day.wall()} {line}"),
    )
    unprinted = len(kiosk.core.records.unprinted_receipts())
    invariants["every_printed_page_is_a_known_receipt"] = _every_page_known(kiosk, paper, crash)
    if ui_day is not None:
        ui_day.close()
        invariants["ui_followed_the_core"] = ui_day.mismatch_count == 0
    kiosk.stop()  # closes the ledger connection too
    if served is not None:
        served.close()
    report: dict[str, Any] = {
        "seed": seed,
        "protocol": protocol,
        "transport": transport,
        "ui": ui,
        "customers": customers,
        "payments": sums.payments,
        "receipts": sums.receipts,
        "receipts_printed": len(paper.pages),
        "receipts_unprinted": unprinted,
        "notes_stacked": sums.notes_stacked,
        "cash_stacked": sums.cash_stacked,
        "inserted": sums.inserted,
        "commission": sums.commission,
        "credited": sums.credited,
        "outbox_pending": sums.outbox_pending,
        "outcomes": dict(sorted(day.stats.outcomes.items())),
        "notes_inserted": day.stats.notes_inserted,
        "notes_returned": day.stats.notes_returned,
        "notes_rejected": day.stats.notes_rejected,
        "notes_refused": day.stats.notes_refused,
        "typos_caught": day.stats.typos_caught,
        "encashment": {"notes": encashment.notes, "total": encashment.total},
        "faults": dict(sorted(schedule.counts.items())),
        "crashes": list(crash.crashes),
        "notes_for_cash_count": sums.unresolved_orders,
        "simulated_seconds": round(clock.monotonic(), 1),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "invariants": invariants,
        "first_violation": first_violation,
        "ok": all(invariants.values()) and first_violation is None,
    }
    if ledger_view is not None:
        report["ledger"] = ledger_view
    if ui_day is not None:
        report["ui_taps"], report["ui_frames"] = ui_day.taps, ui_day.frames
        report["ui_mismatches"] = [dataclasses.asdict(m) for m in ui_day.mismatches]
    return report


def _reach_device(
    config: Config, device: Any, protocol: str, transport: str, state_dir: Path
) -> tuple[Config, dict[str, Any], Any]:
    """How the driver reaches the device simulator: the configuration (its validator
    section, for a served simulator), the options for ``open_devices``, and the served
    simulator to close at the end (None for ``memory``)."""
    if transport == "memory":
        options: dict[str, Any] = {"device": device, "simulated": wire_protocol(protocol)}
        if protocol == "essp":
            options["fixed_key"] = SIMULATION_ESSP_KEY
        return config, options, None
    if transport not in ("socket", "pty"):
        raise ValueError(f"transport is memory, socket or pty, not {transport!r}")
    served = start_simulator(
        wire_protocol(protocol),
        device=device,
        pty=transport == "pty",
        listen="tcp://127.0.0.1:0" if transport == "socket" else None,
    )
    config = dataclasses.replace(
        config,
        validator=served_validator(
            wire_protocol(protocol), served.port, essp_key_file(protocol, state_dir)
        ),
    )
    return config, {}, served


def _receipt_printer(config: Config, receipts_dir: Path | None) -> tuple[ConfiguredPrinter, Any]:
    """The kiosk's printer on the in-process simulator, and the simulator itself (its
    pages and control commands), which outlives kiosk crashes."""
    if receipts_dir is not None:
        receipts_dir.mkdir(parents=True, exist_ok=True)
    printer = ConfiguredPrinter(config.printer or PrinterConfig(), sim_out=receipts_dir)
    assert printer.driver is not None  # the in-process simulator always opens
    return printer, printer.driver.device.simulator


def _open_day(
    ui: bool,
    kiosk: Kiosk,
    device: Any,
    clock: ManualClock,
    rng: random.Random,
    say: Callable[[str], None],
    link: LedgerLink | None,
    paper: Any,
    state_dir: Path,
) -> tuple[Day, UiDay | None]:
    """The customers' day: straight to the core, or (``ui``) through the kiosk window."""
    if not ui:
        return Day(kiosk, device, clock, rng, say, link, paper=paper), None
    from kiosk.sim.ui.day import UiDay  # Qt is loaded only for a day through the window

    ui_day = UiDay(
        kiosk, device, clock, rng, say, link, paper=paper, pin_file=state_dir / "service-pin.json"
    )
    return ui_day, ui_day


def _network_outage(
    link: LedgerLink | None,
    outage: tuple[int, int] | None,
    number: int,
    day: Day,
    say: Callable[[str], None],
) -> None:
    """The network to the ledger goes down at the outage's first customer and comes back
    after its last."""
    if link is not None and outage is not None and number in (outage[0], outage[1] + 1):
        down = number == outage[0]
        link.set_outage(down)
        say(f"{day.wall()} the network to the ledger goes " + ("down" if down else "back up"))


def _strike_scheduled(
    fault: FaultKind | None,
    day: Day,
    crash: CrashTrigger,
    rng: random.Random,
    crash_points: tuple[CrashPoint, ...],
    link: LedgerLink | None,
    say: Callable[[str], None],
) -> None:
    """Set up this customer's scheduled fault: arm a crash at a seeded point, disturb the
    network to the ledger, or hand a device fault to the day (it strikes mid-customer)."""
    if fault is FaultKind.CRASH:
        crash.arm(rng.choice(crash_points))
    elif fault in NETWORK_FAULTS and link is not None:
        day.flapping = fault is FaultKind.NETWORK_FLAPPING
        if fault in PROXY_MODE:
            link.proxy.set(PROXY_MODE[fault], delay=7.0)
        say(f"{day.wall()} network fault: {fault.value}")
    elif fault is not None:
        day.fault = fault


def _serve(
    day: Day, number: int, kiosk: Kiosk, make_kiosk: Callable[[], Kiosk], say: Callable[[str], None]
) -> Kiosk:
    """One customer; when the kiosk process dies on the way, the kiosk that restarts."""
    try:
        day.customer(number)
    except SimulatedCrash as died:
        say(
            f"{day.wall()} the kiosk process died at '{died.point}' (customer {number}); "
            "it restarts"
        )
        kiosk = _restart(kiosk, make_kiosk, say)
        day.use(kiosk)
    return kiosk


def _network_heals(
    link: LedgerLink | None, outage: tuple[int, int] | None, number: int, day: Day
) -> None:
    """After the customer, a network fault ends (not an outage still under way)."""
    if link is not None and (outage is None or not outage[0] <= number <= outage[1]):
        day.flapping = False
        link.proxy.set("pass")


def _violation(
    kiosk: Kiosk,
    day: Day,
    number: int,
    fault: FaultKind | None,
    crash: CrashTrigger,
    say: Callable[[str], None],
) -> dict[str, Any] | None:
    """The invariants broken after this customer, with what led to it; None when all hold."""
    broken = [
        name for name, held in check(kiosk.store, list(day.device.cassette)).items() if not held
    ]
    if not broken:
        return None
    violation = {
        "customer": number,
        "fault": fault.value if fault else None,
        "crashes_so_far": list(crash.crashes),
        "broken": broken,
    }
    say(
        f"{day.wall()} INVARIANT BROKEN after customer {number} "
        f"(fault: {violation['fault']}): {', '.join(broken)}"
    )
    return violation


def _every_page_known(kiosk: Kiosk, paper: Any, crash: CrashTrigger) -> bool:
    """Every page the printer put out is a receipt the kiosk knows it printed: none came out
    late, from a job kept while the paper or the cover was out, for the next customer. The
    one exception is a crash at receipt_printed: the page is out, its recording died with
    the process, and recovery prints it again marked as a duplicate."""
    with kiosk.store.reading() as session:
        printed_copies = int(
            session.execute(text("SELECT coalesce(sum(print_count), 0) FROM receipts")).scalar()
            or 0
        )
    cut_off = crash.crashes.count(CrashPoint.RECEIPT_PRINTED)
    return len(paper.pages) == printed_copies + cut_off


def close_day(
    records: Records,
    cassette: list[int],
    link: LedgerLink | None,
    worker: OutboxWorker | None,
    clock: Clock,
    terminal_id: str,
    say: Callable[[str], None],
) -> tuple[dict[str, bool], Totals, dict[str, Any] | None, Encashment]:
    """The end of the day: forward what waits, compare the kiosk with the device's cassette
    and the ledger, and collect the cassette (its count must equal the cash journal)."""
    store = records.store
    invariants = check(store, cassette)
    ledger_view: dict[str, Any] | None = None
    if link is not None and worker is not None:
        link.set_outage(False)
        invariants["outbox_delivered_once_link_is_back"] = drain(worker)
        sums = totals(store)
        ledger_view = link.ledger_view(records.payment_ids())
        invariants["ledger_has_every_payment_once"] = (
            ledger_view["payments"] == sums.payments == ledger_view["found"]
            and not ledger_view["missing_local_seq"]
        )
        invariants["ledger_inserted_equals_kiosk_inserted"] = (
            ledger_view["inserted"] == sums.inserted
        )
        if "audit" in ledger_view:
            invariants["ledger_books_balanced"] = ledger_view["audit"]["balanced"]
            invariants["ledger_cash_equals_kiosk_cash"] = (
                ledger_view["audit"]["cash_in"] == sums.cash_stacked
            )
        say(
            "the outbox is "
            + (
                "empty: every payment reached the ledger"
                if invariants["outbox_delivered_once_link_is_back"]
                else "NOT empty"
            )
        )
    sums = totals(store)
    encashment = records.encash(int(clock.now() * 1000), "CAS-0001", "tech-01", terminal_id)
    collected_notes, collected, uncollected = records.encashment_totals()
    invariants["encashments_equal_cash_journal"] = (
        collected == sums.cash_stacked
        and collected_notes == sums.notes_stacked
        and uncollected == 0
    )
    say(
        f"technician tech-01 collected cassette CAS-0001: {encashment.notes} notes, "
        f"{Money(encashment.total).format('en')}"
    )
    return invariants, sums, ledger_view, encashment


def summary(report: dict[str, Any]) -> str:
    """The report in plain words."""

    def tenge(tiyn: int) -> str:
        return Money(tiyn).format("en")

    failed = [name for name, held in report["invariants"].items() if not held]
    lines = [
        f"{report['customers']} customers, {report['payments']} payments, "
        f"{report['receipts']} receipts, {report['receipts_printed']} printed, "
        f"{report['receipts_unprinted']} stored unprinted (seed {report['seed']})",
        f"cash stacked {tenge(report['cash_stacked'])} in {report['notes_stacked']} notes; "
        f"inserted {tenge(report['inserted'])} = commission {tenge(report['commission'])} "
        f"+ credited {tenge(report['credited'])}",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in report["outcomes"].items()),
        f"{report['outbox_pending']} records (payments, encashments) wait in the outbox "
        "for the ledger"
        if "ledger" not in report
        else f"ledger: {report['ledger']['payments']} payments, "
        f"{tenge(report['ledger']['inserted'])} inserted",
        "all invariants hold"
        if report["ok"]
        else f"INVARIANTS BROKEN (seed {report['seed']}): "
        + ", ".join(failed)
        + (
            f"; first after customer {first['customer']} (fault: {first['fault']}, "
            f"crashes so far: {first['crashes_so_far']}): {', '.join(first['broken'])}"
            if (first := report.get("first_violation"))
            else ""
        ),
        f"simulated {report['simulated_seconds'] / 3600:.1f} h in {report['wall_seconds']} s",
    ]
    if report.get("ui"):
        lines.insert(
            -1,
            f"through the kiosk window: {report['ui_taps']} taps, "
            f"{report['ui_frames']} frames"
            + (
                f"; first mismatch at customer {m['customer']} ({m['step']}): the "
                f"window showed {m['shown']}, the core was {m['core']}"
                if (m := next(iter(report["ui_mismatches"]), None))
                else ""
            ),
        )
    return "\n".join(lines)
