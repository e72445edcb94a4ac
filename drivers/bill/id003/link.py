"""One ID-003 command/reply exchange over a transport, with the line-fault rules.

ID-003 has no NAK from the host: a reply with a bad CRC, no reply within the transport's
timeout, or an answer that does not fit the command is met by sending the same command
again (every command the driver sends is safe to repeat). After ``retries`` resends the
exchange raises NoAnswer.
"""

from __future__ import annotations

import logging

from drivers.bill.id003.codes import Command
from drivers.bill.id003.protocol import CorruptReply, Id003Host, MalformedReply, Reply
from drivers.transport import Transport

log = logging.getLogger(__name__)

READ_CHUNK = 256
MAX_BYTES_PER_REPLY = 2048  # more than this without a frame: the line carries garbage


class NoAnswer(Exception):
    """The device did not answer a command after every retry."""


class CommandLink:
    """Sends commands and returns the device's parsed replies."""

    def __init__(self, transport: Transport, *, retries: int = 3) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.transport = transport
        self.retries = retries
        self.host = Id003Host()
        self.resends = 0

    def exchange(self, command: Command, data: bytes = b"") -> Reply:
        """Send ``command``; the device's reply (never CorruptReply or MalformedReply)."""
        problem = "no reply"
        for attempt in range(self.retries + 1):
            if attempt:
                self.resends += 1
                log.debug("id003 retry", extra={"command": command.name, "problem": problem})
            self.transport.discard_input()
            self.transport.write(self.host.send(command, data))
            reply = self._read_reply()
            if reply is not None and not isinstance(reply, (CorruptReply, MalformedReply)):
                return reply
            problem = "no reply" if reply is None else f"bad reply ({reply})"
        raise NoAnswer(
            f"{problem} to {command.name} on {self.transport.name} after {self.retries} retries"
        )

    def send_ack(self) -> None:
        """Acknowledge the device's last status (no reply comes back)."""
        self.transport.write(self.host.ack())

    def _read_reply(self) -> Reply | None:
        received = 0
        corrupt = False
        while True:
            reply = self.host.next_event()
            if isinstance(reply, CorruptReply):
                corrupt = True  # a whole reply may still follow the damaged bytes
                continue
            if reply is not None:
                return reply
            if corrupt:
                return CorruptReply()  # nothing whole after the damage: ask again now
            chunk = self.transport.read(READ_CHUNK)
            if not chunk:
                return CorruptReply() if received else None
            received += len(chunk)
            if received > MAX_BYTES_PER_REPLY:
                return CorruptReply()
            self.host.receive_data(chunk)
