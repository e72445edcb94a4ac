"""Printer profiles: paper width, columns, and which code pages each model really has.

Each profile also builds the python-escpos profile object the library encodes with, limited
to the code pages the device has, so the library can never pick one the printer lacks.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from escpos import capabilities

from drivers.printer.codepages import CP866, CP1251, KZ1048, CodePage, install_kz1048


class UnknownProfileError(ValueError):
    """The configured printer profile is not in the table."""


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """A printer model as the driver sees it."""

    name: str
    paper_mm: int
    columns: int
    dots: int  # printable width in dots
    code_pages: tuple[CodePage, ...]
    base: str  # python-escpos profile the features come from

    @property
    def text_page(self) -> CodePage:
        """The code page receipts are printed in: KZ-1048 when present, else the first."""
        return KZ1048 if KZ1048 in self.code_pages else self.code_pages[0]

    @property
    def has_kazakh(self) -> bool:
        return KZ1048 in self.code_pages

    def escpos_profile(self) -> Any:
        """A python-escpos profile object with exactly this model's code pages and columns."""
        install_kz1048()
        data = copy.deepcopy(capabilities.CAPABILITIES["profiles"][self.base])
        data["codePages"] = {str(page.number): page.name for page in self.code_pages}
        data["fonts"] = {"0": {"name": "Font A", "columns": self.columns}}
        data["media"] = {
            "dpi": 203 if self.paper_mm == 58 else 180,
            "width": {"mm": self.paper_mm, "pixels": self.dots},
        }
        features = dict(data.get("features", {}))
        features.update({"paperFullCut": True, "qrCode": True})
        data["features"] = features
        # python-escpos accepts only instances of its Profile class as a ready-made profile.
        cls = type(
            f"Kiosk{capabilities.clean(self.name)}Profile",
            (capabilities.Profile,),
            {"profile_data": data},
        )
        return cls(columns=self.columns, features=features)


PROFILES: dict[str, PrinterProfile] = {
    profile.name.lower(): profile
    for profile in (
        PrinterProfile("TM-T88V", 80, 42, 512, (KZ1048, CP866, CP1251), "TM-T88V"),
        PrinterProfile("TM-T20II", 80, 48, 576, (KZ1048, CP866, CP1251), "TM-T20II"),
        PrinterProfile("TM-T88IV", 80, 42, 512, (CP866,), "TM-T88IV"),
        PrinterProfile("generic-80", 80, 48, 576, (CP866, CP1251), "default"),
        PrinterProfile("generic-58", 58, 32, 384, (CP866, CP1251), "ZJ-5870"),
    )
}


def get_profile(name: str) -> PrinterProfile:
    """Look a profile up by name (case-insensitive)."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        known = ", ".join(profile.name for profile in PROFILES.values())
        raise UnknownProfileError(
            f"unknown printer profile {name!r}; known profiles: {known}"
        ) from None
