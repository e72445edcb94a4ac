"""The layers of docs/decisions/027-layers.md, read from the imports of every module.

Each contract names who may not import whom; a violation names the importing module, the line
and the imported module. ``make lint`` runs this file, so a change that crosses a layer does
not land. Imports under ``if TYPE_CHECKING:`` are annotations only and are not counted; imports
inside functions are counted for the layer contracts (they load the module all the same) but
not for cycles (they do not run at import time).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "drivers", "ui", "sync")
STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (absolute)
    line: int
    top_level: bool  # runs when the module is imported


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[Import]:
    def walk(node: ast.AST, top: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                yield from (i for n in child.orelse for i in walk(n, top))
                continue
            inner = top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, top)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module if is_package else module.rpartition(".")[0]
                    for _ in range(child.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                for alias in child.names:
                    # ``from pkg import mod`` imports pkg.mod when that is a module.
                    candidate = f"{base}.{alias.name}"
                    target = candidate if _is_module(candidate) else base
                    yield Import(module, target, child.lineno, top)
            yield from walk(child, inner)

    yield from walk(tree, True)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def project_imports() -> list[Import]:
    found: list[Import] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            found.extend(_imports(tree, module_name(path), path.name == "__init__.py"))
    return found


IMPORTS = project_imports()


def within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@dataclass(frozen=True)
class Contract:
    """Modules ``source`` (minus ``except_source``) may not import ``forbidden``."""

    name: str
    source: tuple[str, ...]
    forbidden: tuple[str, ...]
    except_source: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()

    def violations(self) -> list[str]:
        return sorted(
            {
                f"{i.module}:{i.line} imports {i.target}"
                for i in IMPORTS
                if within(i.module, *self.source)
                and not within(i.module, *self.except_source)
                and within(i.target, *self.forbidden)
                and not within(i.target, *self.allowed)
            }
        )


SIMULATION = ("kiosk.sim", "drivers.sim")
CONTRACTS = (
    Contract(
        "the domain is pure: nothing of the project outside it",
        ("kiosk.domain",),
        ("kiosk", "drivers", "ui", "sync"),
        allowed=("kiosk.domain",),
    ),
    Contract(
        "the ledger imports nothing of the kiosk but the domain",
        ("sync.ledger",),
        ("kiosk", "ui", "drivers"),
        allowed=("kiosk.domain",),
    ),
    Contract("drivers talk to hardware only", ("drivers",), ("kiosk", "ui", "sync")),
    Contract(
        "real drivers never import the simulators",
        ("drivers",),
        ("drivers.sim",),
        except_source=("drivers.sim",),
    ),
    Contract(
        "the application imports no UI and no simulation",
        ("kiosk",),
        ("ui", *SIMULATION),
        except_source=("kiosk.sim", "kiosk.cli"),
    ),
    Contract(
        "the kiosk's sync side imports no UI and no simulation", ("sync",), ("ui", *SIMULATION)
    ),
    Contract(
        "the kiosk's sync side uses the domain, the store and the account-check port only",
        ("sync",),
        ("kiosk",),
        except_source=("sync.ledger",),
        allowed=("kiosk.domain", "kiosk.store", "kiosk.checks"),
    ),
    Contract("the screens import no simulation and no CLI", ("ui",), (*SIMULATION, "kiosk.cli")),
)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_layer_contract_holds(contract: Contract) -> None:
    assert contract.violations() == []


def test_the_domain_needs_only_the_standard_library() -> None:
    third_party = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in IMPORTS
        if within(i.module, "kiosk.domain") and i.target.partition(".")[0] not in {*STDLIB, "kiosk"}
    ]
    assert third_party == []


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        if not i.top_level or not within(i.target, *PACKAGES) or i.target == i.module:
            continue
        # A package's __init__ importing its own submodules is how packages re-export.
        if within(i.target, i.module):
            continue
        graph.setdefault(i.module, set()).add(i.target)
    assert _cycle(graph) is None


def test_the_checker_sees_a_violation_and_a_cycle() -> None:
    """The contracts cannot pass vacuously: the scan finds imports, and a planted cycle and a
    planted crossing are reported."""
    assert len(IMPORTS) > 500
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None
    tree = ast.parse("from kiosk.sim import day\nif TYPE_CHECKING:\n    import ui.window\n")
    seen = list(_imports(tree, "kiosk.core", False))
    assert [(i.target, i.top_level) for i in seen] == [("kiosk.sim.day", True)]
