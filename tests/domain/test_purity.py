"""The domain is pure, and the ledger needs nothing of the kiosk but the domain (decision 023).

* Importing every ``kiosk.domain`` module loads no database, Qt, HTTP, serial or socket code
  and no kiosk module outside the domain (a fresh interpreter each time).
* No module of ``kiosk/domain`` imports anything that does I/O, even inside a function.
* ``sync/ledger`` imports from ``kiosk`` only ``kiosk.domain``.
* The real ledger serves ``/health`` and a signed payment in an interpreter where PySide6
  cannot be imported at all.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.catalog_file import load_catalog
from kiosk.domain.money import Money
from kiosk.domain.wire import PaymentWire
from sync.auth import signed_headers

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "kiosk" / "domain"
LEDGER = ROOT / "sync" / "ledger"

# What the domain may never load: databases, Qt, HTTP and serial links, sockets, the file
# system helpers, the ledger's web stack.
FORBIDDEN_LOADED = (
    "sqlalchemy",
    "alembic",
    "PySide6",
    "shiboken6",
    "requests",
    "httpx",
    "serial",
    "sqlite3",
    "_sqlite3",
    "socket",
    "_socket",
    "ssl",
    "fastapi",
    "uvicorn",
    "pydantic",
    "logging.handlers",
    "subprocess",
    "drivers",
    "sync",
    "ui",
)
# Standard modules that read or write files, processes or the network.
IO_MODULES = frozenset(
    {
        "asyncio",
        "ftplib",
        "glob",
        "http",
        "importlib",
        "io",
        "logging.handlers",
        "mmap",
        "multiprocessing",
        "os",
        "pathlib",
        "pickle",
        "select",
        "selectors",
        "shelve",
        "shutil",
        "signal",
        "smtplib",
        "socket",
        "socketserver",
        "sqlite3",
        "ssl",
        "subprocess",
        "tempfile",
        "urllib",
        "zipfile",
        "tarfile",
        "fcntl",
        "termios",
        "tty",
        "pty",
    }
)


def domain_modules() -> list[str]:
    return sorted(
        "kiosk.domain" if path.stem == "__init__" else f"kiosk.domain.{path.stem}"
        for path in DOMAIN.glob("*.py")
    )


def run_child(code: str, *args: str, timeout: float = 120.0) -> dict[str, Any]:
    """Run ``code`` (with ``args``) in a fresh interpreter at the repository root; its last
    stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"child failed ({done.returncode}):\n{done.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def imports_of(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """Every module a file imports (line, absolute dotted name), at any depth of the code;
    relative imports are resolved against the file's package (by default, its place in the
    repository)."""
    if package is None:
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from kiosk import logs`` names a module too.
            found.extend(
                (node.lineno, f"{module}.{alias.name}")
                for alias in node.names
                if module in ("kiosk", "kiosk.domain")
            )
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_domain_has_its_modules() -> None:
    """A guard against a check that passes because it looked at nothing."""
    assert {
        "kiosk.domain.catalog",
        "kiosk.domain.logfmt",
        "kiosk.domain.wire",
        "kiosk.domain.money",
        "kiosk.domain.version",
    } <= set(domain_modules())


@pytest.mark.parametrize("module", domain_modules())
def test_importing_a_domain_module_loads_nothing_impure(module: str) -> None:
    loaded = run_child(f"""
import importlib, json, sys
before = set(sys.modules)
importlib.import_module({module!r})
print(json.dumps({{"before": sorted(before), "after": sorted(sys.modules)}}))
""")
    after = set(loaded["after"])
    assert module in after
    bad = sorted(
        name for name in after if any(within(name, forbidden) for forbidden in FORBIDDEN_LOADED)
    )
    assert bad == [], f"importing {module} loads {bad}"
    kiosk_outside = sorted(
        name
        for name in after
        if within(name, "kiosk") and name != "kiosk" and not within(name, "kiosk.domain")
    )
    assert kiosk_outside == [], f"importing {module} loads {kiosk_outside}"


def test_no_domain_module_imports_io_or_the_rest_of_the_kiosk() -> None:
    """Static, so an import inside a function (never run by the import test) counts too."""
    stdlib = sys.stdlib_module_names
    problems: list[str] = []
    for path in sorted(DOMAIN.glob("*.py")):
        for line, module in imports_of(path):
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if within(module, "kiosk"):
                if module not in ("kiosk", "kiosk.domain") and not within(module, "kiosk.domain"):
                    problems.append(where)
            elif module == "__future__":
                continue
            elif module.split(".")[0] not in stdlib:
                problems.append(where + " (not the standard library)")
            elif any(within(module, io) for io in IO_MODULES):
                problems.append(where + " (does I/O)")
    assert problems == []


def test_the_import_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from kiosk import logs\n"
        "def f():\n    from kiosk.logs import log_event\n    import sqlite3\n"
        "from .. import app\n"
    )
    assert [module for _line, module in imports_of(sample, "kiosk.domain")] == [
        "kiosk",
        "kiosk.logs",
        "kiosk",
        "kiosk.app",
        "kiosk.logs",
        "sqlite3",
    ]


def test_the_ledger_imports_from_the_kiosk_only_its_domain() -> None:
    files = sorted(LEDGER.rglob("*.py"))
    assert len(files) > 20  # the ledger and its migrations
    problems = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files
        for line, module in imports_of(path)
        if within(module, "kiosk") and module != "kiosk" and not within(module, "kiosk.domain")
    ]
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        for line, module in imports_of(path)
        if module == "kiosk"
    ]
    assert problems == [] and bare == []


NO_QT = r"""
import json, sys, tempfile, time
from pathlib import Path
from typing import Any


