"""What the view-models say in words: reasons and notices in the screen language, and the
account entry mask. Every string here goes through the ``KioskViewModel`` catalogue context."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import checks
from kiosk.domain.accounts import TypedPhone, read_phone_keys
from ui.i18n import tr

CONTEXT = "KioskViewModel"
PLACEHOLDER = "X"
BLANK = "_"


def _t(source: str) -> str:
    return tr(CONTEXT, source)


def limit_reason_text(reason: str) -> str:
    """Why the kiosk takes no more than it does (a LimitReason value)."""
    texts = {
        "service_max": _t("the most this service takes in one payment"),
        "operation_limit": _t("the wallet's limit for one payment"),
        "balance_limit": _t("the wallet's balance limit"),
        "daily_limit": _t("the wallet's daily limit"),
        "offline_payment_cap": _t("the limit for payments while the network is down"),
        "offline_total_cap": _t("the limit for payments while the network is down"),
    }
    return texts.get(reason, "")


def returned_note_text(reason: str) -> str:
    """Why a note came back, in customer words (a ReturnedNote reason)."""
    if reason == "rejected:inhibit":
        return _t("This note is not accepted now: see the accepted notes.")
    if reason.startswith("rejected"):
        return _t("The note was not recognised. Please try another note.")
    texts = {
        "service_max": _t("The note was returned: over the maximum for this service."),
        "operation_limit": _t("The note was returned: over the wallet limit."),
        # The wallet's own room: never which limit, never how much (decision 016).
        "balance_limit": _t("The note was returned: this wallet cannot take more now."),
        "daily_limit": _t("The note was returned: this wallet cannot take more now."),
        "wallet_limit": _t("The note was returned: this wallet cannot take more now."),
        "offline_payment_cap": _t("The note was returned: over the offline limit."),
        "offline_total_cap": _t("The note was returned: over the offline limit."),
        "not_accepting": _t("The note was returned: the kiosk is not taking cash now."),
        "out_of_service": _t("The note was returned: the kiosk is out of service."),
        "returned_by_device": _t("The note was returned by the acceptor."),
    }
    return texts.get(reason, _t("The note was returned."))


def out_of_service_text(reasons: tuple[str, ...]) -> str:
    """Why the kiosk cannot take payments, in customer words."""
    texts = {
        "storage": _t("A technical fault: payments are paused."),
        "offline_limits": _t("No connection to the payment server for too long."),
        "validator_disconnected": _t("The banknote acceptor is not working."),
        "validator_jammed": _t("The banknote acceptor is jammed."),
        "validator_failure": _t("The banknote acceptor is not working."),
        "cassette_removed": _t("The kiosk is being serviced."),
        "cassette_full": _t("The cash box is full."),
        "locked": _t("The kiosk is temporarily out of service."),
        "maintenance": _t("Planned maintenance: the kiosk is temporarily out of service."),
    }
    lines: list[str] = []
    for reason in reasons:
        line = texts.get(reason, _t("A technical fault: payments are paused."))
        if line not in lines:
            lines.append(line)
    return "\n".join(lines)


def maintenance_notice_text(hours_minutes: str) -> str:
    """The idle screen's notice of a planned maintenance (shown from 3 hours before)."""
    return _t("Planned maintenance from %1: payments will not be possible.").replace(
        "%1", hours_minutes
    )


def offline_text() -> str:
    return _t(
        "No connection to the payment server. You can still pay: the money is credited "
        "when the connection is back. Numbers cannot be checked now."
    )


def check_failed_text(code: int) -> str:
    """The ledger's refusal in customer words (its own message is for technicians)."""
    texts = {
        checks.NOT_FOUND: _t("No wallet with this number was found. Please check the number."),
        checks.FORBIDDEN: _t(
            "Payments to this wallet are not possible. Please contact the wallet's operator."
        ),
        checks.INACTIVE: _t("This wallet is inactive. Please contact the wallet's operator."),
        checks.AMOUNT_TOO_LARGE: _t(
            "This wallet cannot receive more money now: its limit is reached."
        ),
        checks.TRY_LATER: _t("The payment server is busy. Please try again in a minute."),
    }
    text = texts.get(code)
    if text is not None:
        return text
    return _t("This number cannot receive a payment now. Please check it. Code: %1").replace(
        "%1", str(code)
    )


def wallet_full_text() -> str:
    """The wallet's own room takes no further note (the figure is never shown)."""
    return _t("This wallet cannot take more now.")


def printed_text(printed: bool | None) -> str:
    if printed:
        return _t("Take your receipt: it is the proof of payment.")
    return _t("The receipt could not be printed. Keep the receipt number: it is the proof.")


def printer_problem_text(state: str | None) -> str:
    """Why no receipt can be printed, in customer words (a PrinterReadiness state)."""
    if state == "paper_out":
        return _t("The receipt printer is out of paper.")
    return _t("The receipt printer is not working.")


def without_receipt_text() -> str:
    return _t(
        "You can still pay without a receipt: the payment is recorded, and the next "
        "screen shows its receipt number to check it later."
    )


