"""One SSP command/reply exchange over a transport, with the line-fault rules.

A new command goes out with the sequence flag toggled. No reply, a bad CRC or a reply that
does not fit: the same packet is sent again with the same flag, so a device that did execute
it only repeats its reply (never executes twice). After ``retries`` the exchange raises
NoAnswer. With an eSSP session, DATA is encrypted on the way out and decrypted on the way in.

Inside an eSSP session the reply to an encrypted command must be encrypted too. ITL's own host
code (eSSP6 1.0.8, SSPComs.c ``SSPSendCommand``) reads an unencrypted reply as if nothing were
wrong, so a device spliced into the cable could report credits in the clear. Here the only
clear reply taken is a lone "key not set" (the unit lost the session: nothing to read in it);
any other raises PlainReply, never parsed.
"""

from __future__ import annotations

import logging
from typing import Protocol

from drivers.bill.ssp.codes import ENCRYPTED, Command, Generic
from drivers.bill.ssp.protocol import CorruptReply, MalformedReply, RefusedReply, Reply, SspHost
from drivers.transport import Transport

log = logging.getLogger(__name__)

READ_CHUNK = 256
MAX_BYTES_PER_REPLY = 2048


class NoAnswer(Exception):
    """The device did not answer a command after every retry."""


class SessionLost(NoAnswer):
    """The unit answered an encrypted command "key not set": it no longer has this eSSP
    session (it restarted, or lost count). Only a new key exchange brings it back."""


class PlainReply(SessionLost):
    """An unencrypted reply to an encrypted command inside an eSSP session: a protocol fault,
    possibly a device spliced into the cable. Its content is never read as events."""

    def __init__(self, what: str, data: bytes) -> None:
        super().__init__(
            f"unencrypted reply ({len(data)} bytes, first 0x{data[0]:02X}) to encrypted {what}"
        )
        self.command = what
        self.first_byte = data[0]
        self.length = len(data)


_KEY_NOT_SET = bytes((Generic.KEY_NOT_SET,))


class Cipher(Protocol):
    """An eSSP session: wraps plain DATA for the line and unwraps the device's DATA."""

    def wrap(self, data: bytes) -> bytes:
        """Plain DATA → encrypted DATA (0x7E …)."""

    def unwrap(self, data: bytes) -> bytes | None:
        """Encrypted DATA → plain DATA; None if it does not decrypt or its count is wrong."""


class CommandLink:
    """Sends commands and returns the device's parsed replies."""

    def __init__(
        self, transport: Transport, *, retries: int = 3, host: SspHost | None = None
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.transport = transport
        self.retries = retries
        self.host = host or SspHost()  # kept across reconnects: a repeat needs its last packet
        self.cipher: Cipher | None = None
        self.repeats = 0

    def exchange(self, command: Command, data: bytes = b"", *, plain: bool = False) -> Reply:
        """Send a new ``command``; the device's reply (never CorruptReply/MalformedReply).
        ``plain`` sends it unencrypted even in an eSSP session (SYNC, key exchange)."""
        payload = bytes((command,)) + data
        self.host.send(command)  # toggles the flag and records what the reply answers
        wire = self._wrap(payload, plain)
        return self._exchange(wire, command.name, plain)

    def exchange_with_flag(self, command: Command, sequence: bool, *, read_as: Command) -> Reply:
        """Send ``command`` with a chosen sequence flag (see SspHost.with_flag)."""
        wire = self.host.with_flag(command, sequence, read_as=read_as)
        return self._exchange(wire, command.name, plain=True)

    def repeat(self, what: str = "last command") -> Reply:
        """Send the last packet again with the same flag: the device repeats its reply."""
        return self._exchange(self.host.repeat(), what, plain=self.cipher is None)

    def _wrap(self, payload: bytes, plain: bool) -> bytes:
        if self.cipher is not None and not plain:
            return self.host.wrap(self.cipher.wrap(payload))
        return self.host.wrap(payload)

    def _exchange(self, wire: bytes, what: str, plain: bool) -> Reply:
        problem = "no reply"
        for attempt in range(self.retries + 1):
            if attempt:
                self.repeats += 1
                log.debug("ssp retry", extra={"command": what, "problem": problem})
                wire = self.host.repeat()
            self.transport.discard_input()
            self.transport.write(wire)
            reply = self._read_reply(plain, what)
            if (
                isinstance(reply, RefusedReply)
                and reply.code == Generic.KEY_NOT_SET
                and self.cipher is not None
                and not plain
            ):
                raise SessionLost(f"the unit cannot decrypt {what}: its eSSP session is gone")
            if reply is not None and not isinstance(reply, (CorruptReply, MalformedReply)):
                return reply
            problem = "no reply" if reply is None else f"bad reply ({reply})"
        raise NoAnswer(f"{problem} to {what} on {self.transport.name} after {self.retries} retries")

    def _read_reply(self, plain: bool, what: str) -> Reply | None:
        received = 0
        while True:
            packet = self.host.next_packet()
            if packet is not None:
                if isinstance(packet, CorruptReply):
                    return packet
                data = packet
                if self.cipher is not None and not plain:
                    if data[:1] != bytes((ENCRYPTED,)):
                        if data == _KEY_NOT_SET:
                            return self.host.interpret(data)  # the unit lost its key
                        raise PlainReply(what, data)
                    unwrapped = self.cipher.unwrap(data)
                    if unwrapped is None:
                        return CorruptReply()  # a count or CRC mismatch discards the packet
                    data = unwrapped
                return self.host.interpret(data)
            chunk = self.transport.read(READ_CHUNK)
            if not chunk:
                return CorruptReply() if received else None
            received += len(chunk)
            if received > MAX_BYTES_PER_REPLY:
                return CorruptReply()
            self.host.receive_data(chunk)
