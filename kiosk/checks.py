"""Account checks before cash: the ledger's answer online, format rules offline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.domain.catalog import Service
from kiosk.domain.limits import AccountHeadroom

# Result codes in the OSMP style the ledger answers with.
OK = 0
TRY_LATER = 1  # OSMP's "temporary error, repeat later": the ledger rations checks (HTTP 429)
BAD_FORMAT = 4
NOT_FOUND = 5
FORBIDDEN = 7
INACTIVE = 79
AMOUNT_TOO_SMALL = 241
AMOUNT_TOO_LARGE = 242
OTHER = 300


class LinkDown(Exception):
    """The ledger could not be reached; the kiosk falls back to its offline rules."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    code: int
    offline: bool
    headroom: AccountHeadroom | None = None
    holder: str | None = None  # masked holder name, where the ledger knows it
    message: str | None = None
    retry_after: float | None = None  # TRY_LATER: seconds the ledger asked to wait, if said

    @classmethod
    def offline_result(cls) -> CheckResult:
        """Offline: the number passed its format rules; limits assume the strictest status."""
        return cls(ok=True, code=OK, offline=True)


class AccountChecker(Protocol):
    def check(self, service: Service, account: str) -> CheckResult:
        """Ask the ledger about an account; raise LinkDown when it cannot be reached."""
