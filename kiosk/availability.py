"""Whether the kiosk may take cash now, and why not.

One part owns the reasons the kiosk is out of service: device faults (reported by the cash
desk), a store that cannot write, the offline stop rule (kiosk/domain/offline.py), the
printer under the ``out_of_service`` policy, and holds decided outside the core (receipt
numbering, stopping, and the ledger's remote commands: ``locked``, ``maintenance``, set
between customers only by kiosk/remote.py RemoteControl). Whoever must react to a change
(the cash desk disables the acceptor) listens; runs on the core thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.domain.clock import Clock
from kiosk.domain.limits import OfflineCaps
from kiosk.domain.logfmt import log_event
from kiosk.domain.offline import OfflinePolicy, Waiting
from kiosk.store.db import Store, StoreError
from kiosk.store.records import Records

log = logging.getLogger("kiosk.core")

OFFLINE_LIMITS = "offline_limits"
STORAGE = "storage"
LOCKED = "locked"  # the operator locked the terminal (a remote command)
MAINTENANCE = "maintenance"  # a planned maintenance has begun (a remote command)


class Availability:
    """The out-of-service reasons (key -> detail) and the probes that set and clear them."""

    def __init__(
        self,
        store: Store,
        records: Records,
        clock: Clock,
        policy: OfflinePolicy,
        link_online: Callable[[], bool],
    ) -> None:
        self.store = store
        self.records = records
        self.clock = clock
        self.policy = policy
        self.link_online = link_online
        self._faults: dict[str, str] = {}
        self._listeners: list[Callable[[], None]] = []
        # A planned maintenance the customers are told of (its start, Unix ms), or None.
        self.maintenance_notice_at: int | None = None

    def listen(self, callback: Callable[[], None]) -> None:
        """``callback`` runs after every fault raised and every fault cleared."""
        self._listeners.append(callback)

    def _changed(self) -> None:
        for callback in self._listeners:
            callback()

    @property
    def in_service(self) -> bool:
        return not self._faults

    @property
    def faults(self) -> dict[str, str]:
        return dict(self._faults)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(sorted(self._faults))

    def __contains__(self, key: str) -> bool:
        return key in self._faults

    def fault(self, key: str, detail: str) -> None:
        if self._faults.get(key) != detail:
            self._faults[key] = detail
            log_event(log, "out of service", logging.WARNING, reason=key, detail=detail)
        self._changed()

    def clear(self, key: str) -> None:
        if self._faults.pop(key, None) is not None:
            log_event(log, "fault cleared", reason=key)
            self._changed()

    def store_fault(self, exc: StoreError) -> None:
        self.fault(STORAGE, exc.kind)

    def waiting(self) -> Waiting:
        """What waits in the outbox for the ledger, as the offline policy counts it."""
        stats = self.records.outbox_stats()
        age = (
            self.clock.now() - stats.oldest_created_at / 1000
            if stats.oldest_created_at is not None
            else 0.0
        )
        return Waiting(count=stats.count, amount=stats.amount, oldest_age_s=age)

    def offline_caps(self) -> OfflineCaps | None:
        """The offline caps on a session now (None while the ledger is reachable)."""
        if self.link_online():
            return None
        return self.policy.caps(self.records.outbox_stats().amount)

    def refresh(self) -> None:
        """Re-check the store and the offline stop rule; called on start and by tick()."""
        try:
            self.store.check_writable()
            self.clear(STORAGE)
        except StoreError as exc:
            self.store_fault(exc)
            return
        if self.link_online():
            self.clear(OFFLINE_LIMITS)
            return
        stop = self.policy.stop(self.waiting())
        if stop is None:
            self.clear(OFFLINE_LIMITS)
        else:
            self.fault(OFFLINE_LIMITS, stop.value)
