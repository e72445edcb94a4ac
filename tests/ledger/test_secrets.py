"""Terminal secrets at rest (decision 020): sealed under a 0600 key file, a database file
only its owner reads, rotation with a grace period, disabled terminals refused."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import kiosk.cli as cli
from kiosk.domain.clock import ManualClock, SystemClock
from sync.auth import HEADER_SIGNATURE, verify_response
from sync.ledger.app import create_app
from sync.ledger.db import create_ledger_engine, migrate
from sync.ledger.models import Terminal
from sync.ledger.sealing import KEY_ENV, SecretsKeyError, create_key, key_path_for
from sync.ledger.server import LedgerThread
from sync.ledger.service import SECRET_CACHE_S, Ledger, UnknownTerminal
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, TerminalClient, serve_child
from tests.ledger.pgcluster import PrivateCluster

HEX_SECRET = 64


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def kiosk_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    return cli.main


@pytest.fixture
def asgi(ledger: Ledger, clock: ManualClock) -> Iterator[Callable[[str], TerminalClient]]:
    """Signed clients of TERMINAL over the in-process app, one per secret."""
    test_client = TestClient(create_app(ledger))

    def terminal(secret: str) -> TerminalClient:
        client = TerminalClient("http://ledger", TERMINAL, secret, clock.now)
        client.http = test_client
        return client

    yield terminal
    test_client.close()


def status(client: TerminalClient) -> int:
    """The status of one signed request; an answer past authentication must be signed
    with the client's secret (a refusal, 401, cannot be)."""
    response = client.get("/v1/reconciliation")
    if response.status_code != 401:
        verify_response(
            client.secret,
            response.status_code,
            response.request.headers[HEADER_SIGNATURE],
            response.content,
            response.headers.get(HEADER_SIGNATURE),
        )
    return response.status_code


def stored(ledger: Ledger) -> list[tuple[str, str | None]]:
    with ledger.engine.connect() as connection:
        return [
            (secret, previous)
            for secret, previous in connection.execute(
                select(Terminal.secret, Terminal.previous_secret)
            ).all()
        ]


# -- at rest ------------------------------------------------------------------------------


