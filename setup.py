"""Build step: compile the screen catalogues (``ui/i18n/*.ts``) to ``.qm`` when the package is
built, so an installed kiosk never runs Qt's lrelease. Everything else is in pyproject.toml."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE_DIR = Path(__file__).resolve().parent
CATALOGUE_DIR = Path("ui") / "i18n"


class TranslationsError(Exception):
    """The catalogues cannot be compiled; a kiosk built without them would speak only English."""


def catalogues(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Every catalogue the build compiles, relative to ``source_dir``."""
    return sorted(p.relative_to(source_dir) for p in (source_dir / CATALOGUE_DIR).glob("*.ts"))


def find_lrelease() -> Path:
    """Qt's lrelease inside the PySide6 of the build environment (a build requirement)."""
    spec = importlib.util.find_spec("PySide6")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "lrelease"
        if binary.is_file():
            return binary
    # The console script wraps the same binary; used when PySide6 lives elsewhere on PATH.
    script = shutil.which("pyside6-lrelease")
    if script is None:
        raise TranslationsError(
            "Qt's lrelease is not in the build environment; "
            "install pyside6-essentials there (a build requirement)"
        )
    return Path(script)


def compile_catalogues(source_dir: Path, target_dir: Path) -> list[Path]:
    """``source_dir/ui/i18n/<lang>.ts`` → ``target_dir/ui/i18n/<lang>.qm``; the written files."""
    lrelease = find_lrelease()
    written = []
    for ts in catalogues(source_dir):
        qm = (target_dir / ts).with_suffix(".qm")
        qm.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(lrelease), "-silent", str(source_dir / ts), "-qm", str(qm)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not qm.is_file():
            raise TranslationsError(f"lrelease could not compile {ts}: {done.stderr.strip()}")
        written.append(qm)
    return written


class BuildPyWithCatalogues(build_py):
    """``build_py`` that also writes the compiled catalogues next to the UI package."""

    def run(self) -> None:
        super().run()
        # An editable install runs from the checkout: compile there, as `make translations` does.
        target = SOURCE_DIR if self.editable_mode else Path(self.build_lib)
        compile_catalogues(SOURCE_DIR, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            outputs += [str(Path(self.build_lib) / ts.with_suffix(".qm")) for ts in catalogues()]
        return outputs


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPyWithCatalogues})
