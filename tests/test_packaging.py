"""What the wheel declares, checked against the source tree: every resource the kiosk reads at
run time is package data, every third-party import is a declared dependency, and the ledger
needs no kiosk-only one. (`.ci/wheel-check` builds, installs and runs the real wheel.)"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "drivers", "ui", "sync")
COMES_WITH = {"shiboken6": "pyside6-essentials"}

# Files the kiosk opens at run time, by kind: (package, folder inside it, glob).
RUNTIME_RESOURCES = {
    "QML": ("ui", "qml", "**/*.qml"),
    "fonts": ("ui", "fonts", "*"),
    "catalog and example configuration": ("kiosk", "data", "*"),
    "kiosk store migrations": ("kiosk", "store/migrations", "**/*"),
    "ledger migrations": ("sync", "ledger/migrations", "**/*"),
}


@cache
def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def declared_package_data(package: str) -> set[Path]:
    """The files the package-data globs of pyproject.toml select (setuptools' glob rules)."""
    patterns = pyproject()["tool"]["setuptools"]["package-data"].get(package, [])
    return {p for pattern in patterns for p in (ROOT / package).glob(pattern) if p.is_file()}


def load_setup_script() -> ModuleType:
    """setup.py as a module (its ``setup()`` call runs only as ``__main__``)."""
    spec = importlib.util.spec_from_file_location("kiosk_setup_script", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, requirement
        names.add(normalized(match.group()))
    return names


def declared_dependencies(*extras: str) -> set[str]:
    project = pyproject()["project"]
    names = requirement_names(project["dependencies"])
    for extra in extras:
        names |= requirement_names(project["optional-dependencies"][extra])
    return names


def third_party_imports(folder: Path) -> dict[str, Path]:
    """Top-level third-party module → one file importing it, for every module under folder."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in PACKAGES:
                    found.setdefault(top, path.relative_to(ROOT))
    return found


@cache
def installed_distributions() -> dict[str, list[str]]:
    return dict(metadata.packages_distributions())


def distributions_providing(module: str) -> set[str]:
    return {normalized(d) for d in installed_distributions().get(module, [])}


def is_declared(module: str, declared: set[str]) -> bool:
    """Imported code is declared by name; only PySide6's own binding runtime comes with it."""
    return bool(distributions_providing(module) & declared) or COMES_WITH.get(module) in declared


@pytest.mark.parametrize("kind", sorted(RUNTIME_RESOURCES))
def test_every_runtime_resource_is_package_data(kind: str) -> None:
    package, folder, pattern = RUNTIME_RESOURCES[kind]
    in_tree = {
        p
        for p in (ROOT / package / folder).glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert in_tree, f"no {kind} found under {package}/{folder}"
    left_out = sorted(str(p.relative_to(ROOT)) for p in in_tree - declared_package_data(package))
    assert not left_out, f"{kind} the wheel would not carry; add them to package-data: {left_out}"


def test_the_font_licence_travels_with_the_fonts() -> None:
    assert ROOT / "ui" / "fonts" / "LICENSE" in declared_package_data("ui")


def test_the_build_compiles_every_translation_catalogue() -> None:
    sources = sorted(p.relative_to(ROOT) for p in (ROOT / "ui" / "i18n").glob("*.ts"))
    assert len(sources) >= 3
    assert load_setup_script().catalogues(ROOT) == sources
    # The sources reach the sdist (the build step needs them), not the installed kiosk.
    manifest = (ROOT / "MANIFEST.in").read_text()
    assert "recursive-include ui/i18n *.ts" in manifest
    excluded = pyproject()["tool"]["setuptools"]["exclude-package-data"]
    assert "i18n/*.ts" in excluded["ui"]


def test_every_third_party_import_is_a_declared_dependency() -> None:
    declared = declared_dependencies("kiosk", "ledger")
    undeclared = {}
    for package in PACKAGES:
        for module, where in third_party_imports(ROOT / package).items():
            if not is_declared(module, declared):
                undeclared[module] = str(where)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_the_ledger_imports_nothing_from_the_kiosk_extra() -> None:
    kiosk_only = declared_dependencies("kiosk") - declared_dependencies("ledger")
    imported = third_party_imports(ROOT / "sync" / "ledger")
    wrong = {
        module: str(where) for module, where in imported.items() if is_declared(module, kiosk_only)
    }
    assert not wrong, f"the ledger would need the [kiosk] extra for: {wrong}"


def test_dev_installs_both_sides() -> None:
    dev = pyproject()["project"]["optional-dependencies"]["dev"]
    assert any(re.fullmatch(r"kiosk-terminal\[(kiosk,ledger|ledger,kiosk)\]", r) for r in dev)
