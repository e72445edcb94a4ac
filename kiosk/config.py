"""Kiosk configuration: a TOML file validated into frozen dataclasses (ARCHITECTURE.md contract).

Every problem is reported as one ``ConfigError`` line naming the dotted key, so a technician
can fix the file without reading code. Money is whole tiyn; only durations may be fractional.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import json
import os
import re
import ssl
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args
from urllib.parse import urlsplit

from kiosk.domain.money import LANGUAGES, Language
from kiosk.domain.names import LocalName, LocalNameError, read_local_name
from kiosk.domain.offline import DEFAULT_OFFLINE, OfflinePolicy

ValidatorProtocol = Literal["ccnet", "id003", "ssp", "sim"]
VALIDATOR_PROTOCOLS: tuple[str, ...] = get_args(ValidatorProtocol)
NoPaperPolicy = Literal["ask", "out_of_service"]
NO_PAPER_POLICIES: tuple[str, ...] = get_args(NoPaperPolicy)
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)

DEFAULT_STORAGE_URL = "sqlite:////var/lib/kiosk/kiosk.db"  # four slashes: absolute
SQLITE_URL_PREFIX = "sqlite:///"
_TERMINAL_ID = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_BIN_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
_LOOPBACK_NAMES = ("localhost", "localhost.")
# A terminal secret is 64 hex digits; anything this large is the wrong file.
_MAX_SECRET_BYTES = 4096
_IN_MEMORY = re.compile(r"(^|[/:])(:memory:|file::memory:)|[?&]mode=memory(&|$)")


class ConfigError(ValueError):
    """A configuration problem, one line: ``dotted.key: problem`` (or ``FILE: problem``)."""

    def __init__(self, problem: str, *, key: str | None = None, source: str = "<config>") -> None:
        self.problem = " ".join(problem.split())  # one line, whatever the cause said
        self.key = key
        self.source = source
        super().__init__(self.detail if key else f"{source}: {self.problem}")

    @property
    def detail(self) -> str:
        """The problem with its dotted key, without the file name."""
        return f"{self.key}: {self.problem}" if self.key else self.problem

    @property
    def located(self) -> str:
        """``source: key: problem`` — the line to show when several files are in play."""
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True, slots=True)
class TerminalConfig:
    """Who and where the terminal is; printed on every receipt.

    ``address`` and ``agent_name`` are the one given name (the Russian one when the file
    gives kk/ru/en): screens and receipts ask ``address_in``/``agent_name_in`` for the
    customer's language."""

    id: str
    address: str
    agent_name: str
    agent_bin: str
    support_phone: str
    status_url: str | None = None
    local_address: LocalName | None = None
    local_agent_name: LocalName | None = None

    def address_in(self, language: Language) -> str:
        """The address as a customer reading ``language`` sees it."""
        return self.local_address.in_language(language) if self.local_address else self.address

    def agent_name_in(self, language: Language) -> str:
        """The payment agent's name as a customer reading ``language`` sees it."""
        local = self.local_agent_name
        return local.in_language(language) if local else self.agent_name


# Filled from ``address`` and ``agent_name``: a file that sets them is refused.
_DERIVED_TERMINAL_KEYS = ("local_address", "local_agent_name")


@dataclass(frozen=True, slots=True)
class ValidatorConfig:
    """The bill acceptor: protocol and pyserial port URL (no port for the in-process ``sim``).

    ``essp_key_file`` (ssp only) names the file holding the unit's eSSP fixed key; the loader
    reads it into ``essp_fixed_key``, which is never written in the configuration itself.
    """

    protocol: ValidatorProtocol
    port: str | None = None
    poll_interval_ms: int = 100
    response_timeout_ms: int = 1000
    retries: int = 3
    essp_key_file: Path | None = None
    essp_fixed_key: int | None = field(default=None, repr=False)  # kept out of tracebacks


# Fields the loader fills from elsewhere: a file that sets them is refused.
_DERIVED_VALIDATOR_KEYS = ("essp_fixed_key",)


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """The receipt printer; ``port`` None means a simulated printer (demo and simulation)."""

    port: str | None = None
    profile: str = "TM-T88V"
    no_paper_policy: NoPaperPolicy = "ask"


