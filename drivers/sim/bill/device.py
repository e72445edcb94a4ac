"""What the three simulated validators share: a mechanics, the wire loop, line faults and
the control channel.

A protocol's device (ccnet.py, id003.py, ssp.py) *has* a ``ValidatorMechanics`` (the note
path, faults, ground truth; protocol-neutral) and adds only its wire: how host bytes become
messages (``_next_message``), the reply to one (``_reply_to``), how a reply is framed
(``_frame``), and what its power-up and "left enabled" settings are. The customer and
technician actions (insert, jam, cassette out …), the line faults a test scripts (noise,
drop, mute) and the control channel are the same for every protocol and written here once.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Protocol

from drivers.sim.bill.control import handle_control_line
from drivers.sim.bill.mechanics import (
    KZT_NOTES,
    Condition,
    Failure,
    FailureCode,
    Fault,
    Phase,
    SimulatorRefused,
    Timings,
    ValidatorMechanics,
)
from drivers.transport import Clock


class _Reader(Protocol):
    """A protocol's frame or packet reader (host bytes in, whole messages out)."""

    def feed(self, data: bytes) -> None: ...

    def clear(self) -> None: ...

    def take_corrupt(self) -> bool: ...


class SimulatedValidator(ABC):
    """A simulated bill validator speaking real wire bytes. Thread-safe (the mechanics'
    re-entrant lock guards the wire too)."""

    bits_per_byte: int  # for a served line's pacing (set by each protocol's class)
    max_note_types: ClassVar[int]  # how many note types the protocol's table can name
    protocol: ClassVar[str]

    def __init__(
        self,
        reader: _Reader,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
    ) -> None:
        if len(notes) > self.max_note_types:
            raise ValueError(f"{self.protocol} has at most {self.max_note_types} note types")
        self.mechanics = ValidatorMechanics(
            clock=clock, notes=notes, timings=timings, capacity=capacity
        )
        self._rng = random.Random(seed)
        self._reader = reader
        self._last_reply = b""
        self._noise_left = 0
        self._drop_left = 0
        self._mute_until = float("-inf")
        self.frames_received = 0

    # ----- the wire ----------------------------------------------------------------------
    def receive_data(self, data: bytes) -> bytes:
        """Bytes from the host in; reply bytes out (nothing while muted)."""
        with self.mechanics.lock:
            self.mechanics.advance()
            if self.mechanics.clock.monotonic() < self._mute_until:
                return b""
            self._reader.feed(data)
            out = bytearray()
            while (message := self._next_message()) is not None:
                self.frames_received += 1
                if self._drop_left:
                    self._drop_left -= 1
                    continue
                out += self._reply_to(message)
            if self._reader.take_corrupt():
                out += self._corrupt_heard()
            return bytes(out)

    @abstractmethod
    def _next_message(self) -> object | None:
        """The next whole frame or packet the reader holds, None when there is none."""

    @abstractmethod
    def _reply_to(self, message: object) -> bytes:
        """The wire bytes answering one message (b"" for none)."""

    def _corrupt_heard(self) -> bytes:
        """What the device sends after a damaged frame: by default nothing (the host asks
        again)."""
        return b""

    def _noisy(self, raw: bytes, first: int, bits: int = 8) -> bytes:
        """``raw`` as sent: with line noise scripted, one bit flipped at or after byte
        ``first`` (in one of the low ``bits``), so framing survives and the CRC catches it."""
        if not self._noise_left:
            return raw
        self._noise_left -= 1
        damaged = bytearray(raw)
        damaged[self._rng.randrange(first, len(damaged))] ^= 1 << self._rng.randrange(bits)
        return bytes(damaged)

    # ----- what the mechanics knows, for tests and the harness -------------------------
    @property
    def state(self) -> str:
        """The device's condition now, as a short name (the same for every protocol)."""
        return self.mechanics.state

    @property
    def fault(self) -> Fault | None:
        return self.mechanics.fault

    @property
    def phase(self) -> Phase:
        return self.mechanics.phase

    @property
    def timings(self) -> Timings:
        return self.mechanics.timings

    @property
    def bill_amounts(self) -> tuple[int, ...]:
        return self.mechanics.bill_amounts

    @property
    def enable_mask(self) -> int:
        return self.mechanics.enable_mask

    @property
    def escrow_mask(self) -> int:
        return self.mechanics.escrow_mask

    @property
    def enabled_amounts(self) -> frozenset[int]:
        return self.mechanics.enabled_amounts

    @property
    def cassette(self) -> list[int]:
        return self.mechanics.cassette

    @property
    def returned(self) -> list[int]:
        return self.mechanics.returned

    @property
    def rejected(self) -> list[int]:
        return self.mechanics.rejected

    @property
    def removed(self) -> list[int]:
        return self.mechanics.removed

    def ground_truth(self) -> dict[str, list[int]]:
        return self.mechanics.ground_truth()

    def found_at_power_up(self) -> Condition:
        return self.mechanics.found_at_power_up()

    # ----- what a customer or technician does -------------------------------------------
    def insert(self, amount: int) -> None:
        self.mechanics.insert(amount)

    def insert_fake(self) -> None:
        self.mechanics.insert_fake()

    def jam(self, where: str = "acceptor") -> None:
        self.mechanics.jam(where)

    def cheat(self) -> None:
        self.mechanics.cheat()

    def fail(self, failure: FailureCode = Failure.STACK_MOTOR) -> None:
        """A hardware failure: a part by name, or a code of this device's own protocol."""
        self.mechanics.fail(failure)

    def cassette_full(self) -> None:
        self.mechanics.cassette_full()

    def cassette_out(self) -> None:
        self.mechanics.cassette_out()

    def cassette_in(self) -> None:
        self.mechanics.cassette_in()

    def clear(self) -> None:
        self.mechanics.clear()

    def power_cycle(self) -> None:
        """Power off and on: the note path settles, the line and the settings restart."""
        with self.mechanics.lock:
            self.mechanics.advance()
            self._before_power_cut()
            self.mechanics.power_cycle()
            self._reader.clear()
            self._last_reply = b""
            self._restarted()

    def _before_power_cut(self) -> None:  # noqa: B027 (a hook only SSP fills in)
        """What the protocol notes of the note path before the power goes."""

    @abstractmethod
    def _restarted(self) -> None:
        """Forget what a power cut loses (session, settings, reports owed)."""

    def left_enabled(self) -> None:
        """A previous host initialised the unit, enabled every note type and died: the unit
        idles, accepting notes, with nobody polling."""
        with self.mechanics.lock:
            self.mechanics.idle_as_left()
            self._enable_everything()

    @abstractmethod
    def _enable_everything(self) -> None:
        """Set what a host that enables every note type sets, in the protocol's terms."""

    # ----- line faults a test can script -------------------------------------------------
    def noise(self, frames: int) -> None:
        """Corrupt the next ``frames`` frames the device sends."""
        if frames < 0:
            raise SimulatorRefused("noise takes a frame count >= 0")
        with self.mechanics.lock:
            self._noise_left = frames

    def drop(self, frames: int) -> None:
        """Lose the next ``frames`` frames from the host (e.g. its ACK) before they arrive."""
        if frames < 0:
            raise SimulatorRefused("drop takes a frame count >= 0")
        with self.mechanics.lock:
            self._drop_left = frames

    def mute(self, seconds: float) -> None:
        """Answer nothing (and hear nothing) for ``seconds`` of the device clock."""
        if seconds < 0:
            raise SimulatorRefused("mute takes seconds >= 0")
        with self.mechanics.lock:
            self._mute_until = self.mechanics.clock.monotonic() + seconds
            self._reader.clear()

    def control(self, line: str) -> str:
        """One control-channel command line in, one answer line out (never raises)."""
        return handle_control_line(self, line)
