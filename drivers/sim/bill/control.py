"""The CCNET simulator's text control channel: one command per line, one answer per line.

Answers are ``ok``, ``ok <data>`` or ``error: <why>``; a bad line never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.sim.bill.mechanics import SimulatorRefused

if TYPE_CHECKING:
    from drivers.sim.bill.ccnet import CcnetDevice

TIYN_PER_TENGE = 100

HELP = (
    "insert <tenge> | insert-fake | jam [acceptor|cassette] | clear | cassette-out |"
    " cassette-in | cassette-full | cheat | fail [code, e.g. 0x50] | power-cycle | left-enabled |"
    " noise <frames> | drop <frames> | mute <seconds> | state | cassette | ground-truth | help"
)


class _BadArgument(ValueError):
    pass


def _whole(text: str, what: str, base: int = 10) -> int:
    try:
        value = int(text, base)
    except ValueError:
        raise _BadArgument(f"{what} must be a whole number, got {text!r}") from None
    if value < 0:
        raise _BadArgument(f"{what} must not be negative, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _BadArgument(f"seconds must be a number, got {text!r}") from None
    if not 0 <= value <= 86_400:
        raise _BadArgument(f"seconds must be between 0 and 86400, got {text!r}")
    return value


def _no_args(action: Callable[[], None]) -> Callable[[list[str]], str | None]:
    def run(args: list[str]) -> str | None:
        if args:
            raise _BadArgument("this command takes no argument")
        action()
        return None

    return run


def _commands(device: CcnetDevice) -> dict[str, Callable[[list[str]], str | None]]:
    def one(args: list[str], what: str) -> str:
        if len(args) != 1:
            raise _BadArgument(f"expected one argument: {what}")
        return args[0]

    def insert(args: list[str]) -> None:
        device.insert(_whole(one(args, "tenge"), "tenge") * TIYN_PER_TENGE)

    def jam(args: list[str]) -> None:
        device.jam(args[0] if args else "acceptor")

    def fail(args: list[str]) -> None:
        device.fail(_whole(args[0], "failure code", base=0) if args else 0x50)

    def noise(args: list[str]) -> None:
        device.noise(_whole(one(args, "frames"), "frames"))

    def drop(args: list[str]) -> None:
        device.drop(_whole(one(args, "frames"), "frames"))

    def mute(args: list[str]) -> None:
        device.mute(_seconds(one(args, "seconds")))

    def state(args: list[str]) -> str:
        return device.state

    def cassette(args: list[str]) -> str:
        truth = device.ground_truth()
        return json.dumps({"notes": truth["notes"], "returned": truth["returned"]})

    def ground_truth(args: list[str]) -> str:
        return json.dumps(device.ground_truth())

    def help_(args: list[str]) -> str:
        return HELP

    return {
        "insert": insert,
        "insert-fake": _no_args(device.insert_fake),
        "jam": jam,
        "clear": _no_args(device.clear),
        "cassette-out": _no_args(device.cassette_out),
        "cassette-in": _no_args(device.cassette_in),
        "cassette-full": _no_args(device.cassette_full),
        "cheat": _no_args(device.cheat),
        "fail": fail,
        "power-cycle": _no_args(device.power_cycle),
        "left-enabled": _no_args(device.left_enabled),
        "noise": noise,
        "drop": drop,
        "mute": mute,
        "state": state,
        "cassette": cassette,
        "ground-truth": ground_truth,
        "help": help_,
    }


def handle_control_line(device: CcnetDevice, line: str) -> str:
    """Run one control command on ``device``; the answer line (without newline)."""
    words = line.split()
    if not words:
        return "error: empty command; try 'help'"
    name, args = words[0].lower(), words[1:]
    command = _commands(device).get(name)
    if command is None:
        return f"error: unknown command {name!r}; try 'help'"
    try:
        data = command(args)
    except (_BadArgument, SimulatorRefused) as exc:
        return f"error: {exc}"
    return "ok" if data is None else f"ok {data}"