def reprint_text(printed: bool) -> str:
    """The answer to "print my receipt" on the status screen."""
    if printed:
        return _t("Your receipt is printed.")
    return _t("The receipt cannot be printed now. Please try later or call support.")


# The three truths an ending can tell (docs/decisions/029-truthful-endings.md).
BEING_CREDITED = "being_credited"
CREDITED = "credited"
HELD = "held"


def ending_state(ledger: str, below_minimum: bool) -> str:
    """Which truth an ending tells: below the minimum the ledger holds the cash whatever it
    has answered yet; otherwise its answer (kiosk.store.lookups PENDING/CREDITED/HELD)."""
    if below_minimum or ledger == "held":
        return HELD
    if ledger == "credited":
        return CREDITED
    return BEING_CREDITED


def ending_text(state: str, support_phone: str, *, below_minimum: str = "") -> str:
    """An ending's words for an ``ending_state``; ``below_minimum`` is the service minimum
    (formatted) when the payment was completed below it."""
    if state == CREDITED:
        return _t("Credited: the money is on the account.")
    if state != HELD:
        return _t(
            "Accepted — being credited. This usually takes a minute, sometimes up to 30 minutes."
        )
    if below_minimum:
        why = _t("Not credited: the amount is below the minimum payment of %1.").replace(
            "%1", below_minimum
        )
    else:
        why = _t("Not credited: the payment was not accepted by the recipient.")
    return why + "\n" + held_text(support_phone)


def held_text(support_phone: str) -> str:
    return _t(
        "The money is held for a refund. Keep the receipt and the operation number and "
        "call support: %1"
    ).replace("%1", unbroken(support_phone))


def unbroken(phone: str) -> str:
    """A phone number that never breaks across lines (a broken number is misdialled)."""
    return phone.replace(" ", "\u00a0")


def payment_status_text(
    found: bool, state: str = BEING_CREDITED, *, by_operation: bool = False, support_phone: str = ""
) -> str:
    """The answer of the payment status look-up: the same three truths as the endings."""
    if not found:
        if by_operation:
            return _t("No payment with this operation number at this terminal.")
        return _t("No payment with this receipt number at this terminal.")
    return ending_text(state, support_phone)


def acceptor_fault_text(inserted: str, can_pay: bool) -> str:
    """The acceptor failed with cash in: the money is safe, and what to do now."""
    safe = _t("Your %1 are recorded and safe.").replace("%1", inserted)
    if can_pay:
        return safe + " " + _t("Press Pay to credit them.")
    return safe + " " + _t("The payment completes to this account in a moment.")


def commission_rule_text(rule: str, free: bool) -> str:
    """The price before the cash: the service's whole commission rule (``rule`` as
    kiosk.domain.commission describes it), or that it takes none."""
    if free:
        return _t("No commission")
    return _t("Commission: %1").replace("%1", rule)


def commission_short_text(first_tier: str, lower_from: str, free: bool) -> str:
    """A service tile's price: no commission, the one rate, or the first tier's rate and
    where a lower one starts (``lower_from`` is empty for a profile of one tier)."""
    if free:
        return _t("No commission")
    if not lower_from:
        return _t("Commission: %1").replace("%1", first_tier)
    return _t("Commission: %1; less from %2").replace("%1", first_tier).replace("%2", lower_from)


def limit_line_text(credit_more: str, reason: str) -> str:
    """How much more this payment can credit, in whole tenge, and which rule says so."""
    line = _t("Up to %1 more can be credited to the account").replace("%1", credit_more)
    why = limit_reason_text(reason)
    return f"{line} ({why})" if why else line


def limit_reached_text(can_pay: bool) -> str:
    """No note fits under the limit any more: say so, and what to do now."""
    if can_pay:
        return _t("The limit is reached: press Pay.")
    return _t("The limit for this payment is reached.")


def entry_prompt_text(mask: str) -> str:
    """What the entry screen asks for: a purse number (``K…`` masks) or a phone number."""
    if mask.startswith("K"):
        return _t("Enter the purse number")
    return _t("Enter the phone number")


def no_change_text() -> str:
    return _t("Change is not given; money inserted cannot be returned.")


def pay_disabled_text(*, has_cash: bool, counting: bool, minimum: str) -> str:
    """Why Pay is greyed out (empty when it is not)."""
    if counting:
        return _t("Wait: the note is being counted.")
    if not has_cash:
        return _t("Insert a note to pay.")
    return _t("Pay works from the minimum payment of %1: insert more.").replace("%1", minimum)


def out_of_service_help(terminal_id: str, support_phone: str) -> str:
    return _t("Terminal %1. Support: %2").replace("%1", terminal_id).replace("%2", support_phone)


def operation_too_short_text(minimum: int) -> str:
    return _t("Type at least %1 characters of the operation number.").replace("%1", str(minimum))


def lookup_locked_text(seconds: int) -> str:
    """Repeated look-ups found nothing: the status screen pauses (never says whose)."""
    return _t("Too many numbers were not found. Please try again in %1 s.").replace(
        "%1", str(seconds)
    )


def operation_ambiguous_text() -> str:
    return _t("Several payments start like this: type more of the operation number.")


