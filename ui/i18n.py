"""Screen languages through Qt Linguist catalogues: ``ui/i18n/<lang>.ts`` in the repo, ``.qm``
built by ``make translations`` (a wheel carries only the ``.qm``, compiled when it is built); in a
checkout a catalogue not yet built is compiled into a cache on first use."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.domain.money import Language

# QTranslator.load takes a file name: the packaged catalogues stay on disk while the process runs.
_FILES = contextlib.ExitStack()
atexit.register(_FILES.close)
I18N_DIR: Path = _FILES.enter_context(resources.as_file(resources.files("ui") / "i18n"))
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")


class CatalogueError(Exception):
    """A translation catalogue is missing or unreadable."""


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → translation for every finished message of a ``.ts`` file."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - our own catalogue files
    except (OSError, ET.ParseError) as exc:
        raise CatalogueError(f"cannot read translation catalogue {path}: {exc}") from exc
    messages: dict[tuple[str, str], str] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            node = message.find("translation")
            if node is None or node.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            messages[(name, source)] = node.text or ""
    return messages


def lrelease_binary() -> Path:
    """Qt's catalogue compiler, shipped inside the PySide6 wheel."""
    import PySide6

    binary = Path(PySide6.__file__).resolve().parent / "lrelease"
    if not binary.exists():
        raise CatalogueError(f"Qt's lrelease is missing at {binary}; reinstall PySide6")
    return binary


def compile_catalogue(ts: Path, qm: Path) -> None:
    """``.ts`` → ``.qm`` with lrelease (what ``make translations`` runs)."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(lrelease_binary()), "-silent", str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not qm.exists():
        raise CatalogueError(f"lrelease could not compile {ts}: {done.stderr.strip()}")


def _cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"kiosk-ui-i18n-{os.getuid()}"


def load_translator(language: Language) -> QTranslator:
    """The catalogue of a language: its built ``.qm`` when fresh, else one compiled from
    its ``.ts`` into a cache (a checkout without ``make translations`` still speaks)."""
    ts = I18N_DIR / f"{language}.ts"
    qm = I18N_DIR / f"{language}.qm"
    if not ts.exists():
        if not qm.exists():
            raise CatalogueError(f"translation catalogue {qm} is missing; reinstall the kiosk UI")
    elif not (qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime):
        digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
        qm = _cache_dir() / f"{language}-{digest}.qm"
        if not qm.exists():
            compile_catalogue(ts, qm)
    translator = QTranslator()
    if not translator.load(str(qm)):
        raise CatalogueError(f"Qt cannot load the compiled catalogue {qm}")
    return translator


class LanguageSwitch:
    """Keeps exactly one screen catalogue installed on the application."""

    def __init__(self) -> None:
        self._current: QTranslator | None = None
        self._cache: dict[str, QTranslator] = {}

    def install(self, language: Language) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QGuiApplication before choosing a language")
        if self._current is not None:
            app.removeTranslator(self._current)
        translator = self._cache.get(language)
        if translator is None:
            translator = self._cache[language] = load_translator(language)
        app.installTranslator(translator)
        self._current = translator


def tr(context: str, source: str) -> str:
    """Translate a string the Python side shows (marked for the catalogue by ``context``)."""
    return QCoreApplication.translate(context, source)