@dataclass(frozen=True, slots=True)
class LedgerConfig:
    """The central ledger; ``url`` None means no remote ledger (embedded or none).

    ``secret_file`` (required with ``url``) holds the terminal's HMAC secret; the loader reads
    it into ``secret``, never written in the configuration itself. ``ca_file`` is a private
    CA bundle to verify the ledger's certificate with (None: the system's CAs).
    """

    url: str | None = None
    secret_file: Path | None = None
    ca_file: Path | None = None
    timeout_s: float = 10.0
    heartbeat_s: int = 60
    catalog_refresh_s: int = 3600
    secret: str | None = field(default=None, repr=False)  # kept out of tracebacks and logs


_DERIVED_LEDGER_KEYS = ("secret",)


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """The local SQLite database."""

    url: str = DEFAULT_STORAGE_URL


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """MRP and the offline caps; every amount in whole tiyn."""

    mrp: int
    # The defaults are the offline policy's own (kiosk/domain/offline.py).
    offline_max_payment: int = DEFAULT_OFFLINE.max_payment
    offline_max_total: int = DEFAULT_OFFLINE.max_total
    offline_max_count: int = DEFAULT_OFFLINE.max_count
    offline_max_age_s: int = DEFAULT_OFFLINE.max_age_s

    @property
    def offline(self) -> OfflinePolicy:
        """The offline caps as the policy that decides with them."""
        return OfflinePolicy(
            max_payment=self.offline_max_payment,
            max_total=self.offline_max_total,
            max_count=self.offline_max_count,
            max_age_s=self.offline_max_age_s,
        )


@dataclass(frozen=True, slots=True)
class KioskConfig:
    """Customer-facing behaviour: language and timeouts."""

    default_language: Language = "ru"
    idle_timeout_s: int = 60
    cash_warn_s: int = 90
    cash_complete_s: int = 120


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    """Structured log destination; ``path`` None means stderr."""

    path: Path | None = None
    level: LogLevel = "INFO"
    max_bytes: int = 10 * 1024 * 1024
    backups: int = 10


@dataclass(frozen=True, slots=True)
class Config:
    """The whole validated configuration of one terminal."""

    terminal: TerminalConfig
    validator: ValidatorConfig
    printer: PrinterConfig | None
    ledger: LedgerConfig
    storage: StorageConfig
    limits: LimitsConfig
    kiosk: KioskConfig
    logging: LoggingConfig