class NoQt:
    '''Refuses PySide6 and shiboken6 as if they were not installed.'''

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked in this test")
        return None


sys.meta_path.insert(0, NoQt())
try:
    import PySide6  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("the PySide6 block does not work")
"""

LEDGER_WITHOUT_QT = (
    NO_QT
    + r"""
import httpx

from kiosk.domain.money import Money
from kiosk.domain.wire import PaymentWire
from sync.auth import signed_headers
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger

with tempfile.TemporaryDirectory() as directory:
    ledger = Ledger.open(f"sqlite:///{Path(directory) / 'ledger.db'}")
    secret = ledger.add_terminal("KZ-ALA-0001")
    beeline = ledger.catalog.get("beeline")
    inserted = 200_000
    commission = beeline.commission.breakdown(Money(inserted)).commission.tiyn
    payment = PaymentWire(
        operation_id="0190a0b0-0000-7000-8000-000000000001", local_seq=1, receipt_number=1,
        terminal_id="KZ-ALA-0001", service="beeline", account="+77051234567",
        inserted=inserted, commission=commission, credited=inserted - commission,
        currency="KZT", created_at="2026-01-01T10:00:00.000+00:00", notes=(inserted,),
        offline=False, recovered=False, completion="customer",
        catalog_version=ledger.catalog.version)
    body = b'{"payments":[' + payment.to_wire() + b']}'
    with LedgerThread(ledger) as server, httpx.Client(base_url=server.url) as client:
        health = client.get("/health")
        headers = signed_headers("KZ-ALA-0001", secret, "POST", "/v1/payments", body,
                                 time.time())
        headers["Content-Type"] = "application/json"
        posted = client.post("/v1/payments", content=body, headers=headers)
    books = ledger.audit()
    ledger.close()
print(json.dumps({
    "health": [health.status_code, health.json()],
    "posted": [posted.status_code, posted.json()],
    "books": [books.balanced, books.cash_in, books.credited],
    "credited": inserted - commission,
    "qt": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")),
    "kiosk": sorted(m for m in sys.modules if m.split(".")[0] == "kiosk"),
}))
"""
)


def test_the_ledger_serves_a_signed_payment_without_qt() -> None:
    result = run_child(LEDGER_WITHOUT_QT, timeout=180.0)
    status, health = result["health"]
    assert status == 200 and health["ok"] is True
    status, answer = result["posted"]
    assert status == 200, answer
    assert [item["status"] for item in answer["results"]] == ["accepted"]
    assert result["books"] == [True, 200_000, result["credited"]]
    assert result["qt"] == []
    assert all(name == "kiosk" or within(name, "kiosk.domain") for name in result["kiosk"]), result[
        "kiosk"
    ]


# The ``kiosk`` command with Qt blocked; the blocker's own check prints nothing on stdout.
KIOSK_WITHOUT_QT = (
    NO_QT
    + r"""
import kiosk.cli
sys.exit(kiosk.cli.main(sys.argv[1:]))
"""
)


def beeline_payment(catalog_version: str) -> bytes:
    """A signed-request body with one payment as the kiosk stores it."""
    catalog = load_catalog()
    inserted = 200_000
    commission = catalog.get("beeline").commission.breakdown(Money(inserted)).commission.tiyn
    payment = PaymentWire(
        operation_id="0190a0b0-0000-7000-8000-000000000002",
        local_seq=1,
        receipt_number=1,
        terminal_id="KZ-ALA-0001",
        service="beeline",
        account="+77051234567",
        inserted=inserted,
        commission=commission,
        credited=inserted - commission,
        currency="KZT",
        created_at="2026-01-01T10:00:00.000+00:00",
        notes=(inserted,),
        offline=False,
        recovered=False,
        completion="customer",
        catalog_version=catalog_version,
    )
    return b'{"payments":[' + payment.to_wire() + b"]}"


def test_kiosk_ledger_serve_runs_without_qt(tmp_path: Path) -> None:
    """The operator's command, not only the server class: ``kiosk ledger terminal add`` and
    ``kiosk ledger serve`` with PySide6 blocked."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    added = subprocess.run(
        [
            sys.executable,
            "-c",
            KIOSK_WITHOUT_QT,
            "ledger",
            "terminal",
            "add",
            "KZ-ALA-0001",
            "--db",
            url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 0, added.stderr[-4000:]
    secret = added.stdout.strip().splitlines()[-1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KIOSK_WITHOUT_QT,
            "ledger",
            "serve",
            "--db",
            url,
            "--listen",
            "127.0.0.1:0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line, "kiosk ledger serve did not start"
        base = json.loads(line)["url"]
        with httpx.Client(base_url=base, timeout=30.0) as client:
            health = client.get("/health").json()
            body = beeline_payment(health["catalog_version"])
            headers = signed_headers(
                "KZ-ALA-0001", secret, "POST", "/v1/payments", body, time.time()
            )
            headers["Content-Type"] = "application/json"
            posted = client.post("/v1/payments", content=body, headers=headers)
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=60)
    assert health["ok"] is True
    assert posted.status_code == 200, posted.text
    assert [item["status"] for item in posted.json()["results"]] == ["accepted"]
    assert "PySide6" not in errors, errors[-4000:]