def group_operation(digits: str) -> str:
    """Hex digits typed so far, dashed like the receipt prints them (8-4-4-4-12)."""
    groups, start = [], 0
    for size in (8, 4, 4, 4, 12):
        if start < len(digits):
            groups.append(digits[start : start + size])
        start += size
    return "-".join(groups)


def generic_failure_text() -> str:
    return _t("Something went wrong. Please try again or call support.")


def pin_text(key: str, *, minutes: int = 0, tries: int = 0) -> str:
    """The service login's answers (a LoginOutcome value, or why the file is not usable)."""
    if key == "locked":
        return _t("Locked after too many wrong PINs. Try again in %1 min.").replace(
            "%1", str(minutes)
        )
    if key == "wrong":
        return _t("Wrong number or PIN. Tries left: %1").replace("%1", str(tries))
    if key == "unset":
        return _t("No technician is registered: run 'kiosk service add-technician NAME'.")
    if key == "legacy":
        return _t(
            "The shared service PIN no longer opens the menu: register each technician "
            "with 'kiosk service add-technician NAME'."
        )
    if key == "damaged":
        return _t("The technician file is damaged: see the kiosk log.")
    return ""


@dataclass(frozen=True, slots=True)
class MaskedEntry:
    """Digits typed into an input mask: what the screen shows and what the core receives."""

    shown: str
    text: str
    full: bool
    hint: str = ""  # how a first 8 or 7 was read, in words: shown beside the number


def fill_mask(mask: str, digits: str) -> MaskedEntry:
    """Put ``digits`` into the mask's ``X`` places (``+7 XXX XXX XX XX``, ``K XXXX XXXX XXXX``)."""
    shown: list[str] = []
    sent_upto = 0
    used = 0
    for char in mask:
        if char == PLACEHOLDER:
            if used < len(digits):
                shown.append(digits[used])
                used += 1
                sent_upto = len(shown)
            else:
                shown.append(BLANK)
        else:
            shown.append(char)
    text = "".join(shown[:sent_upto]) if digits else ""
    return MaskedEntry("".join(shown), text, used == mask.count(PLACEHOLDER))


def mask_capacity(mask: str) -> int:
    return mask.count(PLACEHOLDER)


def is_phone_mask(mask: str) -> bool:
    """A phone mask begins with +7 (the catalog refuses any other for a phone service)."""
    return mask.startswith("+7")


def typed_entry(mask: str, keys: str) -> MaskedEntry:
    """The keys the customer pressed, as the field shows them and as the core receives them.

    A phone mask holds the ten digits after +7, every one typed by the customer; a first 8
    or 7 of the 11-digit national form is read as that +7 and said so in ``hint``. What goes
    to the core is +7 and exactly the digits shown (``kiosk.domain.accounts.read_phone_keys``).
    """
    if not is_phone_mask(mask):
        filled = fill_mask(mask, keys)
        return MaskedEntry(filled.shown, "K" + keys if keys else "", filled.full)
    phone = read_phone_keys(keys) or TypedPhone(keys)  # the keypad never keeps an unread key
    filled = fill_mask(free_phone_mask(mask), phone.national)
    return MaskedEntry(filled.shown, phone.account_text, phone.complete, trunk_hint(phone.trunk))


def free_phone_mask(mask: str) -> str:
    """The phone mask with every place after +7 free for the customer to type: a catalog
    that still draws a digit itself (``+7 (7XX) …``, as older catalogs did) keeps its
    layout, but never a digit the customer did not type (``+7 (XXX) …``)."""
    body = "".join(PLACEHOLDER if ch.isdigit() else ch for ch in mask[2:])
    return mask[:2] + body


def accepts_key(mask: str, keys: str, digit: str) -> bool:
    """Whether one more digit fits: never by dropping or moving one already shown."""
    if is_phone_mask(mask):
        return read_phone_keys(keys + digit) is not None
    return len(keys) < mask_capacity(mask)


def press_key(mask: str, keys: str, key: str) -> tuple[str, bool]:
    """One keypad key (a digit, ``back`` or ``clear``) on the keys typed so far: the keys
    after it, and whether it was a digit refused because the number is complete."""
    if key == "back":
        return keys[:-1], False
    if key == "clear":
        return "", False
    if len(key) == 1 and key in "0123456789":
        if accepts_key(mask, keys, key):
            return keys + key, False
        return keys, True
    return keys, False


def trunk_hint(trunk: str) -> str:
    """Said under the number when its first digit was read as +7."""
    if trunk == "8":
        return _t("The 8 you typed first is read as +7.")
    if trunk == "7":
        return _t("The 7 you typed first is read as +7.")
    return ""


def number_complete_text(mask: str) -> str:
    """Said in the message place when a digit comes after the last one the number has."""
    if is_phone_mask(mask):
        return _t("The number is complete: +7 and 10 digits. To change it, press ⌫ or C.")
    return _t("The purse number is complete: K and 12 digits. To change it, press ⌫ or C.")


def operator_warning_hint() -> str:
    """Under the wrong-operator warning on the confirm screen: the two ways on."""
    return _t("Press «Another operator» to choose the number's operator, or «Correct» to go on.")