def test_init_makes_the_database_and_its_key_readable_by_the_owner_only(
    kiosk_main: Callable[[list[str]], int], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    umask = os.umask(0o022)  # the usual umask: files would be 0644
    try:
        assert kiosk_main(["ledger", "init", "--db", sqlite_url]) == 0
    finally:
        os.umask(umask)
    line = json.loads(capsys.readouterr().out)
    database = sqlite_path(sqlite_url)
    key = Path(line["secrets_key_file"])
    assert key == database.with_name("ledger.db.key")
    assert mode(database) == 0o600 and mode(key) == 0o600
    for journal in database.parent.glob("ledger.db-*"):
        assert mode(journal) == 0o600, journal
    assert len(bytes.fromhex(key.read_text().strip())) == 32


def test_an_older_looser_database_file_is_tightened(sqlite_url: str) -> None:
    database = sqlite_path(sqlite_url)
    database.touch(0o644)
    os.chmod(database, 0o644)
    create_ledger_engine(sqlite_url).dispose()
    assert mode(database) == 0o600


def test_the_stored_columns_and_the_file_never_hold_a_secret(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    first = ledger.add_terminal(TERMINAL)
    second = ledger.rotate_terminal(TERMINAL, 60)
    ((current, previous),) = stored(ledger)
    assert previous is not None
    for text in (current, previous):
        assert text.startswith("v1:") and first not in text and second not in text
    keys = ledger.terminal_keys(TERMINAL)
    assert keys is not None
    assert keys.valid(ledger.clock.now()) == (second, first)
    if any_url.startswith("sqlite"):
        ledger.close()
        database = sqlite_path(any_url)
        contents = b"".join(
            path.read_bytes()
            for path in database.parent.glob("ledger.db*")
            if not path.name.endswith(".key")
        )
        assert first.encode() not in contents and second.encode() not in contents


def test_a_secret_an_older_ledger_kept_in_clear_is_sealed_on_open(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    engine = create_ledger_engine(any_url)
    try:
        migrate(engine, "0006")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO terminals (id, secret, created_at, active) "
                f"VALUES ('{TERMINAL}', 'an-old-clear-secret', 1, true)"
            )
    finally:
        engine.dispose()
    ledger = make_ledger(any_url)
    ((current, previous),) = stored(ledger)
    assert current.startswith("v1:") and "an-old-clear-secret" not in current
    assert previous is None
    assert ledger.terminal_secret(TERMINAL) == "an-old-clear-secret"


# -- the key file -------------------------------------------------------------------------


def test_the_wrong_key_file_is_refused_naming_it(
    kiosk_main: Callable[[list[str]], int],
    any_url: str,
    tmp_path: Path,
    make_ledger: Callable[..., Ledger],
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_ledger(any_url).add_terminal(TERMINAL)
    other = tmp_path / "other.key"
    create_key(other)
    with pytest.raises(SecretsKeyError, match=f"{other}.*is it the key"):
        make_ledger(any_url, secrets_key_file=other)
    assert (
        kiosk_main(["ledger", "terminals", "--db", any_url, "--secrets-key-file", str(other)]) == 2
    )
    error = capsys.readouterr().err
    assert str(other) in error and error.count("\n") == 1 and "Traceback" not in error


def test_a_lost_key_file_is_an_error_not_a_new_key(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    ledger.add_terminal(TERMINAL)
    key = ledger.sealer.path
    assert key is not None
    if any_url.startswith("sqlite"):
        assert key == Path(str(sqlite_path(any_url)) + ".key")
    key.unlink()
    with pytest.raises(SecretsKeyError, match="missing.*restore"):
        make_ledger(any_url)
    assert not key.exists()


def test_two_processes_making_the_key_at_once_agree_on_one(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "new.key"
    first = create_key(key)
    assert create_key(key) == first  # the second found the first's file
    assert mode(key) == 0o600 and [path.name for path in key.parent.iterdir()] == ["new.key"]


@pytest.mark.parametrize(
    ("content", "file_mode", "message"),
    [
        ("00" * 32, 0o644, "mode 0644: others may read it; run 'chmod 600"),
        ("00" * 32, 0o640, "mode 0640"),
        ("00" * 16, 0o600, "must hold 32 bytes"),
        ("zz" * 32, 0o600, "must hold 32 bytes"),
        ("", 0o600, "must hold 32 bytes"),
    ],
)
def test_an_unsafe_or_malformed_key_file_is_refused_with_one_line(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    file_mode: int,
    message: str,
) -> None:
    key = tmp_path / "given.key"
    key.write_text(content)
    os.chmod(key, file_mode)
    assert kiosk_main(["ledger", "init", "--db", sqlite_url, "--secrets-key-file", str(key)]) == 2
    error = capsys.readouterr().err
    assert message in error and str(key) in error and error.count("\n") == 1


def test_a_base64_key_file_is_accepted(
    sqlite_url: str, tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    import base64

    key = tmp_path / "b64.key"
    key.write_text(base64.b64encode(bytes(range(32))).decode() + "\n")
    os.chmod(key, 0o600)
    secret = make_ledger(sqlite_url, secrets_key_file=key).add_terminal(TERMINAL)
    assert make_ledger(sqlite_url, secrets_key_file=key).terminal_secret(TERMINAL) == secret


def test_an_unreadable_or_odd_key_file_is_refused(
    tmp_path: Path, sqlite_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    folder = tmp_path / "a-folder.key"
    folder.mkdir()
    with pytest.raises(SecretsKeyError, match="not a regular file"):
        make_ledger(sqlite_url, secrets_key_file=folder)
    if os.geteuid() != 0:  # root reads any file
        locked = tmp_path / "locked.key"
        locked.write_text("00" * 32)
        os.chmod(locked, 0o000)
        with pytest.raises(SecretsKeyError, match="cannot read.*Permission denied"):
            make_ledger(sqlite_url, secrets_key_file=locked)


def test_postgresql_needs_the_key_file_named(
    kiosk_main: Callable[[list[str]], int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    url = "postgresql+psycopg://nobody@127.0.0.1:9/ledger"
    assert kiosk_main(["ledger", "audit", "--db", url]) == 2
    error = capsys.readouterr().err
    assert "--secrets-key-file" in error and KEY_ENV in error and error.count("\n") == 1
    named = tmp_path / "pg.key"
    assert key_path_for(url, named) == named
    monkeypatch.setenv(KEY_ENV, str(named))
    assert key_path_for(url, None) == named
    assert key_path_for("sqlite:///:memory:", None) == named  # the environment wins
    monkeypatch.delenv(KEY_ENV)
    assert key_path_for("sqlite:///:memory:", None) is None


def test_an_in_memory_ledger_keeps_its_key_in_the_process(
    make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    ledger = make_ledger("sqlite://")
    secret = ledger.add_terminal(TERMINAL)
    assert ledger.sealer.path is None and ledger.terminal_secret(TERMINAL) == secret


# -- rotation -----------------------------------------------------------------------------


def test_both_secrets_sign_during_the_grace_period_and_only_the_new_one_after(
    ledger: Ledger, asgi: Callable[[str], TerminalClient], clock: ManualClock
) -> None:
    old = asgi(ledger.add_terminal(TERMINAL))
    assert status(old) == 200
    new = asgi(ledger.rotate_terminal(TERMINAL, 3600))
    assert status(old) == 200 and status(new) == 200  # each answer signed with its secret
    clock.advance(3599)
    assert status(old) == 200
    clock.advance(1)
    assert status(old) == 401 and status(new) == 200


def test_rotate_without_grace_refuses_the_old_secret_at_once(
    ledger: Ledger, asgi: Callable[[str], TerminalClient]
) -> None:
    old = asgi(ledger.add_terminal(TERMINAL))
    new = asgi(ledger.rotate_terminal(TERMINAL, 0))
    assert status(old) == 401 and status(new) == 200
    with pytest.raises(UnknownTerminal, match="terminal add"):
        ledger.rotate_terminal("KZ-NONE-0009", 60)


def test_cli_rotate_prints_the_new_secret_a_running_server_accepts_at_once(
    any_url: str, kiosk_main: Callable[[list[str]], int], capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI is another Ledger (as another process would be): the server's cached keys
    must not refuse the new secret, and the old one keeps working for the grace period.
    Both on the wall clock: the CLI dates the grace period with it."""
    ledger = Ledger.open(any_url, clock=SystemClock())
    first = ledger.add_terminal(TERMINAL)
    with LedgerThread(ledger) as server:
        old = TerminalClient(server.url, TERMINAL, first, time.time)
        assert status(old) == 200  # now cached by the server
        assert (
            kiosk_main(["ledger", "terminal", "rotate", TERMINAL, "--db", any_url, "--grace", "2"])
            == 0
        )
        output = capsys.readouterr()
        second = output.out.strip()
        assert len(second) == HEX_SECRET and second != first
        assert "stays valid for 2 s" in output.err
        new = TerminalClient(server.url, TERMINAL, second, time.time)
        assert status(new) == 200 and status(old) == 200
        time.sleep(2.1)
        assert status(old) == 401 and status(new) == 200
        old.close()
        new.close()
    ledger.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rotate", "KZ-NONE-0009"], "no terminal KZ-NONE-0009"),
        (["disable", "KZ-NONE-0009"], "no terminal KZ-NONE-0009"),
        (["rotate", TERMINAL, "--grace", "-1"], "--grace must be 0 to"),
    ],
)
def test_cli_terminal_errors_are_one_line(
    kiosk_main: Callable[[list[str]], int],
    ledger: Ledger,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    ledger.add_terminal(TERMINAL)
    assert kiosk_main(["ledger", "terminal", *argv, "--db", sqlite_url]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


# -- disabling ----------------------------------------------------------------------------


def test_a_disabled_terminal_is_refused_until_enabled(
    ledger: Ledger, asgi: Callable[[str], TerminalClient]
) -> None:
    terminal = asgi(ledger.add_terminal(TERMINAL))
    assert status(terminal) == 200
    ledger.set_terminal_active(TERMINAL, False)
    response = terminal.get("/v1/reconciliation")
    assert response.status_code == 401 and "disabled" in response.json()["detail"]
    ledger.set_terminal_active(TERMINAL, True)
    assert status(terminal) == 200


def test_cli_disable_reaches_a_running_server_within_the_cache_time(
    any_url: str,
    make_ledger: Callable[..., Ledger],
    clock: ManualClock,
    kiosk_main: Callable[[list[str]], int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = make_ledger(any_url)
    terminal = TerminalClient("http://ledger", TERMINAL, ledger.add_terminal(TERMINAL), clock.now)
    with TestClient(create_app(ledger)) as http:
        terminal.http = http
        assert status(terminal) == 200
        assert kiosk_main(["ledger", "terminal", "disable", TERMINAL, "--db", any_url]) == 0
        assert f"terminal {TERMINAL} disabled" in capsys.readouterr().out
        clock.advance(SECRET_CACHE_S)
        assert status(terminal) == 401
        assert kiosk_main(["ledger", "terminal", "enable", TERMINAL, "--db", any_url]) == 0
        assert status(terminal) == 200  # enabling needs no wait: refusals are not cached


def test_a_disabled_terminal_is_refused_by_a_child_ledger_server(
    sqlite_url: str, make_ledger: Callable[..., Ledger], tmp_path: Path
) -> None:
    """``kiosk ledger serve`` in a child process finds the key beside the database."""

    ledger = make_ledger(sqlite_url)
    secret = ledger.add_terminal(TERMINAL)
    ledger.set_terminal_active(TERMINAL, False)
    with serve_child(sqlite_url, stderr=None, wait=30) as (_process, url):
        terminal = TerminalClient(url, TERMINAL, secret, time.time)
        assert status(terminal) == 401
        ledger.set_terminal_active(TERMINAL, True)
        assert status(terminal) == 200
        terminal.close()


def test_init_on_postgresql_makes_the_named_key(
    kiosk_main: Callable[[list[str]], int],
    pg_cluster: PrivateCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    url, key = pg_cluster.create_database(), tmp_path / "etc" / "secrets.key"
    assert kiosk_main(["ledger", "init", "--db", url, "--secrets-key-file", str(key)]) == 0
    assert json.loads(capsys.readouterr().out)["secrets_key_file"] == str(key)
    assert mode(key) == 0o600
    assert (
        kiosk_main(
            ["ledger", "terminal", "add", TERMINAL, "--db", url, "--secrets-key-file", str(key)]
        )
        == 0
    )
    secret = capsys.readouterr().out.strip()
    ledger = Ledger.open(url, secrets_key_file=key)
    try:
        assert ledger.terminal_secret(TERMINAL) == secret
    finally:
        ledger.close()


def test_migration_0007_goes_down_and_up_again(any_url: str) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import inspect

    from sync.ledger.db import MIGRATIONS

    engine = create_ledger_engine(any_url)
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        migrate(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")
        columns = {column["name"] for column in inspect(engine).get_columns("terminals")}
        assert "previous_secret" not in columns and "previous_until" not in columns
        migrate(engine)
        columns = {column["name"] for column in inspect(engine).get_columns("terminals")}
        assert {"previous_secret", "previous_until"} <= columns
    finally:
        engine.dispose()
