"""Masking of account numbers for screens, receipts and logs (personal data, offer §8.3)."""

from __future__ import annotations

import re

_PHONE = re.compile(r"\+?7[\s\-()]*(7\d{2})[\s\-()]*(\d{3})[\s\-()]*(\d{2})[\s\-()]*(\d{2})")
_PURSE = re.compile(r"\b([KkКк])(\d{12})\b")


def mask_account(account: str) -> str:
    """``+77011234567`` → ``+7 701 *** ** 67``; ``K123456789012`` → ``K1234******12``.

    Anything else keeps its first and last two characters.
    """
    phone = _PHONE.fullmatch(account.strip())
    if phone:
        return f"+7 {phone[1]} *** ** {phone[4]}"
    purse = _PURSE.fullmatch(account.strip())
    if purse:
        digits = purse[2]
        return f"{purse[1].upper()}{digits[:4]}******{digits[-2:]}"
    if len(account) <= 4:
        return "*" * len(account)
    return account[:2] + "*" * (len(account) - 4) + account[-2:]


def redact(text: str) -> str:
    """Mask every phone number or WMK purse found inside free text (log safety net)."""
    text = _PHONE.sub(lambda m: f"+7 {m[1]} *** ** {m[4]}", text)
    return _PURSE.sub(lambda m: f"{m[1].upper()}{m[2][:4]}******{m[2][-2:]}", text)
