"""A scripted customer journey: the file ``kiosk journey`` plays on the real kiosk window.

A journey is a JSON object ``{"language": "ru", "wallets": [...], "steps": [...]}``; each step
is an object with one word (``{"press": "pay"}``). This module reads and checks the file
before anything runs (a bad file is refused whole, with the step number and what is wrong)
and names what the steps mean; the window part that plays them is
:mod:`kiosk.sim.ui.journey_player` (it needs Qt, this module does not).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.domain.catalog import Catalog

LANGUAGES = ("kk", "ru", "en")
MAX_IDLE_S = 3600  # an hour of simulated time in one step is plenty
MAX_TENGE = 1_000_000

# What a ``press`` word taps: the QML objectNames of the button it means, the first one
# visible on the current screen wins (``continue`` is "I am still here" under the countdown,
# "Insert cash" on the checked number's screen; ``next`` is "Check" on the status screen).
PRESS: dict[str, tuple[str, ...]] = {
    "next": ("nextButton", "lookUpButton"),
    "confirm": ("confirmButton",),
    "edit": ("editButton",),
    "cancel": ("cancelButton",),
    "pay": ("payButton",),
    "back": ("backButton",),
    "done": ("doneButton",),
    "info": ("infoButton",),
    "status": ("statusButton",),
    "no_receipt": ("withoutReceiptButton",),
    "continue": ("stillHereButton", "insertCashButton"),
    # The wrong-operator warning's way out: the category's operators, to start again.
    "other_operator": ("otherOperatorButton",),
    # A category's tiles from the start screen (to read them: ``choose`` passes them by).
    "ewallet": ("category_ewallet",),
    "mobile": ("category_mobile",),
    # The service menu (after {"service": "open"}): Enter on the PIN pad, the encashment's
    # steps ("collect" starts it from the status page and collects on its confirm page),
    # the confirmation's Yes/No, and the way back to the customers.
    "enter": ("pinEnter",),
    "collect": ("encashConfirmButton", "encashButton"),
    "count": ("encashCountButton",),
    "check": ("encashReviewButton",),
    "finish": ("encashBackButton",),
    "refresh": ("refreshButton",),
    "send_now": ("sendNowButton",),
    "restart": ("restartButton",),
    "exit_kiosk": ("exitKioskButton",),
    "yes": ("confirmYes",),
    "no": ("confirmNo",),
    "leave_service": ("serviceExit", "pinCancel"),
}
# {"service": "open"}: the hidden corner held, the PIN pad up (the demo technician, number 1
# with PIN 135790, is registered when no technician is).
SERVICE_WORDS = ("open",)
FAULTS = ("jam", "clear", "paper_out", "paper_ok", "ledger_down", "ledger_up")
EXPECTATIONS = ("expect_screen", "expect_text", "expect_no_text")
TEXT_EXPECTATIONS = ("expect_text", "expect_no_text")
ACTIONS = ("choose", "type", "press", "insert", "fault", "idle", "service")
WORDS = (*ACTIONS, *EXPECTATIONS)
# The screens a journey can meet (``kiosk.screen`` of the window; ``service`` while the
# service menu is open).
SCREENS = (
    "idle",
    "catalog",
    "info",
    "status",
    "entry",
    "confirm",
    "checked",
    "cash",
    "printing",
    "thanks",
    "out_of_service",
    "service",
)
_TYPED = re.compile(r"[0-9A-Za-z]+")


class JourneyFileError(ValueError):
    """A journey file that cannot be played; the message says where and what (exit 2)."""


class StepFailed(Exception):
    """A step that did not hold on the window (exit 1); the message names the step."""


@dataclass(frozen=True)
class Step:
    """One step: its word and its value (a service id, digits, a button word, tenge …)."""

    number: int  # 1-based, as the error messages and the report count
    word: str
    value: Any

    def as_json(self) -> dict[str, Any]:
        return {self.word: self.value}

    def label(self) -> str:
        return f"step {self.number} ({self.word} {json.dumps(self.value, ensure_ascii=False)})"


@dataclass(frozen=True)
class Journey:
    language: str
    wallets: tuple[Mapping[str, Any], ...] | None
    steps: tuple[Step, ...]
    # The language the file's expected texts are written in; ``language`` may differ when
    # a journey is replayed in another language to look at it (``kiosk journey --language``).
    written_in: str = ""

    def in_language(self, language: str) -> Journey:
        """The same journey played in ``language``; texts stay those of the file."""
        if language not in LANGUAGES:
            raise JourneyFileError(
                f"--language must be one of {', '.join(LANGUAGES)}, got {language!r}"
            )
        return dataclasses.replace(self, language=language)

    def checks_texts(self) -> bool:
        """Whether expect_text/expect_no_text can be checked: only in the file's language."""
        return self.language == (self.written_in or self.language)


