"""Receipt content: the fields DOMAIN.md requires, and their plain-text layout in kk, ru, en.

The same fields are stored with the payment (JSON) so a receipt can always be reprinted or
shown on screen; the printer driver lays them out for its paper width.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.domain.clock import KZ_TIME
from kiosk.domain.money import Language, Money

LABELS: dict[str, dict[Language, str]] = {
    "title": {"kk": "ТӨЛЕМ ТҮБІРТЕГІ", "ru": "КВИТАНЦИЯ ОБ ОПЛАТЕ", "en": "PAYMENT RECEIPT"},
    "duplicate": {
        "kk": "ТҮБІРТЕК КӨШІРМЕСІ",
        "ru": "ДУБЛИКАТ КВИТАНЦИИ",
        "en": "DUPLICATE RECEIPT",
    },
    "agent": {"kk": "Агент", "ru": "Агент", "en": "Agent"},
    "bin": {"kk": "БСН", "ru": "БИН", "en": "BIN"},
    "terminal": {"kk": "Терминал", "ru": "Терминал", "en": "Terminal"},
    "address": {"kk": "Мекенжай", "ru": "Адрес", "en": "Address"},
    "receipt_number": {"kk": "Түбіртек №", "ru": "Квитанция №", "en": "Receipt No."},
    "date": {"kk": "Күні мен уақыты", "ru": "Дата и время", "en": "Date and time"},
    "operation": {"kk": "Операция №", "ru": "Операция №", "en": "Operation No."},
    "service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "account": {"kk": "Шот / нөмір", "ru": "Счёт / номер", "en": "Account"},
    "inserted": {
        "kk": "Қабылданған қолма-қол ақша",
        "ru": "Принято наличными",
        "en": "Cash accepted",
    },
    "commission": {"kk": "Комиссия", "ru": "Комиссия", "en": "Commission"},
    "credited": {"kk": "Есепке алынатын сома", "ru": "К зачислению", "en": "Amount credited"},
    "status": {"kk": "Күйі", "ru": "Статус", "en": "Status"},
    "status_value": {
        "kk": "Қабылданды, есепке алынуда",
        "ru": "Принят, зачисляется",
        "en": "Accepted, being credited",
    },
    "held_amount": {
        "kk": "Қайтаруға ұсталды",
        "ru": "Удержано для возврата",
        "en": "Held for refund",
    },
    "status_held": {"kk": "Есепке алынбады", "ru": "Не зачислен", "en": "Not credited"},
    "below_minimum": {
        "kk": "Сома ең аз төлемнен (%1) аз: ақша қайтару үшін ұсталып тұр.",
        "ru": "Сумма меньше минимальной (%1): деньги удержаны для возврата.",
        "en": "Below the minimum payment (%1): the money is held for a refund.",
    },
    "rejected": {
        "kk": "Алушы төлемді қабылдамады: ақша қайтару үшін ұсталып тұр.",
        "ru": "Получатель не принял платёж: деньги удержаны для возврата.",
        "en": "The recipient did not accept the payment: the money is held for a refund.",
    },
    "held_call": {
        "kk": "Түбіртекті сақтап, қолдау қызметіне қоңырау шалыңыз:",
        "ru": "Сохраните квитанцию и позвоните в службу поддержки:",
        "en": "Keep this receipt and call support:",
    },
    "recovered": {
        "kk": "Үзілген төлем аяқталды",
        "ru": "Прерванный платёж завершён",
        "en": "Interrupted payment completed",
    },
    "operator": {"kk": "Оператор", "ru": "Оператор", "en": "Operator"},
    "operator_phone": {
        "kk": "Оператор телефоны",
        "ru": "Телефон оператора",
        "en": "Operator phone",
    },
    "operator_support": {
        "kk": "Оператордың қолдау қызметі",
        "ru": "Техподдержка оператора",
        "en": "Operator tech support",
    },
    "support": {"kk": "Қолдау қызметі", "ru": "Служба поддержки", "en": "Support"},
    "keep": {"kk": "Түбіртекті сақтаңыз", "ru": "Сохраняйте квитанцию", "en": "Keep this receipt"},
    "encashment_title": {
        "kk": "ИНКАССАЦИЯ ТҮБІРТЕГІ",
        "ru": "КВИТАНЦИЯ ИНКАССАЦИИ",
        "en": "ENCASHMENT RECEIPT",
    },
    "encashment": {"kk": "Инкассация №", "ru": "Инкассация №", "en": "Encashment No."},
    "cassette": {"kk": "Кассета", "ru": "Кассета", "en": "Cassette"},
    "technician": {"kk": "Техник", "ru": "Техник", "en": "Technician"},
    "period": {"kk": "Кезең", "ru": "Период", "en": "Period"},
    "notes_by_denomination": {
        "kk": "Номинал бойынша купюралар",
        "ru": "Купюры по номиналам",
        "en": "Notes by denomination",
    },
    "notes_total": {"kk": "Купюралар саны", "ru": "Всего купюр", "en": "Notes in total"},
    "amount_total": {"kk": "Жалпы сома", "ru": "Итого сумма", "en": "Total amount"},
    "cassette_unreported": {
        "kk": "құрылғы хабарламайды",
        "ru": "устройство не сообщает",
        "en": "not reported by the device",
    },
    "counted": {"kk": "Саналған сома", "ru": "Пересчитано", "en": "Counted"},
    "difference": {"kk": "Айырма", "ru": "Расхождение", "en": "Difference"},
}


def label(key: str, language: Language) -> str:
    return LABELS[key][language]


@dataclass(frozen=True, slots=True)
class ReceiptFields:
    receipt_number: int
    operation_id: str
    paid_at_ms: int
    terminal_id: str
    terminal_address: str
    agent_name: str
    agent_bin: str
    support_phone: str
    service_id: str
    service_name: str
    operator_name: str
    operator_bin: str | None
    operator_phone: str
    account: str
    inserted: int
    commission: int
    credited: int
    currency: str
    recovered: bool
    status_url: str | None = None
    # Completed below the service minimum (a timeout): the ledger holds the cash for a
    # refund, so the paper never says "being credited" (docs/decisions/029).
    below_minimum: bool = False
    min_amount: int = 0
    # Known only when a copy is printed after the ledger rejected the payment (a duplicate
    # from the status screen or the service menu); never stored true.
    rejected: bool = False
    # The operator's technical support line where it names one (WMK); receipts stored
    # before the field have none.
    operator_support_phone: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReceiptFields:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)

    def local_time(self) -> str:
        moment = datetime.fromtimestamp(self.paid_at_ms / 1000, UTC).astimezone(KZ_TIME)
        return moment.strftime("%d.%m.%Y %H:%M:%S")


def printed_sign(language: Language) -> str:
    """The currency as a receipt prints it: no code page has ₸."""
    return "KZT" if language == "en" else "тг"


def _pair(left: str, right: str, width: int) -> list[str]:
    """``left ....... right`` on one line, or two lines when they do not fit."""
    if len(left) + 1 + len(right) <= width:
        return [left + " " * (width - len(left) - len(right)) + right]
    return [left, right.rjust(width)]


def render_text(
    fields: ReceiptFields,
    language: Language,
    *,
    width: int = 42,
    duplicate: bool = False,
    currency_sign: str | None = None,
) -> str:
    """Lay the receipt out as plain text lines of at most ``width`` characters.

    ``currency_sign`` defaults to ``тг`` (``KZT`` in English): no printer code page has
    the tenge sign.
    """

    def money(tiyn: int) -> str:
        sign = currency_sign or printed_sign(language)
        return Money(tiyn).format(language, sign=sign).replace("\u00a0", " ")

    rule = "-" * width
    lines: list[str] = []
    if duplicate:
        lines.append(label("duplicate", language).center(width))
    lines.append(label("title", language).center(width))
    lines.append(fields.agent_name[:width])
    lines += _pair(label("bin", language), fields.agent_bin, width)
    lines += _pair(label("terminal", language), fields.terminal_id, width)
    lines.append(f"{label('address', language)}: {fields.terminal_address}"[: width * 2])
    lines.append(rule)
    lines += _pair(label("receipt_number", language), str(fields.receipt_number), width)
    lines += _pair(label("date", language), fields.local_time(), width)
    lines.append(f"{label('operation', language)}:")
    lines.append(fields.operation_id)
    lines += _pair(label("service", language), fields.service_name, width)
    lines += _pair(label("account", language), fields.account, width)
    lines.append(rule)
    lines += _pair(label("inserted", language), money(fields.inserted), width)
    if fields.below_minimum or fields.rejected:
        # The ledger takes no commission and credits nothing: the whole cash is held.
        lines += _pair(label("held_amount", language), money(fields.inserted), width)
    else:
        lines += _pair(label("commission", language), money(fields.commission), width)
        lines += _pair(label("credited", language), money(fields.credited), width)
    lines += _status_lines(fields, language, width, money)
    if fields.recovered:
        lines.append(label("recovered", language))
    lines.append(rule)
    lines += _pair(label("operator", language), fields.operator_name, width)
    if fields.operator_bin:
        lines += _pair(label("bin", language), fields.operator_bin, width)
    if fields.operator_phone:
        lines += _pair(label("operator_phone", language), fields.operator_phone, width)
    if fields.operator_support_phone:
        lines += _pair(label("operator_support", language), fields.operator_support_phone, width)
    lines += _pair(label("support", language), fields.support_phone, width)
    lines.append(label("keep", language).center(width))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _status_lines(
    fields: ReceiptFields, language: Language, width: int, money: Callable[[int], str]
) -> list[str]:
    """What the paper can know when it is printed: accepted and being credited, or, below
    the minimum, not credited and held for a refund with the support phone to call."""
    if not (fields.below_minimum or fields.rejected):
        return _pair(label("status", language), label("status_value", language), width)
    lines = _pair(label("status", language), label("status_held", language), width)
    if fields.below_minimum:
        why = label("below_minimum", language).replace("%1", money(fields.min_amount))
    else:
        why = label("rejected", language)
    lines += textwrap.wrap(why, width)
    lines += textwrap.wrap(label("held_call", language), width)
    lines.append(fields.support_phone.rjust(width))
    return lines


@dataclass(frozen=True, slots=True)
class EncashmentFields:
    """What an encashment receipt shows: the cassette's notes over a period."""

    encashment_id: str
    terminal_id: str
    terminal_address: str
    agent_name: str
    cassette_id: str
    technician_id: str
    period_start_ms: int
    period_end_ms: int
    notes: tuple[tuple[int, int], ...]  # (denomination in tiyn, count), any order
    currency: str = "KZT"
    # What the technician counted by hand, in tiyn; None for an encashment taken without a
    # count (older records). The ledger's report has no such field: it lives here and in the log.
    counted: int | None = None

    @property
    def difference(self) -> int | None:
        """Counted minus recorded (negative: less cash in the cassette than recorded)."""
        return None if self.counted is None else self.counted - self.total_amount

    @property
    def total_count(self) -> int:
        return sum(count for _, count in self.notes)

    @property
    def total_amount(self) -> int:
        return sum(denomination * count for denomination, count in self.notes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> EncashmentFields:
        data: dict[str, Any] = json.loads(text)
        data["notes"] = tuple((int(d), int(c)) for d, c in data["notes"])
        return cls(**data)


def _local(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(KZ_TIME).strftime("%d.%m.%Y %H:%M")


def render_encashment_text(
    fields: EncashmentFields,
    language: Language,
    *,
    width: int = 42,
    currency_sign: str | None = None,
) -> str:
    """Lay the encashment receipt out as plain text lines of at most ``width`` characters."""

    def money(tiyn: int) -> str:
        sign = currency_sign or printed_sign(language)
        return Money(tiyn).format(language, sign=sign).replace("\u00a0", " ")

    rule = "-" * width
    lines = [label("encashment_title", language).center(width), fields.agent_name[:width]]
    lines += _pair(label("terminal", language), fields.terminal_id, width)
    lines.append(f"{label('address', language)}: {fields.terminal_address}"[: width * 2])
    lines.append(rule)
    lines.append(f"{label('encashment', language)}:")
    lines.append(fields.encashment_id)
    cassette = fields.cassette_id or label("cassette_unreported", language)
    lines += _pair(label("cassette", language), cassette, width)
    lines += _pair(label("technician", language), fields.technician_id, width)
    lines.append(f"{label('period', language)}:")
    lines.append(f"{_local(fields.period_start_ms)} - {_local(fields.period_end_ms)}")
    lines.append(rule)
    lines.append(label("notes_by_denomination", language))
    for denomination, count in sorted(fields.notes, reverse=True):
        lines += _pair(f"{money(denomination)} x {count}", money(denomination * count), width)
    lines.append(rule)
    lines += _pair(label("notes_total", language), str(fields.total_count), width)
    lines += _pair(label("amount_total", language), money(fields.total_amount), width)
    difference = fields.difference
    if fields.counted is not None and difference is not None:
        lines += _pair(label("counted", language), money(fields.counted), width)
        sign = "+" if difference > 0 else ("-" if difference < 0 else "")
        lines += _pair(label("difference", language), sign + money(abs(difference)), width)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def status_link(status_url: str | None, operation_id: str) -> str:
    """The operation id, inside the status-check address when one is configured: what the
    receipt's QR code and the end screen's QR code carry."""
    if not status_url:
        return operation_id
    if "{operation_id}" in status_url:
        return status_url.replace("{operation_id}", operation_id)
    return f"{status_url}{'&' if '?' in status_url else '?'}op={operation_id}"
