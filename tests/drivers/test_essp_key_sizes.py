"""eSSP key-exchange sizes against ITL's own modular power.

Source: eSSP6 1.0.8 (PyPI), ``_eSSP/lib/Random.c`` ``XpowYmodN(long long x, long long y,
long long N)``: square-and-multiply over the 64 bits of ``y`` from the top, every product a
signed 64-bit ``long long`` reduced with C's ``%``; ``Random.h`` draws generator, modulus and
secrets below ``MAX_PRIME_NUMBER`` = ``MAX_RANDOM_INTEGER`` = 2^31. Below emulates it bit for
bit (two's-complement wrap, as x86-64 ``imul`` does, and C's truncating remainder) so a unit
whose firmware shares that arithmetic can be checked against our host's ``pow``.
"""

from __future__ import annotations

import random

import pytest

from drivers.bill.ssp.essp import KEY_BITS, is_prime, key_primes

MASK = (1 << 64) - 1


def _s64(value: int) -> int:
    value &= MASK
    return value - (1 << 64) if value >> 63 else value


def _c_rem(a: int, n: int) -> int:
    """C99 ``a % n``: truncated toward zero, the sign of ``a``."""
    r = abs(a) % abs(n)
    return -r if a < 0 else r


def itl_xpow_y_mod_n(x: int, y: int, n: int) -> int:
    """ITL's XpowYmodN in signed 64-bit arithmetic."""
    if y == 1:
        return _c_rem(x, n)
    result, bits = 1, y & MASK
    for _ in range(64):
        result = _c_rem(_s64(result * result), n)
        if bits >> 63:
            result = _c_rem(_s64(result * x), n)
        bits = (bits << 1) & MASK
    return result


def test_the_emulation_reproduces_itls_results_at_both_sizes() -> None:
    # Below 2^31 ITL's routine is right; at 32 bits it already goes wrong (and negative).
    assert itl_xpow_y_mod_n(3, 1_000_000, 2_147_483_647) == 1_216_096_509
    assert pow(3, 1_000_000, 2_147_483_647) == 1_216_096_509
    assert itl_xpow_y_mod_n(3_000_000_019, 5, 4_000_000_007) == -2_368_664_309
    assert pow(3_000_000_019, 5, 4_000_000_007) == 3_059_085_244


def test_itls_arithmetic_is_wrong_at_the_old_62_and_63_bit_sizes() -> None:
    rng = random.Random(14)
    wrong = 0
    for _ in range(20):
        generator, modulus = _prime(rng, 62), _prime(rng, 63)
        secret = rng.getrandbits(62) | 1
        wrong += itl_xpow_y_mod_n(generator, secret, modulus) != pow(generator, secret, modulus)
    assert wrong == 20


@pytest.mark.parametrize("seed", range(40))
def test_a_unit_with_itls_arithmetic_derives_our_hosts_key(seed: int) -> None:
    rng = random.Random(seed)
    generator, modulus = key_primes(rng)
    assert generator < modulus < 1 << KEY_BITS and is_prime(generator) and is_prime(modulus)
    host_secret = rng.randrange(1, 1 << KEY_BITS)
    unit_secret = rng.randrange(1, 1 << KEY_BITS)
    # Our host (drivers/bill/ssp/essp.py exchange_keys) uses pow; the unit uses ITL's routine.
    host_inter = pow(generator, host_secret, modulus)
    unit_inter = itl_xpow_y_mod_n(generator, unit_secret, modulus)
    assert unit_inter == pow(generator, unit_secret, modulus)
    host_key = pow(unit_inter, host_secret, modulus)
    unit_key = itl_xpow_y_mod_n(host_inter, unit_secret, modulus)
    assert host_key == unit_key and 0 < host_key < modulus


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | 1 | 1 << (bits - 1)
        if is_prime(candidate):
            return candidate
