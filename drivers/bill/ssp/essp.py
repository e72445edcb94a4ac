"""eSSP: the Diffie-Hellman key exchange and AES-128 packets with the encrypted counter.

The AES key is the 64-bit fixed key (set in the unit, given to the host in configuration)
followed by the 64-bit key negotiated with SET GENERATOR, SET MODULUS and REQUEST KEY
EXCHANGE, both little-endian. Encrypted DATA is ``0x7E`` followed by AES-ECB blocks of
``eLENGTH | eCOUNT (4, LE) | eDATA | padding | eCRC``, padded to a multiple of 16 bytes; eCRC
is the SSP CRC of everything before it. Each new packet carries the next count; a reply
carries the count of the command it answers; a count mismatch discards the packet.
"""

from __future__ import annotations

import random
import secrets

from drivers.bill.ssp.codes import ENCRYPTED, Command, Generic
from drivers.bill.ssp.link import CommandLink
from drivers.bill.ssp.protocol import OkReply
from drivers.crc import crc16_ssp, crc16_ssp_bytes

BLOCK = 16
KEY_PART = 8
_OK = bytes((Generic.OK,))
_MILLER_RABIN_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)  # exact below 2^64


class EsspError(Exception):
    """The key exchange failed (the message says which step)."""


def is_prime(number: int) -> bool:
    """Deterministic Miller-Rabin for numbers below 2^64."""
    if number < 2:
        return False
    for base in _MILLER_RABIN_BASES:
        if number % base == 0:
            return number == base
    odd, twos = number - 1, 0
    while odd % 2 == 0:
        odd, twos = odd // 2, twos + 1
    for base in _MILLER_RABIN_BASES:
        x = pow(base, odd, number)
        if x in (1, number - 1):
            continue
        for _ in range(twos - 1):
            x = pow(x, 2, number)
            if x == number - 1:
                break
        else:
            return False
    return True


def random_prime(bits: int, rng: random.Random | None = None) -> int:
    """A random prime of ``bits`` bits."""
    while True:
        candidate = (rng.getrandbits(bits) if rng else secrets.randbits(bits)) | 1 | 1 << (bits - 1)
        if is_prime(candidate):
            return candidate


