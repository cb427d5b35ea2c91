"""Single sign-on (OpenID Connect) rules: an organisation's settings from its
fields and the environment, and who a sign-in's claim names. Plain values in,
plain values out; the reads are in ``organisations/selectors/single_sign_on.py``.

The environment wins: ``OIDC_<SLUG>_ISSUER``, ``_CLIENT_ID``, ``_CLIENT_SECRET``,
``_CLAIM`` and ``_MATCHES`` (``<SLUG>`` is the organisation's slug in capitals,
each character other than a letter or digit written ``_``) override the
organisation's field of the same name when set and not blank, and fill it when
the field is blank. So a secret can live in the deployment's secret store only,
and an operator can repair a broken setting without the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

FIELDS = ("issuer", "client_id", "client_secret", "claim", "matches")
MATCHES = ("email", "employee_number")
DEFAULT_CLAIM = "email"


@dataclass(frozen=True)
class SsoSettings:
    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    claim: str = DEFAULT_CLAIM
    matches: str = "email"
    # The settings taken from the environment, for the settings page to say so.
    from_environment: frozenset[str] = frozenset()

    @property
    def enabled(self) -> bool:
        """Single sign-on is offered once the issuer and the client are known."""
        return bool(self.issuer and self.client_id and self.client_secret)


def environment_name(slug: str) -> str:
    """``testshire-council`` -> ``TESTSHIRE_COUNCIL``."""
    return re.sub(r"[^A-Z0-9]", "_", slug.upper())


def environment_prefix(slug: str) -> str:
    """``testshire-council`` -> ``OIDC_TESTSHIRE_COUNCIL_``."""
    return f"OIDC_{environment_name(slug)}_"


def sso_settings_from(slug: str, fields: Mapping[str, str], environ: Mapping[str, str]) -> SsoSettings:
    """The organisation's settings: its ``oidc_*`` fields (``fields`` keyed by
    the names in FIELDS), each overridden by its environment variable when set."""
    prefix = environment_prefix(slug)
    values, from_environment = {}, set()
    for name in FIELDS:
        value = (environ.get(prefix + name.upper()) or "").strip()
        if value:
            from_environment.add(name)
        else:
            value = (fields.get(name) or "").strip()
        values[name] = value
    values["claim"] = values["claim"] or DEFAULT_CLAIM
    if values["matches"] not in MATCHES:
        values["matches"] = "email"
    return SsoSettings(**values, from_environment=frozenset(from_environment))


def environment_slugs(environ: Mapping[str, str]) -> set[str]:
    """The ``<SLUG>`` parts of every ``OIDC_<SLUG>_ISSUER`` set in the environment."""
    return {
        key[len("OIDC_") : -len("_ISSUER")]
        for key, value in environ.items()
        if key.startswith("OIDC_") and key.endswith("_ISSUER") and value.strip()
    }


def claim_value(claims: Mapping[str, object], claim: str) -> str:
    """The claim as text, trimmed; "" when absent or not a plain value."""
    value = claims.get(claim)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


class Outcome(Enum):
    MATCHED = "matched"
    UNKNOWN = "unknown"
    LEFT = "left"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Candidate:
    """A person the claim named, as the rule needs them."""

    pk: int
    active: bool
    user_active: bool | None  # None: no account yet


def choose_person(candidates: Sequence[Candidate]) -> tuple[Outcome, Candidate | None]:
    """Who signs in among the people whose email or number the claim holds: the
    one still working here. A leaver (the record or the account inactive) is
    refused; two people still working here with the same email are refused
    rather than guessed between."""
    if not candidates:
        return Outcome.UNKNOWN, None
    working = [c for c in candidates if c.active and c.user_active is not False]
    if len(working) == 1:
        return Outcome.MATCHED, working[0]
    if len(working) > 1:
        return Outcome.AMBIGUOUS, None
    return Outcome.LEFT, candidates[0]
