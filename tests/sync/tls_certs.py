"""The private CA and loopback server certificate of ``tests.tlsutil``, as named files for
the sync tests (not a test module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.tlsutil import make_ca_and_server_cert


@dataclass(frozen=True)
class TlsFiles:
    ca_file: Path  # the private CA's certificate (what [ledger] ca_file names)
    cert_file: Path  # the server's certificate for 127.0.0.1 and localhost
    key_file: Path  # the server's private key


def make_tls_files(folder: Path) -> TlsFiles:
    """A new CA (its own key: no other CA's certificates verify against it) and a server
    certificate for loopback it signed, written into ``folder``."""
    return TlsFiles(*make_ca_and_server_cert(folder))
