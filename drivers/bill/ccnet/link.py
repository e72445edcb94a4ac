"""One CCNET command/reply exchange over a transport, with the line-fault rules.

- A reply with a bad CRC (or bytes that never make a frame) is answered with NAK; the device
  repeats its reply.
- No reply within the transport's timeout, or a NAK from the device: the command is sent
  again.
- Each NAK or resend uses one of ``retries``; after that the exchange raises NoAnswer.
- Every reply carrying data is acknowledged (IDENTIFICATION, GET BILL TABLE, GET STATUS,
  ILLEGAL COMMAND), except a POLL reply: the note tracker sends that ACK itself.
"""

from __future__ import annotations

import logging

from drivers.bill.ccnet.codes import Command
from drivers.bill.ccnet.protocol import AckReply, CcnetHost, CorruptReply, NakReply, Reply
from drivers.transport import Transport

log = logging.getLogger(__name__)

READ_CHUNK = 256
# More bytes than any reply without a frame in them means the line is carrying garbage.
MAX_BYTES_PER_REPLY = 2048


class NoAnswer(Exception):
    """The device did not answer a command after every retry."""


class CommandLink:
    """Sends commands and returns the device's parsed replies."""

    def __init__(self, transport: Transport, *, retries: int = 3) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.transport = transport
        self.retries = retries
        self.host = CcnetHost()
        self.naks_sent = 0
        self.resends = 0

    def exchange(self, command: Command, data: bytes = b"") -> Reply:
        """Send ``command`` and return the device's reply (never CorruptReply or NakReply)."""
        frame = self.host.send(command, data)
        self.transport.discard_input()
        self.transport.write(frame)
        problem = "no reply"
        for attempt in range(self.retries + 1):
            reply = self._read_reply()
            if reply is not None and not isinstance(reply, (CorruptReply, NakReply)):
                # POLL replies are ACKed by NoteTracker: a stacked report only after the
                # listener's journal commit returned (write before acknowledge).
                if command is not Command.POLL and not isinstance(reply, AckReply):
                    self.send_ack()
                return reply
            if attempt == self.retries:
                break
            if isinstance(reply, CorruptReply):
                problem = "corrupted reply"
                self.naks_sent += 1
                self.transport.write(self.host.nak())
            else:
                problem = "device refused the frame (NAK)" if reply else "no reply"
                self.resends += 1
                frame = self.host.send(command, data)
                self.transport.discard_input()
                self.transport.write(frame)
            log.debug("ccnet retry", extra={"command": command.name, "problem": problem})
        raise NoAnswer(
            f"{problem} to {command.name} on {self.transport.name} after {self.retries} retries"
        )

    def send_ack(self) -> None:
        """Acknowledge the device's last data reply (no reply comes back)."""
        self.transport.write(self.host.ack())

    def expect_ack(self, command: Command, data: bytes = b"") -> Reply:
        """Exchange a command whose normal reply is ACK; returns the reply either way."""
        reply = self.exchange(command, data)
        if not isinstance(reply, AckReply):
            log.warning("ccnet unexpected reply", extra={"command": command.name})
        return reply

    def _read_reply(self) -> Reply | None:
        """The next reply; CorruptReply for bytes without a valid frame; None for silence."""
        received = 0
        while True:
            reply = self.host.next_event()
            if reply is not None:
                return reply
            chunk = self.transport.read(READ_CHUNK)
            if not chunk:
                return CorruptReply() if received else None
            received += len(chunk)
            if received > MAX_BYTES_PER_REPLY:
                return CorruptReply()
            self.host.receive_data(chunk)
