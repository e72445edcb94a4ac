"""Per-terminal rations for the questions a stranger could ask many times: account checks
and receipt look-ups (docs/decisions/016-private-look-ups-and-limits.md).

A token bucket per (terminal, kind): ``burst`` questions at once, then one every
``every_s`` seconds. A question over the ration is answered 429 with Retry-After; it costs
nothing else. Terminals are authenticated before a ration is taken, so the table holds at
most one bucket per registered terminal and kind.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.clock import Clock


@dataclass(frozen=True, slots=True)
class Rule:
    burst: int  # questions allowed at once
    every_s: float  # then one more every this many seconds

    def __post_init__(self) -> None:
        if self.burst < 1 or self.every_s <= 0:
            raise ValueError(f"a ration needs burst >= 1 and every_s > 0, got {self}")


# A kiosk checks one account per customer, and a payment takes half a minute at least:
# ten at once and one every 10 s is far above an honest kiosk and bounds a key-holder's
# probing to a few thousand wallets a day.
ACCOUNT_CHECKS = Rule(burst=10, every_s=10.0)
# Receipt look-ups come from a customer with a receipt in hand: a few, rarely.
RECEIPT_LOOKUPS = Rule(burst=5, every_s=60.0)


# What ``kiosk ledger serve`` applies. A ledger in a test's or a simulation's process
# (LedgerThread) has none unless given: a simulated day runs hundreds of customers in
# seconds of wall time.
SERVED: Mapping[str, Rule] = {"account_check": ACCOUNT_CHECKS, "receipt_lookup": RECEIPT_LOOKUPS}
UNRATIONED: Mapping[str, Rule] = {}


class Rations:
    """The buckets of one ledger process (thread-safe: routes run in a thread pool)."""

    def __init__(self, clock: Clock, rules: Mapping[str, Rule]) -> None:
        self.clock = clock
        self.rules = dict(rules)
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # tokens, at
        self._lock = threading.Lock()

    def take(self, terminal_id: str, kind: str) -> int | None:
        """Spend one question of ``kind``; None when allowed, else the whole seconds to wait."""
        rule = self.rules.get(kind)
        if rule is None:
            return None
        now = self.clock.monotonic()
        with self._lock:
            tokens, at = self._buckets.get((terminal_id, kind), (float(rule.burst), now))
            tokens = min(float(rule.burst), tokens + max(0.0, now - at) / rule.every_s)
            if tokens >= 1.0:
                self._buckets[(terminal_id, kind)] = (tokens - 1.0, now)
                return None
            self._buckets[(terminal_id, kind)] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) * rule.every_s))
