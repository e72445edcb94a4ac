"""Terminal request signing, shared by the kiosk's ledger client and the ledger service.

A request carries ``X-Terminal-Id``, ``X-Timestamp`` (Unix seconds), ``X-Request-Id`` (16 to
64 lowercase hex digits, fresh for every request) and ``X-Signature``, the hex HMAC-SHA256
under the terminal's secret of::

    METHOD \\n PATH \\n TIMESTAMP \\n REQUEST_ID \\n sha256hex(body)

PATH is the request target as sent: the path, plus ``?query`` when there is one. The key is
the secret text as printed by ``kiosk ledger terminal add`` (UTF-8 bytes).

The request id is inside the signature so that a captured request cannot be sent again
under a new id: the ledger refuses an id it has seen from the terminal within the window
(:mod:`sync.ledger.replay`). A retry is a new request with a new id; a payment sent twice
stays one payment by its operation id. See docs/decisions/018-replay-proof-requests.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SKEW_SECONDS = 300
HEADER_TERMINAL = "X-Terminal-Id"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_SIGNATURE = "X-Signature"
# Bounds of the auth headers: anything longer or of other characters is refused (401)
# before it reaches a look-up, a log line or an integer conversion.
MAX_TERMINAL_ID = 64
MAX_TIMESTAMP_DIGITS = 12  # Unix seconds until the year 33658
_HEX = frozenset("0123456789abcdef")
HEADER_REQUEST_ID = "X-Request-Id"
REQUEST_ID_MIN, REQUEST_ID_MAX = 16, 64
_REQUEST_ID = re.compile(f"[0-9a-f]{{{REQUEST_ID_MIN},{REQUEST_ID_MAX}}}")


class AuthError(Exception):
    """A request the ledger refuses to attribute to a terminal (answered with 401)."""


def new_secret() -> str:
    """A fresh terminal secret: 32 random bytes as 64 hex digits."""
    return secrets.token_hex(32)


def new_request_id() -> str:
    """A fresh request id: 16 random bytes as 32 lowercase hex digits."""
    return secrets.token_hex(16)


def string_to_sign(
    method: str, path: str, timestamp: int, body: bytes, *, request_id: str
) -> bytes:
    """The exact bytes that are signed."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{request_id}\n{digest}".encode()


