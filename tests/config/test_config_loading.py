"""Valid configurations load into the documented values and defaults."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import (
    Config,
    ConfigError,
    LedgerConfig,
    LimitsConfig,
    PrinterConfig,
    demo_config,
    example_config_text,
    is_valid_bin,
    load_config,
    parse_config,
)
from tests.config.helpers import SECRET

# The configuration example of ARCHITECTURE.md ("Configuration (contract)"), verbatim.
ARCHITECTURE_EXAMPLE = """\
[terminal]
id = "KZ-ALA-0001"            # printed on receipts, used for ledger auth
address = "Almaty, Abay Ave 10"
agent_name = "…"
agent_bin = "…"
support_phone = "+7 727 000 00 00"
[devices.validator]
protocol = "ccnet"            # ccnet | id003 | ssp | sim
port = "socket://127.0.0.1:7001"   # any pyserial URL
[devices.printer]
port = "socket://127.0.0.1:9100"   # the same URL forms as the validator (tcp:// too)
profile = "TM-T88V"
[ledger]
url = "https://ledger.example.kz"  # http:// only to a loopback host
secret_file = "/etc/kiosk/ledger.secret"   # 0600
ca_file = "/etc/kiosk/ledger-ca.pem"       # optional: a private CA
heartbeat_s = 60
[storage]
url = "sqlite:////var/lib/kiosk/kiosk.db"  # four slashes: an absolute path
[limits]
mrp = 432500                  # tiyn
"""


def expand_documentation_shorthand(text: str, secret_file: Path, ca_file: Path) -> str:
    """The document elides values with '…' and names files of a real terminal.

    Give the BIN (the only checked elided value) a real one, and point at files that exist.
    """
    text = text.replace('agent_bin = "…"', 'agent_bin = "060640010247"')
    text = text.replace("/etc/kiosk/ledger.secret", str(secret_file))
    return text.replace("/etc/kiosk/ledger-ca.pem", str(ca_file))


def test_architecture_example_loads(
    write_config: Callable[[str], Path], secret_path: Path, ca_path: Path
) -> None:
    text = expand_documentation_shorthand(ARCHITECTURE_EXAMPLE, secret_path, ca_path)
    config = load_config(write_config(text))

    assert config.terminal.id == "KZ-ALA-0001"
    assert config.terminal.support_phone == "+7 727 000 00 00"
    assert (config.validator.protocol, config.validator.port) == (
        "ccnet",
        "socket://127.0.0.1:7001",
    )
    assert config.printer == PrinterConfig(port="socket://127.0.0.1:9100", profile="TM-T88V")
    assert config.ledger.url == "https://ledger.example.kz"
    assert config.ledger.secret_file == secret_path and config.ledger.secret == SECRET
    assert config.ledger.ca_file == ca_path and config.ledger.heartbeat_s == 60
    assert config.storage.url == "sqlite:////var/lib/kiosk/kiosk.db"
    assert config.limits.mrp == 432500


def test_example_file_loads(installed_example: Path) -> None:
    config = load_config(installed_example)

    assert config.terminal.agent_bin == "060640010247"
    assert config.validator.protocol == "ccnet"
    assert config.printer is not None
    assert config.limits.mrp == 432500


# Keys the example shows commented out: another validator protocol than its own, or optional
# files a terminal may not have.
COMMENTED = {"validator": {"essp_key_file"}, "ledger": {"ca_file"}}
# Fields the loader fills from elsewhere (the eSSP key and the ledger secret, from files).
DERIVED = {
    "validator": {"essp_fixed_key"},
    "ledger": {"secret"},
    "terminal": {"local_address", "local_agent_name"},
}


def test_example_file_shows_every_key(example_path: Path, installed_example: Path) -> None:
    data = tomllib.loads(example_path.read_text(encoding="utf-8"))
    config = load_config(installed_example)
    sections = {
        "terminal": data["terminal"],
        "validator": data["devices"]["validator"],
        "printer": data["devices"]["printer"],
        "ledger": data["ledger"],
        "storage": data["storage"],
        "limits": data["limits"],
        "kiosk": data["kiosk"],
        "logging": data["logging"],
    }

    text = example_path.read_text(encoding="utf-8")

    for name, table in sections.items():
        fields = {f.name for f in dataclasses.fields(getattr(config, name))}
        fields -= DERIVED.get(name, set())
        commented = COMMENTED.get(name, set())
        assert set(table) | commented == fields, name
        for key in commented:
            assert re.search(rf"^# ?{key} = ", text, re.MULTILINE), f"{name}.{key} not shown"


def test_packaged_example_text_is_the_example_file(example_path: Path) -> None:
    assert example_config_text() == example_path.read_text(encoding="utf-8")


def test_minimal_file_gets_documented_defaults(
    write_config: Callable[[str], Path], minimal_toml: str
) -> None:
    config = load_config(write_config(minimal_toml))

    assert config.printer is None
    assert config.ledger == LedgerConfig(
        url=None,
        secret_file=None,
        ca_file=None,
        timeout_s=10.0,
        heartbeat_s=60,
        catalog_refresh_s=3600,
        secret=None,
    )
    assert config.storage.url == "sqlite:////var/lib/kiosk/kiosk.db"
    assert config.limits == LimitsConfig(
        mrp=432500,
        offline_max_payment=5_000_000,
        offline_max_total=50_000_000,
        offline_max_count=200,
        offline_max_age_s=86_400,
    )
    assert (
        config.validator.poll_interval_ms,
        config.validator.response_timeout_ms,
        config.validator.retries,
    ) == (100, 1000, 3)
    assert (
        config.kiosk.default_language,
        config.kiosk.idle_timeout_s,
        config.kiosk.cash_warn_s,
        config.kiosk.cash_complete_s,
    ) == ("ru", 60, 90, 120)
    assert (
        config.logging.path,
        config.logging.level,
        config.logging.max_bytes,
        config.logging.backups,
    ) == (None, "INFO", 10_485_760, 10)
    assert config.terminal.status_url is None


def test_printer_section_without_port_is_a_simulated_printer(minimal_data: dict[str, Any]) -> None:
    minimal_data["devices"]["printer"] = {"no_paper_policy": "out_of_service"}

    printer = parse_config(minimal_data).printer

    assert printer == PrinterConfig(port=None, profile="TM-T88V", no_paper_policy="out_of_service")


def test_sim_validator_needs_no_port(minimal_data: dict[str, Any]) -> None:
    minimal_data["devices"]["validator"] = {"protocol": "sim"}

    assert parse_config(minimal_data).validator.port is None


def test_ledger_timeout_may_be_fractional_seconds(
    minimal_data: dict[str, Any], secret_path: Path
) -> None:
    minimal_data["ledger"] = {
        "url": "https://ledger.example.kz",
        "timeout_s": 2.5,
        "secret_file": str(secret_path),
    }

    assert parse_config(minimal_data).ledger.timeout_s == 2.5


def test_paths_are_paths(minimal_data: dict[str, Any], secret_path: Path) -> None:
    minimal_data["ledger"] = {"secret_file": str(secret_path)}
    minimal_data["logging"] = {"path": "/var/log/kiosk/kiosk.jsonl"}

    config = parse_config(minimal_data)

    assert config.ledger.secret_file == secret_path
    assert config.logging.path == Path("/var/log/kiosk/kiosk.jsonl")


def test_demo_config_is_simulated_and_stores_under_state_dir(tmp_path: Path) -> None:
    config = demo_config(tmp_path / "state")

    assert config.validator.protocol == "sim"
    assert config.ledger.url is None
    assert config.storage.url == f"sqlite:///{tmp_path / 'state' / 'kiosk.db'}"
    assert config.limits.mrp == 432500
    assert config.terminal.id == "KZ-ALA-0001"
    # The demo names its agent and address in the three languages; the Russian one is given.
    assert config.terminal.address == "г. Алматы, пр. Абая, 10"
    assert config.terminal.address_in("en") == "Almaty, Abay Ave 10"
    assert config.terminal.agent_name_in("kk") == "«Демо Төлемдер» ЖШС"
    assert config.terminal.agent_name_in("en") == "Demo Payments LLP"
    assert config.terminal.agent_bin == "060640010247"
    assert config.terminal.support_phone == "+7 727 000 00 00"


def test_config_is_immutable(installed_example: Path) -> None:
    config = load_config(installed_example)

    with pytest.raises(dataclasses.FrozenInstanceError):
        config.limits.mrp = 1  # type: ignore[misc]
    assert isinstance(config, Config)


@pytest.mark.parametrize(
    ("bin_iin", "valid"),
    [
        ("060640010247", True),  # DOMAIN.md: the QPlus operator's BIN
        ("060640010248", False),  # wrong control digit
        ("377835337400", True),  # first weights give 10, second weights give 0
        ("377835337401", False),
        ("068709861190", False),  # both weight sets give 10: no control digit exists
        ("06064001024", False),  # 11 digits
        ("06064001024a", False),
        ("٠٦٠٦٤٠٠١٠٢٤٧", False),  # Arabic-Indic digits are digits, but not ASCII
    ],
)
def test_bin_control_digit(bin_iin: str, valid: bool) -> None:
    assert is_valid_bin(bin_iin) is valid


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)
