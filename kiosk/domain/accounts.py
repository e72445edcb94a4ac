"""Account numbers the customer types: Kazakh mobile numbers and WebMoney WMK purses.

Validation normalises what was typed (``8 701 123-45-67`` → ``+77011234567``,
``к123456789012`` → ``K123456789012``) or names the one problem, with a message in
plain words in Kazakh, Russian and English. Masking is in :mod:`kiosk.domain.privacy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.money import Language

# DOMAIN.md's ranges plus 747, a Tele2 prefix in real use (decision 003).
_KZ_MOBILE_NATIONAL = re.compile(r"(70[0-8]|747|77[1-8])\d{7}")
_DIGITS = frozenset("0123456789")
_PHONE_SEPARATORS = frozenset(" \t\u00a0\u202f-().")
_PURSE_SEPARATORS = frozenset(" \t\u00a0\u202f-")
# Latin K/k and the Cyrillic К/к look-alikes a Russian or Kazakh keyboard types.
_PURSE_LETTERS = frozenset("KkКк")
PURSE_DIGITS = 12
NATIONAL_DIGITS = 10


def is_kz_mobile_prefix(prefix: str) -> bool:
    """True for a three-digit Kazakh mobile prefix such as ``701`` or ``747``."""
    return len(prefix) == 3 and _KZ_MOBILE_NATIONAL.fullmatch(prefix + "0" * 7) is not None


class AccountKind(StrEnum):
    KZ_MOBILE = "kz_mobile"
    WMK_PURSE = "wmk_purse"


class AccountRuleError(ValueError):
    """An account rule that cannot be right (a bad operator prefix)."""


@dataclass(frozen=True)
class AccountRule:
    """What account numbers a service takes."""

    kind: AccountKind
    # e.g. {"705", "771", "776", "777"} for a mobile operator; empty = any Kazakh mobile
    operator_prefixes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.operator_prefixes, frozenset):
            object.__setattr__(self, "operator_prefixes", frozenset(self.operator_prefixes))
        if self.operator_prefixes and self.kind is not AccountKind.KZ_MOBILE:
            raise AccountRuleError(f"operator prefixes apply to {AccountKind.KZ_MOBILE} only")
        for prefix in sorted(self.operator_prefixes):
            if not is_kz_mobile_prefix(prefix):
                raise AccountRuleError(
                    f"operator prefix {prefix!r} is not a Kazakh mobile prefix "
                    f"(three digits 700-708, 747 or 771-778)"
                )


class AccountProblem(StrEnum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_CHARACTERS = "bad_characters"
    NOT_KZ_MOBILE = "not_kz_mobile"
    BAD_PURSE_LETTER = "bad_purse_letter"


class AccountWarning(StrEnum):
    # Numbers are portable between operators: the central side has the last word.
    OTHER_OPERATOR_PREFIX = "other_operator_prefix"


@dataclass(frozen=True)
class AccountValidation:
    """The outcome of checking a typed account number."""

    ok: bool
    account: str | None  # normalised: "+77011234567" or "K123456789012"
    problem: AccountProblem | None
    warning: AccountWarning | None
    kind: AccountKind | None = None  # picks the wording of the message

    def message(self, language: Language) -> str | None:
        """The problem (or, when ok, the warning) in plain words; None when all is well."""
        if self.problem is not None:
            texts = (
                _PROBLEM_TEXTS.get((self.problem, self.kind))
                or _PROBLEM_TEXTS[(self.problem, None)]
            )
            return texts[language]
        if self.warning is not None:
            return _WARNING_TEXTS[self.warning][language]
        return None


def validate_account(rule: AccountRule, text: str) -> AccountValidation:
    """Check and normalise what the customer typed for a service with this rule."""
    if rule.kind is AccountKind.KZ_MOBILE:
        return _validate_phone(rule, text)
    return _validate_purse(text)


def format_account(account: str) -> str:
    """Display form: ``+77011234567`` → ``+7 701 123 45 67``, ``K123456789012`` →
    ``K 1234 5678 9012``: grouped so the customer can compare it with the paper in hand.

    Anything not in normalised form is returned unchanged.
    """
    if re.fullmatch(r"\+7\d{10}", account):
        n = account[2:]
        return f"+7 {n[:3]} {n[3:6]} {n[6:8]} {n[8:]}"
    if re.fullmatch(r"K\d{12}", account):
        n = account[1:]
        return f"K {n[:4]} {n[4:8]} {n[8:]}"
    return account


# Every three-digit mobile prefix _KZ_MOBILE_NATIONAL takes, for reading digits one at a time.
_MOBILE_PREFIXES = (
    tuple(f"70{d}" for d in "012345678") + ("747",) + tuple(f"77{d}" for d in "12345678")
)
TRUNK_DIGITS = frozenset("78")


@dataclass(frozen=True)
class TypedPhone:
    """Keypad digits read as a Kazakh mobile number: the digits after +7 and, when the
    customer began with the 11-digit national form (``8 701 …``, ``7 701 …``), that first
    digit, read as the +7. Every accepted key is in exactly one of the two."""

    national: str
    trunk: str = ""  # "", "8" or "7"

    @property
    def complete(self) -> bool:
        return len(self.national) == NATIONAL_DIGITS

    @property
    def keys(self) -> str:
        """The keys this reading came from, in order (nothing dropped, nothing added)."""
        return self.trunk + self.national

    @property
    def account_text(self) -> str:
        """What goes to :func:`validate_account`: +7 and the national digits, "" for none."""
        return "+7" + self.national if self.keys else ""


def _may_start_mobile(national: str) -> bool:
    """True while these first digits can still grow into a Kazakh mobile number."""
    head = national[:3]
    return any(prefix.startswith(head) for prefix in _MOBILE_PREFIXES)


def read_phone_keys(keys: str) -> TypedPhone | None:
    """Read keypad digits as +7 and the ten national digits; None when no reading takes
    them all (an eleventh national digit): the keypad refuses that key instead of dropping
    a digit somewhere.

    A first 8 is always the trunk prefix (no Kazakh mobile number starts with 8). A first 7
    is a national digit while the digits can still be a mobile number that way (``771…``);
    it is read as the +7 when only that fits (``770…`` → +7 70…) or when an eleventh digit
    comes (``7 777 123 45 67``). Digits that fit no reading stay as typed, for the rules
    to name the problem.
    """
    if any(ch not in _DIGITS for ch in keys):
        return None
    if len(keys) > NATIONAL_DIGITS + 1:
        return None
    trunk_fits = bool(keys) and keys[0] in TRUNK_DIGITS and _may_start_mobile(keys[1:])
    if keys.startswith("8"):
        return TypedPhone(keys[1:], "8")
    if len(keys) <= NATIONAL_DIGITS and (_may_start_mobile(keys) or not trunk_fits):
        return TypedPhone(keys)
    if trunk_fits:
        return TypedPhone(keys[1:], keys[0])
    return None


def warning_text(warning: AccountWarning, language: Language) -> str:
    """A warning in plain words, for a screen that keeps the warning and not the message."""
    return _WARNING_TEXTS[warning][language]


def _refused(kind: AccountKind, problem: AccountProblem) -> AccountValidation:
    return AccountValidation(ok=False, account=None, problem=problem, warning=None, kind=kind)


def _validate_phone(rule: AccountRule, text: str) -> AccountValidation:
    kind = AccountKind.KZ_MOBILE
    body = text.strip()
    if not body:
        return _refused(kind, AccountProblem.EMPTY)
    with_plus = body.startswith("+")
    rest = body[1:] if with_plus else body
    if any(ch not in _DIGITS and ch not in _PHONE_SEPARATORS for ch in rest):
        return _refused(kind, AccountProblem.BAD_CHARACTERS)
    digits = "".join(ch for ch in rest if ch in _DIGITS)
    if not digits:
        return _refused(kind, AccountProblem.EMPTY)
    if with_plus:
        if digits[0] != "7":
            return _refused(kind, AccountProblem.NOT_KZ_MOBILE)  # another country code
        national = digits[1:]
    elif len(digits) == NATIONAL_DIGITS + 1 and digits[0] in "78":
        national = digits[1:]  # +7 without the plus, or the domestic trunk prefix 8
    elif len(digits) == NATIONAL_DIGITS and digits[0] == "8":
        return _refused(kind, AccountProblem.TOO_SHORT)  # trunk 8 and only nine digits
    else:
        national = digits
    if len(national) < NATIONAL_DIGITS:
        return _refused(kind, AccountProblem.TOO_SHORT)
    if len(national) > NATIONAL_DIGITS:
        return _refused(kind, AccountProblem.TOO_LONG)
    if not _KZ_MOBILE_NATIONAL.fullmatch(national):
        return _refused(kind, AccountProblem.NOT_KZ_MOBILE)
    warning = None
    if rule.operator_prefixes and national[:3] not in rule.operator_prefixes:
        warning = AccountWarning.OTHER_OPERATOR_PREFIX
    return AccountValidation(
        ok=True, account="+7" + national, problem=None, warning=warning, kind=kind
    )


def _validate_purse(text: str) -> AccountValidation:
    kind = AccountKind.WMK_PURSE
    compact = "".join(ch for ch in text if ch not in _PURSE_SEPARATORS)
    if not compact:
        return _refused(kind, AccountProblem.EMPTY)
    letter, rest = compact[0], compact[1:]
    if letter not in _PURSE_LETTERS:
        if letter.isalpha() or letter in _DIGITS:
            # Another WebMoney purse type (Z, R, ...) or a bare 12-digit WMID: not a WMK purse.
            return _refused(kind, AccountProblem.BAD_PURSE_LETTER)
        return _refused(kind, AccountProblem.BAD_CHARACTERS)
    if any(ch not in _DIGITS for ch in rest):
        return _refused(kind, AccountProblem.BAD_CHARACTERS)
    if len(rest) < PURSE_DIGITS:
        return _refused(kind, AccountProblem.TOO_SHORT)
    if len(rest) > PURSE_DIGITS:
        return _refused(kind, AccountProblem.TOO_LONG)
    return AccountValidation(ok=True, account="K" + rest, problem=None, warning=None, kind=kind)


_Texts = dict[str, str]
_MOBILE, _PURSE = AccountKind.KZ_MOBILE, AccountKind.WMK_PURSE
_P = AccountProblem

_PROBLEM_TEXTS: dict[tuple[AccountProblem, AccountKind | None], _Texts] = {
    (_P.EMPTY, _MOBILE): {
        "kk": "Телефон нөмірін енгізіңіз.",
        "ru": "Введите номер телефона.",
        "en": "Enter the phone number.",
    },
    (_P.EMPTY, _PURSE): {
        "kk": "WMK әмиянының нөмірін енгізіңіз.",
        "ru": "Введите номер кошелька WMK.",
        "en": "Enter the WMK purse number.",
    },
    (_P.EMPTY, None): {
        "kk": "Нөмірді енгізіңіз.",
        "ru": "Введите номер.",
        "en": "Enter the number.",
    },
    (_P.TOO_SHORT, _MOBILE): {
        "kk": "Нөмірде цифрлар жетіспейді: +7-ден кейін 10 цифр болуы керек.",
        "ru": "В номере не хватает цифр: после +7 должно быть 10 цифр.",
        "en": "The number is too short: it needs 10 digits after +7.",
    },
    (_P.TOO_SHORT, _PURSE): {
        "kk": "Әмиян нөмірінде цифрлар жетіспейді: K әрпінен кейін 12 цифр болуы керек.",
        "ru": "В номере кошелька не хватает цифр: после буквы K должно быть 12 цифр.",
        "en": "The purse number is too short: it needs 12 digits after the letter K.",
    },
    (_P.TOO_SHORT, None): {
        "kk": "Нөмірде цифрлар жетіспейді.",
        "ru": "В номере не хватает цифр.",
        "en": "The number is too short.",
    },
    (_P.TOO_LONG, _MOBILE): {
        "kk": "Нөмірде артық цифрлар бар: +7-ден кейін 10 цифр болуы керек.",
        "ru": "В номере лишние цифры: после +7 должно быть 10 цифр.",
        "en": "The number is too long: it needs 10 digits after +7.",
    },
    (_P.TOO_LONG, _PURSE): {
        "kk": "Әмиян нөмірінде артық цифрлар бар: K әрпінен кейін 12 цифр болуы керек.",
        "ru": "В номере кошелька лишние цифры: после буквы K должно быть 12 цифр.",
        "en": "The purse number is too long: it needs 12 digits after the letter K.",
    },
    (_P.TOO_LONG, None): {
        "kk": "Нөмірде артық цифрлар бар.",
        "ru": "В номере лишние цифры.",
        "en": "The number is too long.",
    },
    (_P.BAD_CHARACTERS, _MOBILE): {
        "kk": "Телефон нөмірінде тек цифрлар болуы керек.",
        "ru": "Номер телефона должен состоять только из цифр.",
        "en": "A phone number may contain digits only.",
    },
    (_P.BAD_CHARACTERS, _PURSE): {
        "kk": "K әрпінен кейін тек цифрлар болуы керек.",
        "ru": "После буквы K должны идти только цифры.",
        "en": "Only digits may follow the letter K.",
    },
    (_P.BAD_CHARACTERS, None): {
        "kk": "Нөмірде рұқсат етілмеген таңбалар бар.",
        "ru": "В номере есть недопустимые символы.",
        "en": "The number contains characters that are not allowed.",
    },
    (_P.NOT_KZ_MOBILE, None): {
        "kk": "Бұл Қазақстанның ұялы байланыс нөмірі емес. "
        "+7-ден кейінгі оператор кодын тексеріңіз.",
        "ru": "Это не казахстанский мобильный номер. Проверьте код оператора после +7.",
        "en": "This is not a Kazakh mobile number. Check the operator code after +7.",
    },
    (_P.BAD_PURSE_LETTER, None): {
        "kk": "WMK әмиянының нөмірі K әрпінен басталады, одан кейін 12 цифр тұрады.",
        "ru": "Номер кошелька WMK начинается с буквы K, за которой идут 12 цифр.",
        "en": "A WMK purse number starts with the letter K followed by 12 digits.",
    },
}

_WARNING_TEXTS: dict[AccountWarning, _Texts] = {
    AccountWarning.OTHER_OPERATOR_PREFIX: {
        "kk": "Нөмір басқа оператордың кодынан басталады. Егер нөмірді осы операторға "
        "көшірген болсаңыз, бәрі дұрыс; әйтпесе нөмірді тексеріңіз.",
        "ru": "Номер начинается с кода другого оператора. Если вы перенесли номер к этому "
        "оператору, всё в порядке; иначе проверьте номер.",
        "en": "The number starts with another operator's code. If you moved the number to "
        "this operator, that is fine; otherwise check the number.",
    },
}
