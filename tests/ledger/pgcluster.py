"""A private PostgreSQL cluster in a temporary directory, for tests and the benchmark.

Started with the server's own initdb and pg_ctl as the unprivileged ``postgres`` user when
we run as root (PostgreSQL refuses to run as root), listening on 127.0.0.1 and a free port,
with its unix socket inside the temporary directory. Nothing outside that directory changes.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("LEDGER_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVICE_USER = "postgres"


class ClusterUnavailable(Exception):
    """The PostgreSQL binaries or the service user are missing on this machine."""


def missing_reason() -> str | None:
    """Why a private cluster cannot be started here, or None when it can."""
    for tool in ("initdb", "pg_ctl"):
        if not (PG_BIN / tool).is_file():
            return f"{PG_BIN / tool} not found (install postgresql-15)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root and there is no {SERVICE_USER!r} user to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class PrivateCluster:
    """One throw-away cluster; ``url(db)`` gives SQLAlchemy URLs for databases in it."""

    def __init__(self, *, durable: bool = False) -> None:
        reason = missing_reason()
        if reason is not None:
            raise ClusterUnavailable(reason)
        self.durable = durable  # fsync on (benchmarks) or off (tests: faster, same semantics)
        self.root = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._databases = 0
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVICE_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", SERVICE_USER, "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}): "
                f"{done.stderr.strip() or done.stdout.strip()}"
            )

    def start(self) -> PrivateCluster:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            f"-c max_connections=100 -c shared_buffers=128MB"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        return self

    def create_database(self) -> str:
        """A new empty database; returns its ``postgresql+psycopg://`` URL."""
        import psycopg

        self._databases += 1
        name = f"ledger_{self._databases}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(
                    str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
