"""Secrets: argon2 password and recovery-code hashes, random tokens, CSRF tokens bound to a cookie.

Nothing here logs a secret; callers must not either (see tests/test_portal_auth.py::test_no_secrets_in_logs).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id, the library's recommended parameters (RFC 9106 low-memory)
# A hash of a random password, verified when the account does not exist so that timing does not tell.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def use_profile(name: str) -> None:
    """'strong' (default) or 'cheapest' (only for tests: same code path, fast parameters)."""
    global _HASHER, _DUMMY_HASH
    params = profiles.CHEAPEST if name == "cheapest" else profiles.RFC_9106_LOW_MEMORY
    _HASHER = PasswordHasher.from_parameters(params)
    _DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
# Unambiguous letters and digits for codes a person types (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def hash_secret(value: str) -> str:
    return _HASHER.hash(value)


def verify_secret(hashed: str | None, value: str) -> bool:
    """True when `value` matches `hashed`; never raises; spends the same time when hashed is None."""
    try:
        return _HASHER.verify(hashed or _DUMMY_HASH, value) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(value: str) -> str:
    """What the database keeps of a bearer token (session, device code, invite)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def human_code(groups: int = 2, size: int = 4) -> str:
    """A short code to type or read aloud, e.g. 'K7PX-3MQA'."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


def normalise_code(value: str) -> str:
    """Accept lower case, spaces and missing dashes: 'k7px 3mqa' -> 'K7PX-3MQA'."""
    raw = "".join(ch for ch in value.upper() if ch in CODE_ALPHABET)
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def recovery_code() -> str:
    """Shown once at sign-up; resets the password when there is no e-mail."""
    return human_code(groups=4)


def csrf_token(secret: bytes, cookie_value: str) -> str:
    """The form token for a browser: an HMAC of its CSRF cookie (double submit, signed)."""
    return hmac.new(secret, cookie_value.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, cookie_value: str | None, form_value: str | None) -> bool:
    if not cookie_value or not form_value:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie_value), form_value)
