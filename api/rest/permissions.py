"""What a token may read: every resource needs the ``aggregates`` scope, the
people resource the ``people`` scope (a view names its ``required_scope``)."""

from __future__ import annotations

from rest_framework import permissions

from api.models import ApiToken
from api.rules import tokens as token_rules


class HasTokenScope(permissions.BasePermission):
    message = "This token may not read this resource: it needs the '{scope}' scope."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        scope = getattr(view, "required_scope", token_rules.AGGREGATES)
        if token.has_scope(scope):
            return True
        self.message = self.message.format(scope=scope)
        return False
