"""``[ledger]`` and ``[storage]``: encrypted links, private secrets, money kept on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.config import ConfigError, parse_config
from tests.config.helpers import SECRET


def ledger_error(data: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert "\n" not in str(caught.value)
    assert SECRET not in str(caught.value)
    return caught.value


def with_ledger(data: dict[str, Any], **ledger: Any) -> dict[str, Any]:
    data["ledger"] = ledger
    return data


@pytest.mark.parametrize(
    "url",
    [
        "https://ledger.example.kz",
        "https://10.0.0.5:8443/",
        "http://127.0.0.1:8080",
        "http://127.4.5.6:80",
        "http://[::1]:8080",
        "http://localhost:8080",
    ],
)
def test_https_anywhere_and_plain_http_to_this_machine_are_accepted(
    minimal_data: dict[str, Any], secret_path: Path, url: str
) -> None:
    config = parse_config(with_ledger(minimal_data, url=url, secret_file=str(secret_path)))

    assert config.ledger.url == url and config.ledger.secret == SECRET


@pytest.mark.parametrize(
    "url",
    [
        "http://ledger.example.kz",
        "http://10.0.0.5:8080",
        "http://[2001:db8::1]:8080",
        "http://localhost.example.kz",
    ],
)
def test_plain_http_across_the_network_is_refused_saying_why(
    minimal_data: dict[str, Any], secret_path: Path, url: str
) -> None:
    error = ledger_error(with_ledger(minimal_data, url=url, secret_file=str(secret_path)))

    assert error.key == "ledger.url"
    assert str(error) == (
        "ledger.url: plain http:// is only for a ledger on this machine (127.0.0.1, ::1, "
        "localhost): payments and the terminal's secret would cross the network unencrypted; "
        f'use https://, got "{url}"'
    )


def test_a_ledger_url_needs_its_secret_file(minimal_data: dict[str, Any]) -> None:
    error = ledger_error(with_ledger(minimal_data, url="https://ledger.example.kz"))

    assert str(error) == (
        "ledger.secret_file: required with ledger.url: the file holding this "
        "terminal's secret (from 'kiosk ledger terminal add')"
    )


def test_the_secret_is_read_at_load_and_never_shown(
    minimal_data: dict[str, Any], secret_path: Path
) -> None:
    config = parse_config(
        with_ledger(minimal_data, url="https://ledger.example.kz", secret_file=str(secret_path))
    )

    assert config.ledger.secret == SECRET
    assert SECRET not in repr(config) and SECRET not in str(config.ledger)


@pytest.mark.parametrize("mode", [0o640, 0o644, 0o604, 0o660])
def test_a_secret_file_group_or_others_can_read_is_refused_with_the_chmod_to_run(
    minimal_data: dict[str, Any], secret_path: Path, mode: int
) -> None:
    secret_path.chmod(mode)

    error = ledger_error(
        with_ledger(minimal_data, url="https://ledger.example.kz", secret_file=str(secret_path))
    )

    assert str(error) == (
        f"ledger.secret_file: secret file {secret_path} can be read by group or "
        f"others (mode {mode:03o}): chmod 600 {secret_path}"
    )


def test_a_missing_secret_file_says_what_to_put_there(
    minimal_data: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "absent.secret"

    error = ledger_error(
        with_ledger(minimal_data, url="https://ledger.example.kz", secret_file=str(path))
    )

    assert str(error) == (
        f"ledger.secret_file: secret file {path} does not exist: put there the "
        "secret printed by 'kiosk ledger terminal add' (chmod 600)"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty: it must hold the secret printed by 'kiosk ledger terminal add'"),
        ("\n \n", "is empty: it must hold the secret printed by 'kiosk ledger terminal add'"),
        (
            f"{SECRET}\n{SECRET}\n",
            "holds more than one word: it must hold only the secret printed "
            "by 'kiosk ledger terminal add'",
        ),
    ],
)
def test_a_secret_file_without_one_secret_is_refused(
    minimal_data: dict[str, Any], secret_path: Path, text: str, problem: str
) -> None:
    secret_path.write_text(text)

    error = ledger_error(
        with_ledger(minimal_data, url="https://ledger.example.kz", secret_file=str(secret_path))
    )

    assert str(error) == f"ledger.secret_file: secret file {secret_path} {problem}"


def test_a_directory_as_secret_file_is_refused(
    minimal_data: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir(mode=0o700)

    error = ledger_error(
        with_ledger(minimal_data, url="https://ledger.example.kz", secret_file=str(folder))
    )

    assert str(error) == f"ledger.secret_file: secret file {folder} is a directory, not a file"


def test_the_secret_itself_cannot_be_written_in_the_configuration(
    minimal_data: dict[str, Any],
) -> None:
    error = ledger_error(with_ledger(minimal_data, url="https://ledger.example.kz", secret=SECRET))

    assert error.key == "ledger.secret" and "secret_file" in str(error)


def test_a_private_ca_file_is_kept(
    minimal_data: dict[str, Any], secret_path: Path, ca_path: Path
) -> None:
    config = parse_config(
        with_ledger(
            minimal_data,
            url="https://ledger.example.kz",
            secret_file=str(secret_path),
            ca_file=str(ca_path),
        )
    )

    assert config.ledger.ca_file == ca_path


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        ("not a certificate\n", "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
    ],
)
def test_a_ca_file_that_cannot_verify_anything_is_refused_at_load(
    minimal_data: dict[str, Any],
    secret_path: Path,
    tmp_path: Path,
    content: str | None,
    problem: str,
) -> None:
    path = tmp_path / "ca.pem"
    if content is not None:
        path.write_text(content)

    error = ledger_error(
        with_ledger(
            minimal_data,
            url="https://ledger.example.kz",
            secret_file=str(secret_path),
            ca_file=str(path),
        )
    )

    assert str(error) == f"ledger.ca_file: CA file {path} {problem}"


def test_heartbeat_and_catalog_refresh_have_defaults(minimal_data: dict[str, Any]) -> None:
    ledger = parse_config(minimal_data).ledger

    assert (ledger.heartbeat_s, ledger.catalog_refresh_s) == (60, 3600)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("heartbeat_s", 4, "ledger.heartbeat_s: must be between 5 and 3600, got 4"),
        ("heartbeat_s", 3601, "ledger.heartbeat_s: must be between 5 and 3600, got 3601"),
        ("heartbeat_s", 2.5, "ledger.heartbeat_s: expected a whole number of seconds, got 2.5"),
        ("catalog_refresh_s", 59, "ledger.catalog_refresh_s: must be between 60 and 86400, got 59"),
        (
            "catalog_refresh_s",
            86401,
            "ledger.catalog_refresh_s: must be between 60 and 86400, got 86401",
        ),
    ],
)
def test_heartbeat_and_catalog_refresh_out_of_range_are_named(
    minimal_data: dict[str, Any], key: str, value: Any, message: str
) -> None:
    assert str(ledger_error(with_ledger(minimal_data, **{key: value}))) == message


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///:memory:",
        "sqlite:///file::memory:?cache=shared",
        "sqlite:///file:kiosk?mode=memory&cache=shared",
    ],
)
def test_an_in_memory_store_is_refused_money_records_stay_on_disk(
    minimal_data: dict[str, Any], url: str
) -> None:
    minimal_data["storage"] = {"url": url}

    error = ledger_error(minimal_data)

    assert error.key == "storage.url"
    assert str(error) == (
        "storage.url: an in-memory database loses every payment when the process stops: the "
        'kiosk must keep its money records on disk (e.g. "sqlite:////var/lib/kiosk/kiosk.db"), '
        f'got "{url}"'
    )
