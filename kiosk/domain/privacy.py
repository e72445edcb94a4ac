"""Masking of account numbers for screens, receipts and logs (personal data, offer §8.3)."""

from __future__ import annotations

import re

_PHONE = re.compile(r"\+?7[\s\-()]*(7\d{2})[\s\-()]*(\d{3})[\s\-()]*(\d{2})[\s\-()]*(\d{2})")
_PURSE = re.compile(r"\b([KkКк])(\d{12})\b")


def mask_account(account: str) -> str:
    """``+77011234567`` → ``+7 701 *** ** 67``; ``K123456789012`` → ``K 1234 **** **12``
    (grouped as the screens show a purse, decision 028).

    Anything else keeps its first and last two characters.
    """
    phone = _PHONE.fullmatch(account.strip())
    if phone:
        return f"+7 {phone[1]} *** ** {phone[4]}"
    purse = _PURSE.fullmatch(account.strip())
    if purse:
        digits = purse[2]
        return _masked_purse(purse[1], digits)
    if len(account) <= 4:
        return "*" * len(account)
    return account[:2] + "*" * (len(account) - 4) + account[-2:]


def _masked_purse(letter: str, digits: str) -> str:
    return f"{letter.upper()} {digits[:4]} **** **{digits[-2:]}"


def redact(text: str) -> str:
    """Mask every phone number or WMK purse found inside free text (log safety net)."""
    text = _PHONE.sub(lambda m: f"+7 {m[1]} *** ** {m[4]}", text)
    return _PURSE.sub(lambda m: _masked_purse(m[1], m[2]), text)


class LookupLocked(Exception):
    """Too many look-ups found nothing lately: the status screen waits before the next."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"payment look-ups paused for {seconds} s after repeated misses")
        self.seconds = seconds


class LookupThrottle:
    """A growing pause on the status screen after look-ups that found nothing, so nobody
    steps through receipt numbers: FREE_MISSES misses within WINDOW_S cost nothing, then
    each further miss pauses look-ups for FIRST_PAUSE_S, doubling, at most MAX_PAUSE_S.
    A hit does not reset the count (one's own receipt would otherwise buy more guesses);
    misses older than WINDOW_S are forgotten. Times are monotonic seconds."""

    FREE_MISSES = 3
    FIRST_PAUSE_S = 30
    MAX_PAUSE_S = 30 * 60
    WINDOW_S = 3600.0

    def __init__(self) -> None:
        self._misses: list[float] = []
        self._until = float("-inf")

    def check(self, now: float) -> None:
        """Raise LookupLocked while a pause runs."""
        if now < self._until:
            raise LookupLocked(max(1, int(self._until - now + 0.999)))

    def missed(self, now: float) -> None:
        self._misses = [at for at in self._misses if now - at < self.WINDOW_S] + [now]
        over = len(self._misses) - self.FREE_MISSES
        if over > 0:
            pause = min(self.MAX_PAUSE_S, self.FIRST_PAUSE_S * 2 ** min(over - 1, 16))
            self._until = now + pause