def sign(
    secret: str, method: str, path: str, timestamp: int, body: bytes, *, request_id: str
) -> str:
    """The hex HMAC-SHA256 signature of one request."""
    message = string_to_sign(method, path, timestamp, body, request_id=request_id)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    terminal_id: str,
    secret: str,
    method: str,
    path: str,
    body: bytes,
    now: float,
    request_id: str | None = None,
) -> dict[str, str]:
    """The four auth headers for a request sent at ``now`` (Unix seconds), under a fresh
    request id unless one is given (a test replaying on purpose)."""
    timestamp = int(now)
    request_id = new_request_id() if request_id is None else request_id
    return {
        HEADER_TERMINAL: terminal_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_REQUEST_ID: request_id,
        HEADER_SIGNATURE: sign(secret, method, path, timestamp, body, request_id=request_id),
    }


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What a server read from the auth headers of one request."""

    terminal_id: str
    timestamp: int
    signature: str
    request_id: str


def parse_headers(
    terminal_id: str | None, timestamp: str | None, signature: str | None, request_id: str | None
) -> SignedRequest:
    """Check the auth headers are present and well formed; AuthError names what is wrong."""
    if not terminal_id:
        raise AuthError(f"missing {HEADER_TERMINAL} header")
    if not timestamp:
        raise AuthError(f"missing {HEADER_TIMESTAMP} header")
    if not request_id:
        raise AuthError(
            f"missing {HEADER_REQUEST_ID} header: this kiosk's software predates "
            "replay-proof requests; upgrade it"
        )
    if not signature:
        raise AuthError(f"missing {HEADER_SIGNATURE} header")
    if (
        len(terminal_id) > MAX_TERMINAL_ID
        or not terminal_id.isascii()
        or not terminal_id.isprintable()
    ):
        raise AuthError(
            f"{HEADER_TERMINAL} must be at most {MAX_TERMINAL_ID} printable ASCII characters"
        )
    if len(timestamp) > MAX_TIMESTAMP_DIGITS or not timestamp.isascii() or not timestamp.isdigit():
        raise AuthError(
            f"{HEADER_TIMESTAMP} must be whole Unix seconds (at most {MAX_TIMESTAMP_DIGITS} digits)"
        )
    seconds = int(timestamp)
    signature = signature.strip().lower()
    if len(signature) != 64 or not _HEX.issuperset(signature):
        raise AuthError(f"{HEADER_SIGNATURE} must be 64 hex digits (HMAC-SHA256)")
    if _REQUEST_ID.fullmatch(request_id) is None:
        raise AuthError(
            f"{HEADER_REQUEST_ID} must be {REQUEST_ID_MIN} to {REQUEST_ID_MAX} lowercase hex digits"
        )
    return SignedRequest(terminal_id, seconds, signature, request_id)


def verify(
    request: SignedRequest,
    secret: str,
    method: str,
    path: str,
    body: bytes,
    now: float,
    max_skew: int = MAX_SKEW_SECONDS,
) -> None:
    """Raise AuthError unless the signature matches and the clock skew is within bounds."""
    skew = abs(now - request.timestamp)
    if skew > max_skew:
        raise AuthError(
            f"clock skew {int(skew)} s is over {max_skew} s: set the terminal's clock (NTP)"
        )
    expected = sign(secret, method, path, request.timestamp, body, request_id=request.request_id)
    if not hmac.compare_digest(expected, request.signature):
        raise AuthError("bad signature: check the terminal id and its secret file")


def verify_any(
    request: SignedRequest,
    candidates: Sequence[str],
    method: str,
    path: str,
    body: bytes,
    now: float,
    max_skew: int = MAX_SKEW_SECONDS,
) -> str:
    """The first of ``candidates`` the request is signed with (a terminal has two while a
    rotated secret is in its grace period); AuthError as :func:`verify` when none is."""
    error = AuthError("no secret to check the signature with")
    for secret in candidates:
        try:
            verify(request, secret, method, path, body, now, max_skew)
        except AuthError as exc:
            error = exc
        else:
            return secret
    raise error


# -- response authentication ------------------------------------------------------------
# The ledger signs its answer to every signed request, so that a proxy, a captive portal or
# anything else between kiosk and ledger cannot make the kiosk believe a payment was taken.
# ``X-Signature`` on the response is the hex HMAC-SHA256 under the same terminal secret of::
#
#     STATUS \n REQUEST_SIGNATURE \n sha256hex(response body)
#
# STATUS is the HTTP status code in decimal; REQUEST_SIGNATURE is the ``X-Signature`` the
# request carried (lowercase hex), which binds the answer to that one request: an answer
# recorded earlier cannot be replayed for another request.


def response_string_to_sign(status: int, request_signature: str, body: bytes) -> bytes:
    """The exact bytes the ledger signs for one answer."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{int(status)}\n{request_signature.strip().lower()}\n{digest}".encode()


def sign_response(secret: str, status: int, request_signature: str, body: bytes) -> str:
    """The hex HMAC-SHA256 the ledger puts in the answer's ``X-Signature`` header."""
    message = response_string_to_sign(status, request_signature, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_response(
    secret: str, status: int, request_signature: str, body: bytes, signature: str | None
) -> None:
    """Raise AuthError unless ``signature`` is the ledger's signature of this answer."""
    if not signature:
        raise AuthError(
            f"the answer (HTTP {status}) carries no {HEADER_SIGNATURE}: it did not "
            "come from the ledger"
        )
    expected = sign_response(secret, status, request_signature, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise AuthError(
            f"the answer (HTTP {status}) has a wrong {HEADER_SIGNATURE}: it did "
            "not come from the ledger, or the terminal secret differs"
        )
