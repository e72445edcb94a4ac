"""`kiosk config check` and `kiosk config example`: output and exit codes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk
from kiosk.cli import main
from kiosk.config import parse_config
from tests.config.helpers import EXAMPLE_SECRET_FILE


def test_check_accepts_good_file_with_summary(
    installed_example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["config", "check", str(installed_example)])

    out, err = capsys.readouterr()
    assert status == 0
    first, summary = out.splitlines()
    assert first == f"{installed_example}: ok"
    assert "KZ-ALA-0001" in summary
    assert "ccnet" in summary
    assert err == ""


def test_check_rejects_bad_file_with_one_line_naming_the_key(
    write_config: Callable[[str], Path], minimal_toml: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(minimal_toml.replace('protocol = "ccnet"', 'protocol = "cctalk"'))

    status = main(["config", "check", str(path)])

    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err == (
        f'{path}: devices.validator.protocol: must be one of ccnet, id003, ssp, sim, got "cctalk"\n'
    )


def test_check_reports_syntax_error_once_with_the_file(
    write_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config("[terminal\nid = 1\n")

    status = main(["config", "check", str(path)])

    err = capsys.readouterr().err
    assert status == 2
    assert err.count(str(path)) == 1
    assert err.startswith(f"{path}: invalid TOML: ")
    assert "line 1" in err
    assert err.count("\n") == 1


def test_check_reports_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["config", "check", str(tmp_path / "absent.toml")])

    assert status == 2
    assert capsys.readouterr().err == (
        f"{tmp_path / 'absent.toml'}: cannot read the configuration file: "
        "No such file or directory\n"
    )


def test_example_prints_a_file_that_passes_the_check_once_its_secret_is_installed(
    secret_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["config", "example"])

    text = capsys.readouterr().out
    assert status == 0
    assert text.startswith("#")
    data = tomllib.loads(text.replace(EXAMPLE_SECRET_FILE, str(secret_path)))
    config = parse_config(data)
    assert config.terminal.id == "KZ-ALA-0001"
    assert config.ledger.url == "https://ledger.example.kz"
    assert config.validator.port is not None and config.validator.port.startswith("socket://")
    assert config.printer is not None and config.printer.port is not None
    assert config.printer.port.startswith("socket://")


def test_check_of_the_example_without_its_secret_file_says_what_to_install(
    example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if Path(EXAMPLE_SECRET_FILE).exists():
        pytest.skip(f"{EXAMPLE_SECRET_FILE} exists on this machine")

    status = main(["config", "check", str(example_path)])

    assert status == 2
    assert capsys.readouterr().err == (
        f"{example_path}: ledger.secret_file: secret file {EXAMPLE_SECRET_FILE} does not exist: "
        "put there the secret printed by 'kiosk ledger terminal add' (chmod 600)\n"
    )


def test_installed_entry_point_exit_codes(
    installed_example: Path, write_config: Callable[[str], Path], minimal_toml: str
) -> None:
    example_path = installed_example
    bad = write_config(minimal_toml.replace("mrp = 432500", "mrp = 4325.0"))
    repository = Path(kiosk.__file__).parents[1]

    good_run = subprocess.run(
        [sys.executable, "-m", "kiosk", "config", "check", str(example_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=repository,
    )
    bad_run = subprocess.run(
        [sys.executable, "-m", "kiosk", "config", "check", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=repository,
    )

    assert good_run.returncode == 0, good_run.stderr
    assert good_run.stdout.startswith(f"{example_path}: ok\n")
    assert bad_run.returncode == 2
    assert bad_run.stderr == (f"{bad}: limits.mrp: expected a whole number of tiyn, got 4325.0\n")