def is_valid_bin(value: str) -> bool:
    """True for 12 ASCII digits whose last is the IIN/BIN control digit (DOMAIN.md)."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    for weights in _BIN_WEIGHTS:
        check = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
        if check != 10:  # 10 means: try the second weights; 10 again means no valid number
            return check == digits[11]
    return False


def _show(value: Any) -> str:
    """A value as it would be written in TOML, short and on one line."""
    if isinstance(value, Mapping | list):
        return "a table" if isinstance(value, Mapping) else "an array"
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:  # numbers, and the dates and times TOML also has
        text = value.isoformat() if isinstance(value, datetime | date | time) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _refuse_unknown(
    data: Mapping[str, Any], known: tuple[str, ...], prefix: str, what: str, source: str
) -> None:
    for name in data:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f'; did you mean "{close[0]}"?' if close else f" (known: {', '.join(known)})"
            raise ConfigError(f"unknown {what}{hint}", key=prefix + name, source=source)


class _Table:
    """One TOML table being read; refuses keys its dataclass does not have."""

    def __init__(
        self,
        data: Mapping[str, Any],
        name: str,
        schema: type[Any],
        source: str,
        derived: tuple[str, ...] = (),
    ):
        self.data, self.name, self.source = data, name, source
        fields = [f for f in dataclasses.fields(schema) if f.name not in derived]
        known = tuple(f.name for f in fields)
        # The dataclass's defaults are the file's defaults: written once, there.
        self.defaults: dict[str, Any] = {
            f.name: f.default for f in fields if f.default is not dataclasses.MISSING
        }
        _refuse_unknown(data, known, f"{name}.", "key", source)

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(problem, key=f"{self.name}.{key}", source=self.source)

    def text(self, key: str, *, required: bool = False) -> str | None:
        if key not in self.data:
            if required or key not in self.defaults:
                raise self.error(key, "required key is missing")
            return cast(str | None, self.defaults[key])
        value = self.data[key]
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_show(value)}")
        if not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def required_text(self, key: str) -> str:
        return cast(str, self.text(key, required=True))

    def local_name(self, key: str) -> LocalName:
        """A required name in the customer's languages: one string, or a table with kk, ru
        and en (``address = {kk = "…", ru = "…", en = "…"}``)."""
        if key not in self.data:
            raise self.error(key, "required key is missing")
        try:
            return read_local_name(self.data[key])
        except LocalNameError as exc:
            raise self.error(key, str(exc).replace("an object", "a table")) from None

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key, required=self.defaults.get(key) is None)
        if value not in options:
            raise self.error(key, f"must be one of {', '.join(options)}, got {_show(value)}")
        return value

    def whole(self, key: str, low: int, high: int | None = None, unit: str = "") -> int:
        if key not in self.data:
            default: int | None = self.defaults.get(key)
            if default is None:
                raise self.error(key, "required key is missing")
            return default
        value = self.data[key]
        if type(value) is not int:  # bool is an int subclass; floats and strings are mistakes
            what = f"a whole number of {unit}" if unit else "a whole number"
            raise self.error(key, f"expected {what}, got {_show(value)}")
        if high is not None and not low <= value <= high:
            raise self.error(key, f"must be between {low} and {high}, got {value}")
        if value < low:
            raise self.error(key, f"must be at least {low}, got {value}")
        return value

    def seconds(self, key: str, low: float, high: float) -> float:
        value = self.data.get(key, self.defaults[key])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number of seconds, got {_show(value)}")
        if not low < value <= high:
            raise self.error(key, f"must be more than {low:g} and at most {high:g}, got {value}")
        return float(value)

    def http_url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise self.error(key, f"must be an http:// or https:// URL, got {_show(value)}")
        return value

    def path(self, key: str) -> Path | None:
        value = self.text(key)
        return None if value is None else Path(value)

    def private_file(self, key: str, path: Path, what: str) -> None:
        """Refuse a secret's file that group or others may read (ssh's rule for a key)."""
        try:
            mode = path.stat().st_mode
        except OSError:
            return  # the reader of the file names what is wrong (missing, unreadable)
        if stat.S_ISREG(mode) and mode & 0o077:
            raise self.error(
                key,
                f"{what} {path} can be read by group or others (mode "
                f"{stat.S_IMODE(mode):03o}): chmod 600 {path}",
            )


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _section(
    parent: Mapping[str, Any], dotted: str, source: str, *, required: bool = False
) -> Mapping[str, Any] | None:
    """The table at ``dotted`` (its last part looked up in ``parent``), None when absent."""
    name = dotted.rsplit(".", 1)[-1]
    if name not in parent:
        if required:
            raise ConfigError(f"required section [{dotted}] is missing", key=dotted, source=source)
        return None
    value = parent[name]
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"expected a table [{dotted}], got {_show(value)}", key=dotted, source=source
        )
    return value


def _terminal(data: Mapping[str, Any], source: str) -> TerminalConfig:
    t = _Table(data, "terminal", TerminalConfig, source, _DERIVED_TERMINAL_KEYS)
    terminal_id = t.required_text("id")
    if not _TERMINAL_ID.fullmatch(terminal_id):
        raise t.error(
            "id", f"use letters, digits and dashes (e.g. KZ-ALA-0001), got {_show(terminal_id)}"
        )
    agent_bin = t.required_text("agent_bin")
    if len(agent_bin) != 12 or not agent_bin.isascii() or not agent_bin.isdigit():
        raise t.error("agent_bin", f"must be 12 digits (the agent's BIN), got {_show(agent_bin)}")
    if not is_valid_bin(agent_bin):
        raise t.error("agent_bin", "control digit does not match")
    address, agent_name = t.local_name("address"), t.local_name("agent_name")
    return TerminalConfig(
        id=terminal_id,
        address=address.given,
        agent_name=agent_name.given,
        agent_bin=agent_bin,
        support_phone=t.required_text("support_phone"),
        status_url=t.http_url("status_url"),
        local_address=address,
        local_agent_name=agent_name,
    )


def validator_config(data: Mapping[str, Any], source: str = "<config>") -> ValidatorConfig:
    """Validate a ``[devices.validator]`` table (reading its eSSP key file, if it names one);
    raises ``ConfigError``."""
    if "essp_fixed_key" in data:  # a key in the config would be copied with it everywhere
        raise ConfigError(
            "the key is not written in the configuration: put it in a file "
            "readable only by the kiosk (chmod 600) and name that file with "
            "essp_key_file",
            key="devices.validator.essp_fixed_key",
            source=source,
        )
    t = _Table(data, "devices.validator", ValidatorConfig, source, _DERIVED_VALIDATOR_KEYS)
    protocol = cast(ValidatorProtocol, t.choice("protocol", VALIDATOR_PROTOCOLS))
    port = t.text("port")
    if port is None and protocol != "sim":
        raise t.error(
            "port",
            f'required for protocol "{protocol}" (e.g. "/dev/ttyS0" or "socket://127.0.0.1:7001")',
        )
    key_file = t.path("essp_key_file")
    if key_file is not None:
        t.private_file("essp_key_file", key_file, "eSSP key file")
    return ValidatorConfig(
        protocol=protocol,
        port=port,
        poll_interval_ms=t.whole("poll_interval_ms", 20, 2000, "milliseconds"),
        response_timeout_ms=t.whole("response_timeout_ms", 50, 10_000, "milliseconds"),
        retries=t.whole("retries", 0, 10),
        essp_key_file=key_file,
        essp_fixed_key=None if key_file is None else _essp_fixed_key(t, protocol, key_file),
    )


def _essp_fixed_key(t: _Table, protocol: str, key_file: Path) -> int:
    if protocol != "ssp":
        raise t.error(
            "essp_key_file",
            f'eSSP is only for protocol "ssp", not "{protocol}": '
            'remove this key or set protocol = "ssp"',
        )
    # The drivers package is loaded only when a key is configured: `config check` stays quick.
    from drivers.bill.ssp.keyfile import KeyFileError, read_fixed_key

    try:
        return read_fixed_key(key_file)
    except KeyFileError as exc:
        raise t.error("essp_key_file", str(exc)) from exc


def _printer(data: Mapping[str, Any], source: str) -> PrinterConfig:
    t = _Table(data, "devices.printer", PrinterConfig, source)
    return PrinterConfig(
        port=t.text("port"),
        profile=cast(str, t.text("profile")),
        no_paper_policy=cast(NoPaperPolicy, t.choice("no_paper_policy", NO_PAPER_POLICIES)),
    )


def _ledger(data: Mapping[str, Any], source: str) -> LedgerConfig:
    if "secret" in data:  # a secret in the config would be copied with it everywhere
        raise ConfigError(
            "the secret is not written in the configuration: put it in a file "
            "readable only by the kiosk (chmod 600) and name that file with "
            "secret_file",
            key="ledger.secret",
            source=source,
        )
    t = _Table(data, "ledger", LedgerConfig, source, _DERIVED_LEDGER_KEYS)
    url = t.http_url("url")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
            raise t.error(
                "url",
                f"plain http:// is only for a ledger on this machine "
                f"(127.0.0.1, ::1, localhost): payments and the terminal's "
                f"secret would cross the network unencrypted; use https://, "
                f"got {_show(url)}",
            )
    secret_file = t.path("secret_file")
    if url is not None and secret_file is None:
        raise t.error(
            "secret_file",
            "required with ledger.url: the file holding this "
            "terminal's secret (from 'kiosk ledger terminal add')",
        )
    ca_file = t.path("ca_file")
    if ca_file is not None:
        _check_ca_file(t, ca_file)
    return LedgerConfig(
        url=url,
        secret_file=secret_file,
        ca_file=ca_file,
        timeout_s=t.seconds("timeout_s", 0.0, 300.0),
        heartbeat_s=t.whole("heartbeat_s", 5, 3600, "seconds"),
        catalog_refresh_s=t.whole("catalog_refresh_s", 60, 86_400, "seconds"),
        secret=None if secret_file is None else _ledger_secret(t, secret_file),
    )


def _ledger_secret(t: _Table, path: Path) -> str:
    """The terminal secret in ``path``; messages name the file, never what it holds."""
    t.private_file("secret_file", path, "secret file")
    what = f"secret file {path}"
    try:
        with open(path, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise t.error("secret_file", f"{what} is not a regular file")
            raw = file.read(_MAX_SECRET_BYTES + 1)
    except FileNotFoundError:
        raise t.error(
            "secret_file",
            f"{what} does not exist: put there the secret printed by "
            "'kiosk ledger terminal add' (chmod 600)",
        ) from None
    except PermissionError:
        raise t.error(
            "secret_file",
            f"cannot read the {what}: permission denied (make it "
            "readable by the user the kiosk runs as, and by no one "
            "else: chmod 600)",
        ) from None
    except IsADirectoryError:
        raise t.error("secret_file", f"{what} is a directory, not a file") from None
    except OSError as exc:
        raise t.error("secret_file", f"cannot read the {what}: {exc.strerror or exc}") from None
    if len(raw) > _MAX_SECRET_BYTES:
        raise t.error("secret_file", f"{what} is too large to hold a terminal secret")
    try:
        secret = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise t.error(
            "secret_file",
            f"{what} is not text: it must hold the secret printed by 'kiosk ledger terminal add'",
        ) from None
    if not secret:
        raise t.error(
            "secret_file",
            f"{what} is empty: it must hold the secret printed by 'kiosk ledger terminal add'",
        )
    if any(c.isspace() for c in secret):
        raise t.error(
            "secret_file",
            f"{what} holds more than one word: it must hold only the "
            "secret printed by 'kiosk ledger terminal add'",
        )
    return secret


def _check_ca_file(t: _Table, path: Path) -> None:
    """The CA bundle must exist, be readable and hold PEM certificates (checked at load, so
    a typo shows at start and not as a TLS failure hours later)."""
    if path.is_dir():
        raise t.error("ca_file", f"CA file {path} is a directory, not a file")
    try:
        ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise t.error("ca_file", f"CA file {path} does not exist") from None
    except PermissionError:
        raise t.error(
            "ca_file",
            f"cannot read the CA file {path}: permission denied (make it "
            "readable by the user the kiosk runs as)",
        ) from None
    except ssl.SSLError:
        raise t.error(
            "ca_file", f"CA file {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        ) from None
    except OSError as exc:
        raise t.error("ca_file", f"cannot read the CA file {path}: {exc.strerror or exc}") from None


def _storage(data: Mapping[str, Any], source: str) -> StorageConfig:
    t = _Table(data, "storage", StorageConfig, source)
    url = cast(str, t.text("url"))
    if not url.startswith(SQLITE_URL_PREFIX) or len(url) == len(SQLITE_URL_PREFIX):
        raise t.error(
            "url", f'must be a sqlite:/// URL (e.g. "{DEFAULT_STORAGE_URL}"), got {_show(url)}'
        )
    if _IN_MEMORY.search(url[len(SQLITE_URL_PREFIX) - 1 :]):
        raise t.error(
            "url",
            f"an in-memory database loses every payment when the process "
            f"stops: the kiosk must keep its money records on disk (e.g. "
            f'"{DEFAULT_STORAGE_URL}"), got {_show(url)}',
        )
    return StorageConfig(url=url)


def _limits(data: Mapping[str, Any], source: str) -> LimitsConfig:
    t = _Table(data, "limits", LimitsConfig, source)
    limits = LimitsConfig(
        mrp=t.whole("mrp", 1, unit="tiyn"),
        offline_max_payment=t.whole("offline_max_payment", 0, unit="tiyn"),
        offline_max_total=t.whole("offline_max_total", 0, unit="tiyn"),
        offline_max_count=t.whole("offline_max_count", 0),
        offline_max_age_s=t.whole("offline_max_age_s", 0, unit="seconds"),
    )
    if limits.offline_max_payment > limits.offline_max_total:
        raise t.error(
            "offline_max_payment",
            f"must not exceed limits.offline_max_total "
            f"({limits.offline_max_total}), got {limits.offline_max_payment}",
        )
    return limits


def _kiosk(data: Mapping[str, Any], source: str) -> KioskConfig:
    t = _Table(data, "kiosk", KioskConfig, source)
    kiosk = KioskConfig(
        default_language=cast(Language, t.choice("default_language", LANGUAGES)),
        idle_timeout_s=t.whole("idle_timeout_s", 5, 3600, "seconds"),
        cash_warn_s=t.whole("cash_warn_s", 5, 3600, "seconds"),
        cash_complete_s=t.whole("cash_complete_s", 5, 3600, "seconds"),
    )
    if kiosk.cash_complete_s <= kiosk.cash_warn_s:
        # The customer is warned first; completing before the warning would surprise them.
        raise t.error(
            "cash_complete_s",
            f"must be greater than kiosk.cash_warn_s "
            f"({kiosk.cash_warn_s}), got {kiosk.cash_complete_s}",
        )
    return kiosk


def _logging(data: Mapping[str, Any], source: str) -> LoggingConfig:
    t = _Table(data, "logging", LoggingConfig, source)
    return LoggingConfig(
        path=t.path("path"),
        level=cast(LogLevel, t.choice("level", LOG_LEVELS)),
        max_bytes=t.whole("max_bytes", 1024, unit="bytes"),
        backups=t.whole("backups", 0, 1000),
    )


_SECTIONS = ("terminal", "devices", "ledger", "storage", "limits", "kiosk", "logging")
_DEVICES = ("validator", "printer")


def parse_config(data: Mapping[str, Any], source: str = "<config>") -> Config:
    """Validate already-parsed TOML data into a ``Config``; raises ``ConfigError``."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a table at the top level, got {_show(data)}", source=source)
    _refuse_unknown(data, _SECTIONS, "", "section", source)

    def table(parent: Mapping[str, Any], dotted: str, required: bool = False) -> Mapping[str, Any]:
        return _section(parent, dotted, source, required=required) or {}

    terminal = _terminal(table(data, "terminal", required=True), source)
    devices = table(data, "devices", required=True)
    _refuse_unknown(devices, _DEVICES, "devices.", "section", source)
    validator = validator_config(table(devices, "devices.validator", required=True), source)
    printer = _section(devices, "devices.printer", source)
    return Config(
        terminal=terminal,
        validator=validator,
        printer=None if printer is None else _printer(printer, source),
        ledger=_ledger(table(data, "ledger"), source),
        storage=_storage(table(data, "storage"), source),
        limits=_limits(table(data, "limits", required=True), source),
        kiosk=_kiosk(table(data, "kiosk"), source),
        logging=_logging(table(data, "logging"), source),
    )


