"""HTTPS: the ledger served with a certificate of a private CA, on a thread and by the CLI."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization

import kiosk.cli as cli
from kiosk.domain.clock import ManualClock
from sync.auth import HEADER_SIGNATURE, signed_headers, verify_response
from sync.ledger.server import LedgerThread, TlsError
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, serve_child
from tests.tlsutil import make_ca_and_server_cert

WAIT = 30.0


def get(url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
    """One GET on its own connection: a kept-alive TLS connection would hold up the
    server's shutdown for its grace period."""
    return requests.get(
        url, headers={**(headers or {}), "Connection": "close"}, timeout=WAIT, **kwargs
    )


@pytest.fixture
def pki(tmp_path: Path) -> tuple[Path, Path, Path]:
    return make_ca_and_server_cert(tmp_path / "pki")


@pytest.fixture
def kiosk_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    return cli.main


def test_ledger_over_https_is_trusted_with_the_private_ca_only(
    ledger: Ledger, secrets: dict[str, str], clock: ManualClock, pki: tuple[Path, Path, Path]
) -> None:
    ca, cert, key = pki
    with LedgerThread(ledger, certfile=cert, keyfile=key) as server:
        assert server.url.startswith("https://127.0.0.1:")
        headers = signed_headers(
            TERMINAL, secrets[TERMINAL], "GET", "/v1/reconciliation", b"", clock.now()
        )
        answer = get(server.url + "/v1/reconciliation", headers, verify=str(ca))
        with pytest.raises(requests.exceptions.SSLError):
            get(server.url + "/health")  # the system trust store
    assert answer.status_code == 200 and answer.json()["terminal_id"] == TERMINAL
    verify_response(
        secrets[TERMINAL],
        200,
        headers[HEADER_SIGNATURE],
        answer.content,
        answer.headers.get(HEADER_SIGNATURE),
    )


def test_the_certificate_names_localhost_too(ledger: Ledger, pki: tuple[Path, Path, Path]) -> None:
    ca, cert, key = pki
    with LedgerThread(ledger, certfile=cert, keyfile=key) as server:
        answer = get(f"https://localhost:{server.port}/health", verify=str(ca))
    assert answer.json()["ok"] is True


def test_a_key_that_is_not_the_certificates_is_refused(
    ledger: Ledger, tmp_path: Path, pki: tuple[Path, Path, Path]
) -> None:
    _ca, cert, _key = pki
    _other_ca, _other_cert, other_key = make_ca_and_server_cert(tmp_path / "other")
    with pytest.raises(TlsError, match="do not load as a PEM certificate and its key"):
        LedgerThread(ledger, certfile=cert, keyfile=other_key)


def test_cli_serves_https_and_prints_an_https_url(
    sqlite_url: str, tmp_path: Path, pki: tuple[Path, Path, Path]
) -> None:
    ca, cert, key = pki
    with serve_child(sqlite_url, "--certfile", str(cert), "--keyfile", str(key), wait=WAIT) as (
        _process,
        url,
    ):
        assert url.startswith("https://127.0.0.1:")
        health = get(url + "/health", verify=str(ca))
        assert health.status_code == 200
        refused = get(
            url + "/v1/reconciliation",
            signed_headers(TERMINAL, "0" * 64, "GET", "/v1/reconciliation", b"", time.time()),
            verify=str(ca),
        )
        assert refused.status_code == 401  # unknown terminal, over TLS


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"--certfile": "cert"}, "--certfile and --keyfile go together"),
        ({"--keyfile": "key"}, "--certfile and --keyfile go together"),
        ({"--certfile": "missing", "--keyfile": "key"}, "No such file or directory"),
        ({"--certfile": "cert", "--keyfile": "directory"}, "--keyfile"),
        (
            {"--certfile": "key", "--keyfile": "cert"},
            "do not load as a PEM certificate and its key",
        ),
        ({"--certfile": "cert", "--keyfile": "encrypted"}, "the key file is encrypted"),
    ],
)
def test_serve_refuses_unusable_tls_files_with_one_line(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    tmp_path: Path,
    pki: tuple[Path, Path, Path],
    files: dict[str, str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _ca, cert, key = pki
    encrypted = tmp_path / "encrypted.key"
    encrypted.write_bytes(
        serialization.load_pem_private_key(key.read_bytes(), None).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pass"),
        )
    )
    paths = {
        "cert": cert,
        "key": key,
        "missing": tmp_path / "nope.pem",
        "directory": tmp_path,
        "encrypted": encrypted,
    }
    argv = ["ledger", "serve", "--db", sqlite_url, "--listen", "127.0.0.1:0"]
    for flag, name in files.items():
        argv += [flag, str(paths[name])]
    assert kiosk_main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
