"""Each kind of configuration mistake gives one line naming the dotted key and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import ConfigError, load_config, parse_config

DELETE = object()


def change(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set (or delete, with DELETE) one dotted key in parsed TOML data."""
    *parents, last = dotted.split(".")
    table = data
    for name in parents:
        table = table.setdefault(name, {})
    if value is DELETE:
        del table[last]
    else:
        table[last] = value


def error_for(data: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert "\n" not in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("dotted", "value", "message"),
    [
        ("limits.mrp", "4325.0", 'limits.mrp: expected a whole number of tiyn, got "4325.0"'),
        ("limits.mrp", 4325.0, "limits.mrp: expected a whole number of tiyn, got 4325.0"),
        ("limits.mrp", True, "limits.mrp: expected a whole number of tiyn, got true"),
        ("limits.mrp", 0, "limits.mrp: must be at least 1, got 0"),
        ("limits.mrp", DELETE, "limits.mrp: required key is missing"),
        ("limits.offline_max_total", -1, "limits.offline_max_total: must be at least 0, got -1"),
        (
            "limits.offline_max_payment",
            60_000_000,
            "limits.offline_max_payment: must not exceed limits.offline_max_total (50000000), "
            "got 60000000",
        ),
        (
            "devices.validator.protocol",
            "cctalk",
            'devices.validator.protocol: must be one of ccnet, id003, ssp, sim, got "cctalk"',
        ),
        (
            "devices.validator.protocol",
            DELETE,
            "devices.validator.protocol: required key is missing",
        ),
        (
            "devices.validator.poll_interval_ms",
            5,
            "devices.validator.poll_interval_ms: must be between 20 and 2000, got 5",
        ),
        (
            "devices.validator.retries",
            "3",
            'devices.validator.retries: expected a whole number, got "3"',
        ),
        (
            "devices.printer.no_paper_policy",
            "skip",
            'devices.printer.no_paper_policy: must be one of ask, out_of_service, got "skip"',
        ),
        ("terminal.agent_bin", "060640010248", "terminal.agent_bin: control digit does not match"),
        (
            "terminal.agent_bin",
            "12345",
            'terminal.agent_bin: must be 12 digits (the agent\'s BIN), got "12345"',
        ),
        (
            "terminal.agent_bin",
            60640010247,
            "terminal.agent_bin: expected a string, got 60640010247",
        ),
        ("terminal.address", DELETE, "terminal.address: required key is missing"),
        ("terminal.address", "  ", "terminal.address: must not be empty"),
        (
            "terminal.id",
            "KZ ALA 1",
            'terminal.id: use letters, digits and dashes (e.g. KZ-ALA-0001), got "KZ ALA 1"',
        ),
        (
            "terminal.status_url",
            "www.example.kz",
            'terminal.status_url: must be an http:// or https:// URL, got "www.example.kz"',
        ),
        (
            "ledger.url",
            "ftp://ledger.example.kz",
            'ledger.url: must be an http:// or https:// URL, got "ftp://ledger.example.kz"',
        ),
        ("ledger.timeout_s", 0, "ledger.timeout_s: must be more than 0 and at most 300, got 0"),
        ("ledger.timeout_s", "10", 'ledger.timeout_s: expected a number of seconds, got "10"'),
        (
            "storage.url",
            "postgresql://db/kiosk",
            'storage.url: must be a sqlite:/// URL (e.g. "sqlite:////var/lib/kiosk/kiosk.db"), '
            'got "postgresql://db/kiosk"',
        ),
        (
            "kiosk.default_language",
            "de",
            'kiosk.default_language: must be one of kk, ru, en, got "de"',
        ),
        (
            "kiosk.cash_complete_s",
            60,
            "kiosk.cash_complete_s: must be greater than kiosk.cash_warn_s (90), got 60",
        ),
        (
            "kiosk.idle_timeout_s",
            60.5,
            "kiosk.idle_timeout_s: expected a whole number of seconds, got 60.5",
        ),
        (
            "logging.level",
            "info",
            'logging.level: must be one of DEBUG, INFO, WARNING, ERROR, got "info"',
        ),
        (
            "logging.max_bytes",
            [1],
            "logging.max_bytes: expected a whole number of bytes, got an array",
        ),
        (
            "terminal.agent_bn",
            "060640010247",
            'terminal.agent_bn: unknown key; did you mean "agent_bin"?',
        ),
        (
            "kiosk.colour",
            "blue",
            "kiosk.colour: unknown key (known: default_language, idle_timeout_s, cash_warn_s, "
            "cash_complete_s)",
        ),
        ("limit.mrp", 432500, 'limit: unknown section; did you mean "limits"?'),
        (
            "devices.scanner.port",
            "/dev/ttyS1",
            "devices.scanner: unknown section (known: validator, printer)",
        ),
    ],
)
def test_bad_value_names_key_and_problem(
    minimal_data: dict[str, Any], dotted: str, value: Any, message: str
) -> None:
    change(minimal_data, dotted, value)

    error = error_for(minimal_data)

    assert str(error) == message
    assert error.key == message.split(":")[0]


def test_missing_required_section_is_named(minimal_data: dict[str, Any]) -> None:
    del minimal_data["limits"]

    assert str(error_for(minimal_data)) == "limits: required section [limits] is missing"


def test_section_that_is_not_a_table_is_named(minimal_data: dict[str, Any]) -> None:
    minimal_data["terminal"] = "KZ-ALA-0001"

    assert str(error_for(minimal_data)) == (
        'terminal: expected a table [terminal], got "KZ-ALA-0001"'
    )


def test_port_required_unless_simulated(minimal_data: dict[str, Any]) -> None:
    minimal_data["devices"]["validator"] = {"protocol": "id003"}

    assert str(error_for(minimal_data)).startswith(
        'devices.validator.port: required for protocol "id003"'
    )


def test_mistake_in_file_is_reported_with_its_key(
    write_config: Callable[[str], Path], minimal_toml: str
) -> None:
    path = write_config(minimal_toml.replace("mrp = 432500", 'mrp = "4325.0"'))

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value) == 'limits.mrp: expected a whole number of tiyn, got "4325.0"'
    assert (
        caught.value.located == f'{path}: limits.mrp: expected a whole number of tiyn, got "4325.0"'
    )


def test_toml_syntax_error_names_file_line_and_column(
    write_config: Callable[[str], Path], minimal_toml: str
) -> None:
    path = write_config(minimal_toml.replace('address = "Almaty, Abay Ave 10"', "address = Almaty"))

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 3, column" in message
    assert "\n" not in message


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value) == (
        f"{path}: cannot read the configuration file: No such file or directory"
    )


def test_directory_instead_of_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)

    assert str(caught.value).startswith(f"{tmp_path}: cannot read the configuration file: ")
    assert "\n" not in str(caught.value)


def test_unreadable_file_is_one_line(
    write_config: Callable[[str], Path], minimal_toml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(minimal_toml)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    # Tests may run as root, which reads files whatever their mode.
    monkeypatch.setattr(Path, "read_bytes", refuse)

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value) == f"{path}: cannot read the configuration file: Permission denied"


def test_file_that_is_not_utf8_is_one_line(tmp_path: Path, minimal_toml: str) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(minimal_toml.replace("Abay", "Abaý").encode("latin-1"))

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value).startswith(f"{path}: not UTF-8 text")
