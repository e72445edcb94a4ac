"""The one bill-acceptor interface every protocol backend implements.

Contract between a driver and the kiosk core:

* Events reach the core through one synchronous listener, called on the driver's I/O
  thread (or inside ``poll_once`` when the caller drives the device without a thread).
* ``Escrow``: the listener returns ``Decision.STACK`` or ``Decision.RETURN``; ``None`` or
  an exception means RETURN. The driver sends that command before polling on.
* ``Stacked``: the driver acknowledges the device only **after** the listener returns
  (write before acknowledge). If the listener raises, the driver does not acknowledge;
  the device repeats the event and the driver delivers it again.
* A stacked report is delivered as ``Stacked`` once per note: with escrow on, a ``Stacked``
  must follow the host's own STACK for that escrow. Any other stacked report is a
  ``DuplicateStacked``: ``repeat=True`` when this driver already delivered it (a lost ACK:
  never money); ``repeat=False`` when this driver never saw its STACK (a host restart): the
  core credits it only against its own durable record of a STACK it ordered.
* ``PowerUp(bill_in_stacker=True)``: the device restarted holding a note the host sent to
  the stacker; the core resolves it against its own record of the STACK it ordered.
* ``Returned``/``DuplicateStacked`` with ``amount=0, bill_type=-1``: a note whose value the
  driver cannot know (a host restart lost the report that named it); the device holds one
  note at a time, so the core resolves it against its one open STACK order.
* ``set_enabled`` is declarative and never blocks: the driver applies the latest set at
  its next cycle, and again after every reconnect.

Amounts are integer tiyn (drivers do not import the kiosk's Money type).
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class Decision(enum.Enum):
    STACK = "stack"
    RETURN = "return"


@dataclass(frozen=True, slots=True)
class Identity:
    model: str
    serial: str
    firmware: str = ""
    asset: str = ""


@dataclass(frozen=True, slots=True)
class AcceptorEvent:
    """Base of every event a bill acceptor reports."""


@dataclass(frozen=True, slots=True)
class Escrow(AcceptorEvent):
    amount: int
    bill_type: int


@dataclass(frozen=True, slots=True)
class Stacked(AcceptorEvent):
    amount: int
    bill_type: int


@dataclass(frozen=True, slots=True)
class DuplicateStacked(AcceptorEvent):
    """A stacked report that did not follow this driver's own STACK (see module docstring)."""

    amount: int
    bill_type: int
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class Returned(AcceptorEvent):
    amount: int
    bill_type: int


@dataclass(frozen=True, slots=True)
class Rejected(AcceptorEvent):
    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class CassetteRemoved(AcceptorEvent):
    pass


@dataclass(frozen=True, slots=True)
class CassetteReplaced(AcceptorEvent):
    pass


@dataclass(frozen=True, slots=True)
class CassetteFull(AcceptorEvent):
    pass


@dataclass(frozen=True, slots=True)
class Jammed(AcceptorEvent):
    where: str  # "acceptor" | "cassette"


@dataclass(frozen=True, slots=True)
class Cheated(AcceptorEvent):
    pass


@dataclass(frozen=True, slots=True)
class Failure(AcceptorEvent):
    code: int
    description: str


@dataclass(frozen=True, slots=True)
class PowerUp(AcceptorEvent):
    bill_in_acceptor: bool = False
    bill_in_stacker: bool = False


@dataclass(frozen=True, slots=True)
class Cleared(AcceptorEvent):
    """A fault (jam, cassette, failure) is gone and the device is back to normal."""


@dataclass(frozen=True, slots=True)
class Disconnected(AcceptorEvent):
    reason: str


@dataclass(frozen=True, slots=True)
class Reconnected(AcceptorEvent):
    pass


@dataclass(frozen=True, slots=True)
class DeviceError(AcceptorEvent):
    """The device refused a command (illegal command) or answered nonsense."""

    message: str


Listener = Callable[[AcceptorEvent], Decision | None]


class AcceptorError(Exception):
    """The acceptor cannot be used (no answer, port missing); the message says what to check."""


class BillAcceptor(ABC):
    """A bill acceptor on some port, speaking some protocol."""

    protocol: str = ""

    @abstractmethod
    def set_listener(self, listener: Listener) -> None:
        """Install the one listener (see module docstring for its contract)."""

    @abstractmethod
    def start(self, *, threaded: bool = True, wait_for_device: bool = False) -> None:
        """Open the port, reset, identify, read the bill table; start the poll thread if
        ``threaded``. Raises AcceptorError when the device does not answer, or with
        ``wait_for_device`` only when it answers wrongly: a silent device is then reported
        Disconnected, started up once it answers, and reported Reconnected."""

    @abstractmethod
    def stop(self) -> None:
        """Disable the device where possible, stop the thread, close the port."""

    @abstractmethod
    def close_port(self) -> None:
        """Release the port without a word to the device, as the OS does for a host process
        that died: the device keeps whatever it was doing (used for simulated crashes)."""

    @abstractmethod
    def poll_once(self) -> None:
        """One poll cycle (apply the wanted enabled set, poll, deliver events).

        For deterministic single-threaded runs; never mixed with ``start(threaded=True)``.
        """

    @abstractmethod
    def set_enabled(self, amounts: Iterable[int]) -> None:
        """Accept exactly these denominations (tiyn) from now on; empty disables."""

    @property
    @abstractmethod
    def identity(self) -> Identity | None:
        """Model, serial and firmware as the device reported them."""

    @property
    @abstractmethod
    def bill_table(self) -> tuple[int, ...]:
        """Amount in tiyn for each bill type index; 0 marks an unused type."""

    @property
    @abstractmethod
    def connected(self) -> bool:
        """True while the device answers."""

    @property
    @abstractmethod
    def state(self) -> str:
        """The device's last reported state, as a short name (``idling``, ``jammed`` …)."""

    @property
    def link_alerts(self) -> dict[str, int]:
        """Replies refused as possible tampering on the line, counted by kind since start
        (for the service menu and the heartbeat). Empty for a link with no such check."""
        return {}