def load_journey(path: Path, catalog: Catalog) -> Journey:
    """Read and check a journey file; JourneyFileError says what is wrong."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JourneyFileError(f"journey file {path} cannot be read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JourneyFileError(
            f"journey file {path} is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from exc
    return parse_journey(data, catalog, where=f"journey file {path}")


def parse_journey(data: Any, catalog: Catalog, *, where: str = "journey") -> Journey:
    """The journey in ``data`` (the file's JSON), checked against the kiosk's catalog."""
    if not isinstance(data, Mapping):
        raise JourneyFileError(f"{where}: expected a JSON object with 'language' and 'steps'")
    unknown = sorted(set(data) - {"language", "wallets", "steps"})
    if unknown:
        raise JourneyFileError(
            f"{where}: unknown key {unknown[0]!r} (a journey has language, wallets, steps)"
        )
    language = data.get("language")
    if language not in LANGUAGES:
        raise JourneyFileError(
            f"{where}: 'language' must be one of {', '.join(LANGUAGES)}, got {language!r}"
        )
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise JourneyFileError(f"{where}: 'steps' must be a non-empty list of steps")
    return Journey(
        language,
        _wallets(data.get("wallets"), where),
        tuple(_step(index + 1, raw, catalog, where) for index, raw in enumerate(steps)),
        written_in=language,
    )


def _wallets(raw: Any, where: str) -> tuple[Mapping[str, Any], ...] | None:
    """The wallet entries, as ``kiosk ledger serve --wallets`` reads them (checked there)."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(entry, Mapping) for entry in raw):
        raise JourneyFileError(
            f"{where}: 'wallets' must be a list of wallet objects (service, account, status, "
            "state, holder, balance), as in a 'kiosk ledger serve --wallets' file"
        )
    return tuple(raw)


def _step(number: int, raw: Any, catalog: Catalog, where: str) -> Step:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise JourneyFileError(
            f"{where}, step {number}: expected an object with one word, e.g. "
            f'{{"press": "next"}}, got {json.dumps(raw, ensure_ascii=False)}'
        )
    ((word, value),) = raw.items()
    if word not in WORDS:
        raise JourneyFileError(
            f"{where}, step {number}: unknown step word {word!r} (known: {', '.join(WORDS)})"
        )
    problem = _value_problem(word, value, catalog)
    if problem:
        raise JourneyFileError(f"{where}, step {number} ({word}): {problem}")
    return Step(number, word, value)


def _value_problem(word: str, value: Any, catalog: Catalog) -> str:
    """What is wrong with the step's value, or ""."""
    if word == "choose":
        ids = [service.id for service in catalog.services]
        return "" if value in ids else f"unknown service {value!r} (known: {', '.join(ids)})"
    check: Callable[[Any], str] = _CHECKS.get(word, _text)
    return check(value)


def _one_of(choices: tuple[str, ...] | dict[str, Any], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        return "" if value in choices else f"unknown {what} {value!r} (known: {', '.join(choices)})"

    return check


def _keys(value: Any) -> str:
    if isinstance(value, str) and _TYPED.fullmatch(value):
        return ""
    return f"expected a string of keypad keys (digits), got {value!r}"


def _tenge(value: Any) -> str:
    if _whole(value) and 0 < value <= MAX_TENGE:
        return ""
    return f"expected a note in whole tenge (1..{MAX_TENGE}), got {value!r}"


def _seconds(value: Any) -> str:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and 0 < value <= MAX_IDLE_S:
        return ""
    return f"expected simulated seconds (0 < s <= {MAX_IDLE_S}), got {value!r}"


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return ""
    return f"expected a non-empty string, got {value!r}"


_CHECKS: dict[str, Callable[[Any], str]] = {
    "type": _keys,
    "press": _one_of(PRESS, "button"),
    "insert": _tenge,
    "fault": _one_of(FAULTS, "fault"),
    "idle": _seconds,
    "service": _one_of(SERVICE_WORDS, "service action"),
    "expect_screen": _one_of(SCREENS, "screen"),
}


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_size(text: str) -> tuple[int, int]:
    """``1080x1920`` → (1080, 1920); JourneyFileError otherwise."""
    match = re.fullmatch(r"(\d{3,5})[xX](\d{3,5})", text.strip())
    if match is None:
        raise JourneyFileError(
            f"--size must be WIDTHxHEIGHT in pixels, e.g. 1080x1920, got {text!r}"
        )
    width, height = int(match[1]), int(match[2])
    if not (320 <= width <= 8192 and 320 <= height <= 8192):
        raise JourneyFileError(f"--size {text}: each side must be 320..8192 pixels")
    return width, height


def shot_name(step: Step) -> str:
    """The PNG of a step: its number and word (``03_press_next.png``)."""
    detail = re.sub(r"[^0-9A-Za-z_]+", "_", str(step.value))[:24].strip("_")
    return f"{step.number:02d}_{step.word}" + (f"_{detail}" if detail else "") + ".png"
