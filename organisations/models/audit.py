"""Events the audit trail records that are not changes to a record: someone
produced a subject access export about a person. simple-history keeps who
changed what; this keeps who looked at (or took away) what about whom."""

from __future__ import annotations

from django.db import models

from core.clock import now
from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet
from organisations.models.structure import Organisation


class AuditEventKind(models.TextChoices):
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export produced"
    # The data warehouse API's tokens (api/): the subject is the token, named in subject_name.
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"


class AuditEventQuerySet(ScopedQuerySet):
    def visible_to(self, viewer):
        """Subject access exports about a person: for that person and the data
        protection role only (a manager does not learn that a request was made)."""
        qs = self.in_organisation(viewer.organisation)
        if getattr(viewer.employee, "is_data_protection_officer", False):
            return qs
        return qs.filter(subject_id=viewer.employee.pk)


class AuditEvent(models.Model):
    """Append-only: written by ``audit_event_record`` and never changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="audit_events")
    kind = models.CharField(max_length=40, choices=AuditEventKind.choices)
    at = models.DateTimeField(default=now)
    actor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events_by"
    )
    # Kept as written, so the record still reads after the person's record goes.
    actor_name = models.CharField(max_length=200)
    subject = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events_about"
    )
    subject_name = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_name}, by {self.actor_name}"