class PacketCipher:
    """AES-128 ECB over eSSP packets for one session key."""

    def __init__(self, fixed_key: int, negotiated_key: int) -> None:
        try:  # imported here: plain SSP, ID-003 and CCNET work without the package
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        except ImportError as exc:
            raise EsspError(
                "eSSP needs the 'cryptography' package (pip install cryptography)"
            ) from exc
        key = fixed_key.to_bytes(KEY_PART, "little") + negotiated_key.to_bytes(KEY_PART, "little")
        self._cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 (the protocol's)

    def wrap(self, data: bytes, count: int) -> bytes:
        """Plain DATA → ``0x7E`` + encrypted blocks carrying ``count``."""
        plain = bytes((len(data),)) + count.to_bytes(4, "little") + data
        padding = (-(len(plain) + 2)) % BLOCK
        plain += secrets.token_bytes(padding)
        plain += crc16_ssp_bytes(plain)
        encryptor = self._cipher.encryptor()
        return bytes((ENCRYPTED,)) + encryptor.update(plain) + encryptor.finalize()

    def unwrap(self, data: bytes) -> tuple[int, bytes] | None:
        """(count, plain DATA), or None if the blocks do not decrypt to a checked packet."""
        if len(data) < 1 + BLOCK or data[0] != ENCRYPTED or (len(data) - 1) % BLOCK:
            return None
        decryptor = self._cipher.decryptor()
        plain = decryptor.update(data[1:]) + decryptor.finalize()
        if crc16_ssp(plain[:-2]) != int.from_bytes(plain[-2:], "little"):
            return None
        length = plain[0]
        if length == 0 or 5 + length > len(plain) - 2:
            return None
        return int.from_bytes(plain[1:5], "little"), plain[5 : 5 + length]


class HostSession:
    """The host's side of an eSSP session (a ``Cipher`` for the SSP link)."""

    def __init__(self, fixed_key: int, negotiated_key: int) -> None:
        self._packets = PacketCipher(fixed_key, negotiated_key)
        self._next_count = 0
        self._sent_count = -1

    def wrap(self, data: bytes) -> bytes:
        self._sent_count = self._next_count
        self._next_count += 1
        return self._packets.wrap(data, self._sent_count)

    def unwrap(self, data: bytes) -> bytes | None:
        opened = self._packets.unwrap(data)
        if opened is None or opened[0] != self._sent_count:
            return None
        return opened[1]


def exchange_keys(link: CommandLink, fixed_key: int) -> HostSession:
    """Run SET GENERATOR, SET MODULUS, REQUEST KEY EXCHANGE on ``link`` and return the
    session. Raises EsspError naming the step the device refused."""
    modulus = random_prime(63)
    generator = random_prime(62)
    for command, value in ((Command.SET_GENERATOR, generator), (Command.SET_MODULUS, modulus)):
        reply = link.exchange(command, value.to_bytes(KEY_PART, "little"), plain=True)
        if not isinstance(reply, OkReply):
            raise EsspError(f"the device refused {command.name}: {reply}")
    host_random = secrets.randbelow(modulus - 2) + 1
    host_inter = pow(generator, host_random, modulus)
    reply = link.exchange(
        Command.REQUEST_KEY_EXCHANGE, host_inter.to_bytes(KEY_PART, "little"), plain=True
    )
    if not isinstance(reply, OkReply) or len(reply.data) != KEY_PART:
        raise EsspError(f"the device refused REQUEST KEY EXCHANGE: {reply}")
    device_inter = int.from_bytes(reply.data, "little")
    return HostSession(fixed_key, pow(device_inter, host_random, modulus))


class DeviceSession:
    """The simulated device's side: answers the key commands and opens/seals packets."""

    def __init__(self, fixed_key: int, rng: random.Random) -> None:
        self._fixed_key = fixed_key
        self._rng = rng
        self.reset()

    def reset(self) -> None:
        """Forget the key (power cycle, SYNC)."""
        self._generator = self._modulus = 0
        self._packets: PacketCipher | None = None
        self._expected = 0
        self._reply_count = 0

    @property
    def established(self) -> bool:
        return self._packets is not None

    @staticmethod
    def is_encrypted(data: bytes) -> bool:
        return data[:1] == bytes((ENCRYPTED,))

    def key_command(self, code: int, args: bytes) -> bytes:
        if len(args) != KEY_PART:
            return bytes((Generic.WRONG_PARAMETERS,))
        value = int.from_bytes(args, "little")
        if code == Command.SET_GENERATOR:
            self._generator = value
            return _OK if is_prime(value) else bytes((Generic.OUT_OF_RANGE,))
        if code == Command.SET_MODULUS:
            self._modulus = value
            return _OK if is_prime(value) else bytes((Generic.OUT_OF_RANGE,))
        if not (self._generator and self._modulus):
            return bytes((Generic.CANNOT_PROCESS,))
        device_random = self._rng.randrange(1, self._modulus - 1)
        device_inter = pow(self._generator, device_random, self._modulus)
        negotiated = pow(value, device_random, self._modulus)
        self._packets = PacketCipher(self._fixed_key, negotiated)
        self._expected = 0
        return _OK + device_inter.to_bytes(KEY_PART, "little")

    def unwrap(self, data: bytes) -> bytes | None:
        """A host packet's plain DATA, or None (no key, bad blocks, wrong count)."""
        if self._packets is None:
            return None
        opened = self._packets.unwrap(data)
        if opened is None or opened[0] != self._expected:
            return None
        self._reply_count = self._expected
        self._expected += 1
        return opened[1]

    def wrap(self, reply: bytes) -> bytes:
        if self._packets is None:
            return reply
        return self._packets.wrap(reply, self._reply_count)
