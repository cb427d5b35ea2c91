"""API tokens as plain values: how a secret is made, shown and hashed.

A token reads ``pmk_<prefix>_<secret>``: the prefix (8 hex characters) is stored
in clear to identify the token in lists and to find its row; the whole string is
stored only as its SHA-256 digest. The secret carries 256 random bits, so a fast
hash is enough (a slow password hash protects guessable passwords, not random
keys) and a lookup costs one indexed query.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_PREFIX = "pmk"
AGGREGATES = "aggregates"
PEOPLE = "people"
SCOPES = {
    AGGREGATES: "Aggregates: services, KPIs, targets, results, workforce and supervision figures",
    PEOPLE: "People: employee number, name, service, role, employment type and manager",
}

_TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}_([0-9a-f]{{8}})_([A-Za-z0-9_-]{{20,100}})$")


def new_token() -> tuple[str, str]:
    """(prefix, the whole token): shown once, never stored."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The prefix of a well-formed token; None for anything else."""
    match = _TOKEN_RE.match(token or "")
    return match.group(1) if match else None


def hash_matches(token: str, stored_hash: str) -> bool:
    """Compared in constant time, so the response time tells nothing about the hash."""
    return hmac.compare_digest(token_hash(token), stored_hash)


def parse_scopes(value: str) -> list[str]:
    """The scopes stored in a token's ``scopes`` field ("aggregates people")."""
    return [s for s in value.split() if s in SCOPES]