def load_config(path: Path) -> Config:
    """Read and validate a TOML configuration file; raises ``ConfigError`` (one line)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"cannot read the configuration file: {reason}", source=source) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text (bad byte at offset {exc.start})", source=source
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", source=source) from exc
    return parse_config(data, source=source)


def demo_config(state_dir: Path) -> Config:
    """A ready configuration for the demo and simulation: simulated devices, no remote ledger."""
    database = Path(state_dir).resolve() / "kiosk.db"
    data: dict[str, Any] = {
        "terminal": {
            "id": "KZ-ALA-0001",
            "address": {
                "kk": "Алматы қ., Абай даңғылы, 10",
                "ru": "г. Алматы, пр. Абая, 10",
                "en": "Almaty, Abay Ave 10",
            },
            "agent_name": {
                "kk": "«Демо Төлемдер» ЖШС",
                "ru": "ТОО «Демо Платежи»",
                "en": "Demo Payments LLP",
            },
            "agent_bin": "060640010247",
            "support_phone": "+7 727 000 00 00",
        },
        "devices": {"validator": {"protocol": "sim"}, "printer": {}},
        "storage": {"url": f"{SQLITE_URL_PREFIX}{database}"},
        "limits": {"mrp": 432_500},
    }
    return parse_config(data, source="<demo>")


def with_status_url(config: Config, base_url: str) -> Config:
    """The configuration whose receipts' QR opens ``/status/{operation_id}`` on the ledger
    at ``base_url``: the demo's embedded ledger listens on a port known only once it runs,
    so its address is added after :func:`demo_config`."""
    terminal = dataclasses.replace(
        config.terminal, status_url=f"{base_url.rstrip('/')}/status/{{operation_id}}"
    )
    return dataclasses.replace(config, terminal=terminal)


def example_config_text() -> str:
    """The commented example configuration shipped with the package."""
    return resources.files("kiosk").joinpath("data", "example.toml").read_text(encoding="utf-8")
