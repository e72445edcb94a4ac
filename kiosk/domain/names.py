"""A name in the customer's language: operators, the agent, the terminal's address.

Catalog and configuration files give such a name either as one string (older files, and a
name that is the same in every language) or as an object ``{"kk": …, "ru": …, "en": …}``.
A screen or a receipt asks for the name in its language and gets the one string when the
file gave one. Both readers (kiosk.domain.catalog, kiosk.config) build it here, so the two
file kinds accept the same shapes and refuse the same mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.money import LANGUAGES, Language


class LocalNameError(ValueError):
    """A name that is neither a string nor a complete kk/ru/en object (what is wrong)."""


@dataclass(frozen=True, slots=True)
class LocalName:
    """One name in kk, ru and en; ``given`` is what a language without its own name shows
    (the one string of an older file; the Russian name of an object)."""

    given: str
    kk: str = ""
    ru: str = ""
    en: str = ""

    def in_language(self, language: Language) -> str:
        """The name as a customer reading ``language`` sees it."""
        local: str = getattr(self, language, "") if language in LANGUAGES else ""
        return local or self.given

    def __str__(self) -> str:
        return self.given


def read_local_name(value: object) -> LocalName:
    """A file's name value: a non-empty string, or an object with exactly kk, ru and en,
    each a non-empty string. ``LocalNameError`` says what is wrong otherwise."""
    if isinstance(value, str):
        if not value.strip():
            raise LocalNameError("must not be empty")
        return LocalName(value.strip())
    if not isinstance(value, Mapping):
        raise LocalNameError(
            'expected a string or an object {"kk": …, "ru": …, "en": …}, '
            f"got {type(value).__name__}"
        )
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        raise LocalNameError(f"unknown language {unknown[0]!r}: give kk, ru and en")
    names: dict[str, str] = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise LocalNameError(
                f"the {language} name is missing or empty: give kk, ru and en "
                "(or one string for every language)"
            )
        names[language] = text.strip()
    return LocalName(names["ru"], kk=names["kk"], ru=names["ru"], en=names["en"])
