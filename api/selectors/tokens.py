"""Reads for API tokens: the one a request presents, and the settings page's list."""

from __future__ import annotations

from django.db.models import QuerySet

from api.models import ApiToken
from api.rules import tokens as token_rules
from organisations.access import Viewer


def token_for(presented: str) -> ApiToken | None:
    """The live token a request presents, with its organisation; None for an
    unknown, malformed or revoked one. One query (none for a malformed string)."""
    prefix = token_rules.prefix_of(presented)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("organisation").filter(prefix=prefix).first()
    if token is None or token.revoked_at is not None:
        return None
    return token if token_rules.hash_matches(presented, token.secret_hash) else None


def tokens_for_page(viewer: Viewer) -> QuerySet[ApiToken]:
    """The organisation's tokens, live first, with who created and revoked them: one query."""
    return (
        ApiToken.objects.visible_to(viewer)
        .select_related("created_by", "revoked_by")
        .order_by("revoked_at", "-created_at", "-pk")
    )
