"""The simulated validators' text control channel: one command per line, one answer per line.

The same commands for every protocol: they act on the device's mechanics (insert, jam,
cassette out …) or its line (noise, drop, mute), never on protocol codes. ``fail`` names the
part that failed (``stack-motor`` by default); a number there is a failure code of the
simulated device's own protocol, sent as given.

Answers are ``ok``, ``ok <data>`` or ``error: <why>``; a bad line never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.sim.bill.mechanics import Failure, FailureCode, SimulatorRefused

if TYPE_CHECKING:
    from drivers.sim.bill.device import SimulatedValidator

TIYN_PER_TENGE = 100

HELP = (
    "insert <tenge> | insert-fake | jam [acceptor|cassette] | clear | cassette-out |"
    " cassette-in | cassette-full | cheat | fail [stack-motor|transport-motor-speed|"
    "transport-motor|<protocol code, e.g. 0x50>] | power-cycle | left-enabled |"
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


def _one(args: list[str], what: str) -> str:
    if len(args) != 1:
        raise _BadArgument(f"expected one argument: {what}")
    return args[0]


def _failure(text: str) -> FailureCode:
    """A part by name (``stack-motor``), else a number: the protocol's own failure code."""
    try:
        return Failure(text.lower())
    except ValueError:
        return _whole(text, "failure code", base=0)


Command = Callable[["SimulatedValidator", list[str]], str | None]


def _no_args(action: Callable[[SimulatedValidator], None]) -> Command:
    def run(device: SimulatedValidator, args: list[str]) -> str | None:
        if args:
            raise _BadArgument("this command takes no argument")
        action(device)
        return None

    return run


def _insert(device: SimulatedValidator, args: list[str]) -> None:
    device.insert(_whole(_one(args, "tenge"), "tenge") * TIYN_PER_TENGE)


def _jam(device: SimulatedValidator, args: list[str]) -> None:
    device.jam(args[0] if args else "acceptor")


def _fail(device: SimulatedValidator, args: list[str]) -> None:
    device.fail(_failure(args[0]) if args else Failure.STACK_MOTOR)


def _noise(device: SimulatedValidator, args: list[str]) -> None:
    device.noise(_whole(_one(args, "frames"), "frames"))


def _drop(device: SimulatedValidator, args: list[str]) -> None:
    device.drop(_whole(_one(args, "frames"), "frames"))


def _mute(device: SimulatedValidator, args: list[str]) -> None:
    device.mute(_seconds(_one(args, "seconds")))


def _cassette(device: SimulatedValidator, args: list[str]) -> str:
    truth = device.ground_truth()
    return json.dumps({"notes": truth["notes"], "returned": truth["returned"]})


_COMMANDS: dict[str, Command] = {
    "insert": _insert,
    "insert-fake": _no_args(lambda device: device.insert_fake()),
    "jam": _jam,
    "clear": _no_args(lambda device: device.clear()),
    "cassette-out": _no_args(lambda device: device.cassette_out()),
    "cassette-in": _no_args(lambda device: device.cassette_in()),
    "cassette-full": _no_args(lambda device: device.cassette_full()),
    "cheat": _no_args(lambda device: device.cheat()),
    "fail": _fail,
    "power-cycle": _no_args(lambda device: device.power_cycle()),
    "left-enabled": _no_args(lambda device: device.left_enabled()),
    "noise": _noise,
    "drop": _drop,
    "mute": _mute,
    "state": lambda device, args: device.state,
    "cassette": _cassette,
    "ground-truth": lambda device, args: json.dumps(device.ground_truth()),
    "help": lambda device, args: HELP,
}


def handle_control_line(device: SimulatedValidator, line: str) -> str:
    """Run one control command on ``device``; the answer line (without newline)."""
    words = line.split()
    if not words:
        return "error: empty command; try 'help'"
    name, args = words[0].lower(), words[1:]
    command = _COMMANDS.get(name)
    if command is None:
        return f"error: unknown command {name!r}; try 'help'"
    try:
        data = command(device, args)
    except (_BadArgument, SimulatorRefused) as exc:
        return f"error: {exc}"
    return "ok" if data is None else f"ok {data}"
