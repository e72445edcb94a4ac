"""eSSP: the Diffie-Hellman key exchange and AES-128 packets with the encrypted counter.

The AES key is the 64-bit fixed key (set in the unit, given to the host in configuration)
followed by the 64-bit key negotiated with SET GENERATOR, SET MODULUS and REQUEST KEY
EXCHANGE, both little-endian. Encrypted DATA is ``0x7E`` followed by AES-ECB blocks of
``eLENGTH | eCOUNT (4, LE) | eDATA | padding | eCRC``, padded to a multiple of 16 bytes; eCRC
is the SSP CRC of everything before it.

eCOUNT, as ITL's SDK keeps it (eSSP6 1.0.8, ITLSSPProc.c ``EncryptSSPPacket`` and SSPComs.c
``SSPSendCommand``): both ends start at 0 after a key exchange; the host seals a command with
its count and then adds one; the unit accepts a command carrying the count it expects, adds
one, and seals its reply with that new count; the host accepts a reply carrying its
already-incremented count, and its next command carries that same count. So command N is
answered with N + 1, and the next command is N + 1. A resent packet (same sequence flag) is the
same bytes and gets the same reply bytes; a count mismatch discards the packet.

Key exchange sizes: ITL's host code draws generator, modulus and its secret below 2^31
(Random.h ``MAX_PRIME_NUMBER``, ``MAX_RANDOM_INTEGER``), and its modular power
(Random.c ``XpowYmodN``, products in signed 64 bits) is wrong once a remainder passes 2^31.5.
A unit computing that way agrees with a host only below that size, so ours stays below 2^31.
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
KEY_BITS = 31  # generator, modulus and host secret stay below 2^31, as in ITL's host code
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

    def wrap(self, data: bytes, count: int, padding: bytes | None = None) -> bytes:
        """Plain DATA → ``0x7E`` + encrypted blocks carrying ``count``; ``padding`` (random
        unless given, for byte-vector tests) fills the last block."""
        plain = bytes((len(data),)) + count.to_bytes(4, "little") + data
        needed = (-(len(plain) + 2)) % BLOCK
        if padding is None:
            padding = secrets.token_bytes(needed)
        if len(padding) != needed:
            raise ValueError(f"{len(data)} data bytes need {needed} padding bytes")
        plain += padding
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
        self._count = 0  # the next command's eCOUNT; also the count a reply must carry

    @property
    def count(self) -> int:
        """eCOUNT of the next command (and of the reply to the last one)."""
        return self._count

    def wrap(self, data: bytes) -> bytes:
        sealed = self._packets.wrap(data, self._count)
        self._count = (self._count + 1) & 0xFFFFFFFF
        return sealed

    def unwrap(self, data: bytes) -> bytes | None:
        opened = self._packets.unwrap(data)
        if opened is None or opened[0] != self._count:
            return None
        return opened[1]


def exchange_keys(link: CommandLink, fixed_key: int) -> HostSession:
    """Run SET GENERATOR, SET MODULUS, REQUEST KEY EXCHANGE on ``link`` and return the
    session. Raises EsspError naming the step the device refused."""
    generator, modulus = key_primes()
    for command, value in ((Command.SET_GENERATOR, generator), (Command.SET_MODULUS, modulus)):
        reply = link.exchange(command, value.to_bytes(KEY_PART, "little"), plain=True)
        if not isinstance(reply, OkReply):
            raise EsspError(f"the device refused {command.name}: {reply}")
    host_random = secrets.randbelow((1 << KEY_BITS) - 1) + 1
    host_inter = pow(generator, host_random, modulus)
    reply = link.exchange(
        Command.REQUEST_KEY_EXCHANGE, host_inter.to_bytes(KEY_PART, "little"), plain=True
    )
    if not isinstance(reply, OkReply) or len(reply.data) != KEY_PART:
        raise EsspError(f"the device refused REQUEST KEY EXCHANGE: {reply}")
    device_inter = int.from_bytes(reply.data, "little")
    return HostSession(fixed_key, pow(device_inter, host_random, modulus))


def key_primes(rng: random.Random | None = None) -> tuple[int, int]:
    """(generator, modulus): two different primes below 2^31, the generator the smaller."""
    while True:
        first, second = random_prime(KEY_BITS, rng), random_prime(KEY_BITS, rng)
        if first != second:
            return min(first, second), max(first, second)


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
        self._expected = 0  # eCOUNT of the next command; a reply carries it once advanced

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
        self._expected = (self._expected + 1) & 0xFFFFFFFF
        return opened[1]

    def wrap(self, reply: bytes) -> bytes:
        """The reply to the command just opened, sealed with the advanced count."""
        if self._packets is None:
            return reply
        return self._packets.wrap(reply, self._expected)
