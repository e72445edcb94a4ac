"""The terminal's address and agent in the customer's languages: one string (every older
file) or a table with kk, ru and en; screens and receipts ask for the language's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from tests.config.helpers import MINIMAL_TOML

NAMES = """\
address = { kk = "Алматы қ., Абай даңғылы, 10", ru = "г. Алматы, пр. Абая, 10", en = "Almaty, Abay Ave 10" }
agent_bin = "060640010247"
support_phone = "+7 727 000 00 00"

[terminal.agent_name]
kk = "«Демо Төлемдер» ЖШС"
ru = "ТОО «Демо Платежи»"
en = "Demo Payments LLP"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def with_terminal(lines: str) -> str:
    """The minimal file with its [terminal] table's name lines replaced by ``lines``."""
    head, rest = MINIMAL_TOML.split("[devices.validator]")
    kept = [line for line in head.splitlines() if line.startswith(("[terminal]", "id ="))]
    return "\n".join(kept) + "\n" + lines + "\n[devices.validator]" + rest


def test_one_string_is_the_name_in_every_language(tmp_path: Path) -> None:
    terminal = load_config(write(tmp_path, MINIMAL_TOML)).terminal
    assert {terminal.address_in(lang) for lang in ("kk", "ru", "en")} == {"Almaty, Abay Ave 10"}
    assert terminal.agent_name_in("kk") == terminal.agent_name == "Demo Payments LLP"


def test_an_inline_or_a_sub_table_names_each_language(tmp_path: Path) -> None:
    terminal = load_config(write(tmp_path, with_terminal(NAMES))).terminal
    assert terminal.address_in("kk") == "Алматы қ., Абай даңғылы, 10"
    assert terminal.address_in("en") == "Almaty, Abay Ave 10"
    assert terminal.address == "г. Алматы, пр. Абая, 10"  # the given name: the Russian one
    assert terminal.agent_name_in("kk") == "«Демо Төлемдер» ЖШС"
    assert terminal.agent_name_in("ru") == "ТОО «Демо Платежи»"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            'address = { kk = "Алматы", ru = "Алматы" }',
            "terminal.address: the en name is missing or empty",
        ),
        (
            'address = { kk = "a", ru = "b", en = "c", de = "d" }',
            "terminal.address: unknown language 'de'",
        ),
        ("address = 10", "terminal.address: expected a string or a table"),
        ('local_address = "x"', "terminal.local_address: unknown key"),
    ],
)
def test_a_half_given_name_is_refused_naming_the_key(
    tmp_path: Path, line: str, problem: str
) -> None:
    text = with_terminal(
        line + '\nagent_name = "A"\nagent_bin = "060640010247"\nsupport_phone = "+7 1"\n'
    )
    if not line.startswith("address"):
        text = text.replace('agent_name = "A"', 'address = "x"\nagent_name = "A"')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert problem in str(caught.value)
