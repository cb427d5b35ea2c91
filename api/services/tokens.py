"""Creating, revoking and recording the use of API tokens; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from api.models import ApiToken
from api.rules import tokens as token_rules
from core.clock import now
from organisations.models import AuditEventKind, Employee
from organisations.services.audit import audit_event_record

# A token's last use is written at most this often: not a write on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # the whole token string: shown once, never stored


def _require_admin(by: Employee) -> None:
    if not by.is_organisation_admin:
        raise PermissionDenied("Only an organisation administrator can manage API tokens.")


@transaction.atomic
def api_token_create(*, name: str, scopes: list[str], by: Employee) -> CreatedToken:
    """A new token for ``by``'s organisation; the secret is in the result only."""
    _require_admin(by)
    name = name.strip()
    scopes = [s for s in token_rules.SCOPES if s in scopes]
    errors = {}
    if not scopes:
        errors["scopes"] = "Choose what the token may read"
    if ApiToken.objects.live().filter(organisation=by.organisation, name__iexact=name).exists():
        errors["name"] = "A token with this name exists already: choose another name"
    if errors:
        raise ValidationError(errors)
    prefix, secret = token_rules.new_token()
    token = ApiToken(
        organisation=by.organisation,
        name=name,
        prefix=prefix,
        secret_hash=token_rules.token_hash(secret),
        scopes=" ".join(scopes),
        created_by=by,
        created_at=now(),
    )
    token.full_clean()
    token.save()
    audit_event_record(
        kind=AuditEventKind.API_TOKEN_CREATED,
        actor=by,
        subject=None,
        subject_name=f"API token {token.name}",
        detail=f"prefix {token.display_prefix} scopes {token.scopes}",
    )
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Employee) -> ApiToken:
    """Refuse the token from now on; revoking it twice changes nothing."""
    _require_admin(by)
    if token.organisation_id != by.organisation_id:
        raise PermissionDenied("This token belongs to another organisation.")
    if token.revoked_at is not None:
        return token
    token.revoked_at = now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_event_record(
        kind=AuditEventKind.API_TOKEN_REVOKED,
        actor=by,
        subject=None,
        subject_name=f"API token {token.name}",
        detail=f"prefix {token.display_prefix}",
    )
    return token


def api_token_used(token: ApiToken) -> None:
    """Note that the token was used: one UPDATE at most every few minutes."""
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
