"""The ledger checks a payment's money itself, against the catalog the kiosk priced it with.

A kiosk states what it took and how it split it; the ledger trusts none of it. Each check
that fails names a machine-readable ``fault`` (and a sentence for people); the payment is
then stored as rejected and its whole inserted amount booked to suspense, never credited.
The commission rule is the kiosk's own (:mod:`kiosk.domain.commission`, pure): both sides compute
the same tiyn by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.catalog import Catalog, Service
from kiosk.domain.commission import CommissionProfile
from kiosk.domain.money import Money
from sync.ledger.schema import KZT_BANKNOTES, PaymentIn
from sync.ledger.wallets import Code, Verdict

# Faults: what a payment got wrong, as stored and listed in suspense.
UNKNOWN_CATALOG_VERSION = "unknown_catalog_version"
UNKNOWN_SERVICE = "unknown_service"
NOT_KZT = "not_kzt"
NOT_A_BANKNOTE = "not_a_banknote"
NOTES_SUM_MISMATCH = "notes_sum_mismatch"
COMMISSION_MISMATCH = "commission_mismatch"
CREDITED_MISMATCH = "credited_mismatch"
BAD_ACCOUNT = "bad_account"
UNDER_SERVICE_MIN = "under_service_min"
OVER_SERVICE_MAX = "over_service_max"
# From the wallet's verdict (needs the database): by its code.
WALLET_FAULTS: Mapping[Code, str] = {
    Code.NOT_FOUND: "unknown_wallet",
    Code.FORBIDDEN: "wallet_blocked",
    Code.INACTIVE: "wallet_inactive",
    Code.TOO_LARGE: "over_wallet_limit",
}


# The commission of (profile, inserted), remembered: amounts repeat (notes come in seven
# sizes), and the rule costs several Money objects each time. The profile is kept with the
# value and compared by identity, so another catalog's profile never reads this one's.
_COMMISSIONS: dict[tuple[int, int], tuple[CommissionProfile, int]] = {}
_REMEMBERED = 4096


def commission_of(profile: CommissionProfile, inserted: int) -> int:
    """The commission the rule gives for ``inserted`` tiyn (``kiosk.domain.commission``)."""
    key = (id(profile), inserted)
    known = _COMMISSIONS.get(key)
    if known is not None and known[0] is profile:
        return known[1]
    commission = profile.breakdown(Money(inserted)).commission.tiyn
    if len(_COMMISSIONS) >= _REMEMBERED:
        _COMMISSIONS.clear()
    _COMMISSIONS[key] = (profile, commission)
    return commission


@dataclass(frozen=True, slots=True)
class Failed:
    """A check a payment failed: the fault, the result code and a sentence."""

    fault: str
    code: Code
    text: str

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.code, f"{self.fault}: {self.text}")


def check_money(
    catalog: Catalog | None, payment: PaymentIn, served_version: str
) -> tuple[Service | None, Failed | None]:
    """The payment's service and the first check it fails (None when it passes).

    ``catalog`` is the catalog of the payment's version (None when the ledger never served
    that version); a payment without a version is judged by the catalog served now, whose
    version is ``served_version``."""
    if catalog is None:
        return None, Failed(
            UNKNOWN_CATALOG_VERSION,
            Code.OTHER,
            f"catalog version {payment.catalog_version!r} was never served "
            f"by this ledger (it serves {served_version!r})",
        )
    try:
        service = catalog.get(payment.service)
    except KeyError:
        return None, Failed(
            UNKNOWN_SERVICE,
            Code.OTHER,
            f"service {payment.service!r} is not in catalog {catalog.version}",
        )
    if payment.currency != "KZT":
        return service, Failed(NOT_KZT, Code.OTHER, f"currency {payment.currency!r} is not KZT")
    if payment.inserted < service.min_amount.tiyn:
        return service, Failed(
            UNDER_SERVICE_MIN, Code.TOO_SMALL, f"below the service minimum {service.min_amount}"
        )
    if payment.inserted > service.max_amount.tiyn:
        return service, Failed(
            OVER_SERVICE_MAX, Code.TOO_LARGE, f"over the service maximum {service.max_amount}"
        )
    if not KZT_BANKNOTES.issuperset(payment.notes):
        note = next(note for note in payment.notes if note not in KZT_BANKNOTES)
        return service, Failed(NOT_A_BANKNOTE, Code.OTHER, f"{note} tiyn is not a KZT banknote")
    total = sum(payment.notes)
    if total != payment.inserted:
        return service, Failed(
            NOTES_SUM_MISMATCH,
            Code.OTHER,
            f"notes add up to {total} tiyn, not the {payment.inserted} inserted",
        )
    commission = commission_of(service.commission, payment.inserted)
    if payment.commission != commission:
        return service, Failed(
            COMMISSION_MISMATCH,
            Code.OTHER,
            f"commission {payment.commission} tiyn, the rule "
            f"{service.commission.id!r} of catalog {catalog.version} gives "
            f"{commission}",
        )
    if payment.credited != payment.inserted - commission:
        return service, Failed(
            CREDITED_MISMATCH,
            Code.OTHER,
            f"credited {payment.credited} tiyn, inserted less commission is "
            f"{payment.inserted - commission}",
        )
    return service, None
