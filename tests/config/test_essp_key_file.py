"""``[devices.validator] essp_key_file``: the eSSP fixed key read from its own file at load,
each mistake named in one line that never shows the key."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import drivers.bill.ssp.keyfile as keyfile
from drivers.bill.ssp.keyfile import KeyFileError, read_fixed_key, write_fixed_key
from drivers.sim import start_simulator
from drivers.sim.bill.ssp import SspDevice
from kiosk.app import build_kiosk, open_devices
from kiosk.config import ConfigError, load_config, parse_config

KEY = 0x0123456789ABCDEF
KEY_TEXT = "0123456789ABCDEF"
KEY_OPTION = "devices.validator.essp_key_file"


def write_key(folder: Path, text: str, mode: int = 0o600, name: str = "essp.key") -> Path:
    path = folder / name
    path.write_text(text)
    path.chmod(mode)
    return path


def ssp_data(
    minimal_data: dict[str, Any], key_file: Path | str, protocol: str = "ssp"
) -> dict[str, Any]:
    minimal_data["devices"]["validator"] = {
        "protocol": protocol,
        "port": "/dev/ttyUSB0",
        "essp_key_file": str(key_file),
    }
    return minimal_data


def config_error(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    message = str(caught.value)
    assert "\n" not in message and caught.value.key == KEY_OPTION
    return message


@pytest.mark.parametrize("text", [KEY_TEXT, "0x0123456789abcdef\n", "  0X0123456789ABCDEF \n"])
def test_a_good_key_file_gives_the_validator_its_fixed_key(
    tmp_path: Path, minimal_data: dict[str, Any], text: str
) -> None:
    path = write_key(tmp_path, text)

    validator = parse_config(ssp_data(minimal_data, path)).validator

    assert validator.essp_key_file == path and validator.essp_fixed_key == KEY
    assert KEY_TEXT not in repr(validator).upper()  # a logged config does not show it


def test_without_a_key_file_the_validator_speaks_plain_ssp(
    minimal_data: dict[str, Any],
) -> None:
    minimal_data["devices"]["validator"] = {"protocol": "ssp", "port": "/dev/ttyUSB0"}

    validator = parse_config(minimal_data).validator

    assert validator.essp_key_file is None and validator.essp_fixed_key is None


def test_key_file_in_a_toml_file_loads(tmp_path: Path, minimal_toml: str) -> None:
    path = write_key(tmp_path, KEY_TEXT + "\n")
    toml = minimal_toml.replace('protocol = "ccnet"', 'protocol = "ssp"').replace(
        'port = "/dev/ttyS0"', f'port = "/dev/ttyUSB0"\nessp_key_file = "{path}"'
    )
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(toml)

    assert load_config(config_file).validator.essp_fixed_key == KEY


def test_a_relative_key_file_is_read_from_the_working_directory_like_the_ledger_secret(
    tmp_path: Path, minimal_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_key(tmp_path, KEY_TEXT)
    monkeypatch.chdir(tmp_path)

    validator = parse_config(ssp_data(minimal_data, "essp.key")).validator

    assert validator.essp_key_file == Path("essp.key") and validator.essp_fixed_key == KEY


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty; it must hold the unit's eSSP fixed key as 16 hex digits"),
        (" \n", "is empty; it must hold the unit's eSSP fixed key as 16 hex digits"),
        (
            "0123456789ABCDE",
            "holds 15 hex digits; it must hold the unit's eSSP fixed key as 16 hex digits",
        ),
        (
            "0x0123456789ABCDEF01",
            "holds 18 hex digits; it must hold the unit's eSSP fixed key as 16 hex digits",
        ),
        (
            "0123456789ABCDEG",
            "holds characters that are not hex digits (0-9, a-f); it must hold"
            " the unit's eSSP fixed key as 16 hex digits",
        ),
        ("01234567 89ABCDEF", "holds characters that are not hex digits (0-9, a-f)"),
        ("0123_4567_89AB_CDEF", "holds characters that are not hex digits (0-9, a-f)"),
        ("-123456789ABCDEF", "holds characters that are not hex digits (0-9, a-f)"),
        ("0123456789ABCDEF\n# unit 7\n", "holds characters that are not hex digits (0-9, a-f)"),
        ("０１２３４５６７８９ＡＢＣＤＥＦ", "holds characters that are not hex digits (0-9, a-f)"),
    ],
)
def test_a_bad_key_file_is_a_config_error_naming_the_file_and_the_problem(
    tmp_path: Path, minimal_data: dict[str, Any], text: str, problem: str
) -> None:
    path = write_key(tmp_path, text)

    message = config_error(ssp_data(minimal_data, path))

    assert message.startswith(f"{KEY_OPTION}: eSSP key file {path} {problem}")
    assert "0123456789" not in message  # no part of what the file holds


def test_a_missing_key_file_is_named(tmp_path: Path, minimal_data: dict[str, Any]) -> None:
    path = tmp_path / "absent.key"

    assert config_error(ssp_data(minimal_data, path)) == (
        f"{KEY_OPTION}: eSSP key file {path} does not exist; it must hold the unit's eSSP fixed"
        " key as 16 hex digits"
    )


def test_a_directory_instead_of_a_key_file_is_named(
    tmp_path: Path, minimal_data: dict[str, Any]
) -> None:
    assert config_error(ssp_data(minimal_data, tmp_path)) == (
        f"{KEY_OPTION}: eSSP key file {tmp_path} is a directory, not a file"
    )


def test_an_unreadable_key_file_says_permission_denied_and_what_to_do(
    tmp_path: Path, minimal_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_key(tmp_path, KEY_TEXT)

    def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(file))

    # Tests may run as root, which reads files whatever their mode.
    monkeypatch.setattr(keyfile, "open", refuse, raising=False)
    message = config_error(ssp_data(minimal_data, path))

    assert message == (
        f"{KEY_OPTION}: cannot read the eSSP key file {path}: permission denied"
        " (make it readable by the user the kiosk runs as, and by no one else:"
        " chmod 600)"
    )


@pytest.mark.parametrize("protocol", ["ccnet", "id003", "sim"])
def test_a_key_file_is_refused_for_a_protocol_other_than_ssp(
    tmp_path: Path, minimal_data: dict[str, Any], protocol: str
) -> None:
    path = write_key(tmp_path, KEY_TEXT)

    assert config_error(ssp_data(minimal_data, path, protocol)) == (
        f'{KEY_OPTION}: eSSP is only for protocol "ssp", not "{protocol}": remove this key or'
        ' set protocol = "ssp"'
    )


def test_the_key_itself_cannot_be_written_in_the_configuration(
    minimal_data: dict[str, Any],
) -> None:
    minimal_data["devices"]["validator"] = {
        "protocol": "ssp",
        "port": "/dev/ttyUSB0",
        "essp_fixed_key": KEY,
    }

    with pytest.raises(ConfigError) as caught:
        parse_config(minimal_data)

    assert str(caught.value) == (
        "devices.validator.essp_fixed_key: the key is not written in the configuration: put it "
        "in a file readable only by the kiosk (chmod 600) and name that file with essp_key_file"
    )


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_a_key_file_group_or_others_can_read_is_refused_with_the_chmod_to_run(
    tmp_path: Path, minimal_data: dict[str, Any], mode: int
) -> None:
    path = write_key(tmp_path, KEY_TEXT, mode=mode)

    assert config_error(ssp_data(minimal_data, path)) == (
        f"{KEY_OPTION}: eSSP key file {path} can be read by group or others (mode {mode:03o}):"
        f" chmod 600 {path}"
    )


def test_a_key_file_only_its_owner_can_read_loads_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_key(tmp_path, KEY_TEXT, mode=0o400)

    with caplog.at_level(logging.DEBUG, logger=keyfile.__name__):
        assert read_fixed_key(path) == KEY

    assert not caplog.records


def test_a_written_key_file_is_private_and_reads_back(tmp_path: Path) -> None:
    path = write_key(tmp_path, "old contents", mode=0o644)

    write_fixed_key(path, KEY)

    assert path.stat().st_mode & 0o777 == 0o600
    assert read_fixed_key(path) == KEY


def test_key_file_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        read_fixed_key(tmp_path / "absent.key")
    assert issubclass(KeyFileError, ValueError)


def test_a_kiosk_configured_with_the_key_file_starts_on_a_validator_requiring_essp(
    tmp_path: Path, minimal_data: dict[str, Any]
) -> None:
    device = SspDevice(seed=3, require_encryption=True, fixed_key=KEY)
    served = start_simulator("ssp", device=device, listen="tcp://127.0.0.1:0")
    data = ssp_data(minimal_data, write_key(tmp_path, KEY_TEXT))
    data["devices"]["validator"].update(port=served.port, response_timeout_ms=300)
    data["storage"] = {"url": f"sqlite:///{tmp_path / 'kiosk.db'}"}
    config = parse_config(data)
    kiosk = build_kiosk(config, open_devices(config))
    try:
        kiosk.acceptor.start(threaded=False)
        assert kiosk.acceptor.identity is not None  # it got past the key exchange
    finally:
        kiosk.stop()
        served.close()


def test_the_configured_key_and_an_explicit_acceptor_key_must_agree(
    tmp_path: Path, minimal_data: dict[str, Any]
) -> None:
    data = ssp_data(minimal_data, write_key(tmp_path, KEY_TEXT))
    data["storage"] = {"url": f"sqlite:///{tmp_path / 'kiosk.db'}"}
    config = parse_config(data)

    open_devices(config, fixed_key=KEY)  # the same key given twice is no clash
    with pytest.raises(ValueError, match="two different eSSP fixed keys"):
        open_devices(config, fixed_key=KEY ^ 1)
