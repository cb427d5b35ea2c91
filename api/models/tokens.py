"""An organisation's tokens for the data warehouse API."""

from __future__ import annotations

from django.db import models

from api.rules import tokens as token_rules
from organisations.models import Employee, Organisation
from organisations.models.scoping import ScopedQuerySet


class ApiTokenQuerySet(ScopedQuerySet):
    def visible_to(self, viewer) -> ApiTokenQuerySet:
        """An organisation's tokens: for its organisation administrators only."""
        if not viewer.is_organisation_admin:
            return self.none()
        return self.in_organisation(viewer.organisation)

    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """Only the SHA-256 digest of the secret is kept (``api.rules.tokens``): the
    secret is shown once, when the token is created."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'Power BI performance report'.")
    prefix = models.CharField(max_length=8, unique=True, help_text="Shown to tell tokens apart.")
    secret_hash = models.CharField(max_length=64)
    scopes = models.CharField(max_length=100, default=token_rules.AGGREGATES)
    created_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="api_tokens_created"
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="api_tokens_revoked"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_live_name_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({token_rules.TOKEN_PREFIX}_{self.prefix}…)"

    @property
    def scope_list(self) -> list[str]:
        return token_rules.parse_scopes(self.scopes)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_prefix(self) -> str:
        return f"{token_rules.TOKEN_PREFIX}_{self.prefix}_…"
