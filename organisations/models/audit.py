"""Events the audit trail records that are not changes to a record: someone
produced a subject access export about a person, changed the organisation's
settings or gave someone a role. simple-history keeps who changed what in the
records people edit; this keeps who looked at (or took away) what about whom,
and each save of the settings area with every changed field, before and after."""

from __future__ import annotations

from django.db import models

from core.clock import now
from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet
from organisations.models.structure import Organisation


class AuditEventKind(models.TextChoices):
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export produced"
    PEOPLE_IMPORT = "people_import", "People imported from the HR system"
    SETTINGS_CHANGED = "settings_changed", "Organisation settings changed"
    JOB_FAMILIES_CHANGED = "job_families_changed", "Job families changed"
    ROLE_GRANTED = "role_granted", "Role given"
    ROLE_REVOKED = "role_revoked", "Role taken away"
    # Feedback from colleagues (appraisals.models.peer_feedback). A request and its
    # release name the person as subject; an answer or a refusal has no subject, so
    # the person does not learn from the audit trail who answered (it names them
    # in subject_name, for the data protection role).
    FEEDBACK_REQUESTED = "feedback_requested", "Feedback from colleagues asked for"
    FEEDBACK_ANSWERED = "feedback_answered", "Feedback from a colleague sent"
    FEEDBACK_DECLINED = "feedback_declined", "Request for feedback declined"
    FEEDBACK_RELEASED = "feedback_released", "Feedback from colleagues released"
    # The data warehouse API's tokens (api/): the subject is the token, named in subject_name.
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    # A KPI result's sign-off: the subject is the result, named in subject_name.
    RESULT_SUBMITTED = "result_submitted", "KPI result submitted"
    RESULT_RESUBMITTED = "result_resubmitted", "KPI result submitted again"
    RESULT_VALIDATED = "result_validated", "KPI result signed off"
    RESULT_RETURNED = "result_returned", "KPI result returned"
    # Other councils' figures (organisations/services/benchmark_import.py): the subject
    # is the file, named in subject_name.
    BENCHMARK_IMPORT = "benchmark_import", "Benchmark figures imported"
    # A committee paper's quarter signed off (insights/services/papers/); the subject is the quarter.
    QUARTER_SIGNED_OFF = "quarter_signed_off", "Quarter's committee paper signed off"


# What the settings area records: read by the organisation's administrators on
# the organisation's history page (settings have no subject; a role given has).
ORGANISATION_KINDS = (
    AuditEventKind.SETTINGS_CHANGED,
    AuditEventKind.JOB_FAMILIES_CHANGED,
    AuditEventKind.ROLE_GRANTED,
    AuditEventKind.ROLE_REVOKED,
    AuditEventKind.PEOPLE_IMPORT,
    AuditEventKind.API_TOKEN_CREATED,
    AuditEventKind.API_TOKEN_REVOKED,
    AuditEventKind.BENCHMARK_IMPORT,
    AuditEventKind.QUARTER_SIGNED_OFF,
)

# A KPI result's sign-off trail: read by performance officers and the
# organisation's administrators (and the data protection role).
RESULT_KINDS = (
    AuditEventKind.RESULT_SUBMITTED,
    AuditEventKind.RESULT_RESUBMITTED,
    AuditEventKind.RESULT_VALIDATED,
    AuditEventKind.RESULT_RETURNED,
)


class AuditEventQuerySet(ScopedQuerySet):
    def visible_to(self, viewer):
        """Events about a person (a subject access export, a role given): for that
        person and the data protection role only (a manager does not learn that a
        request was made). What the settings area records (settings changed, a
        role given or taken away): for the organisation's administrators too."""
        qs = self.in_organisation(viewer.organisation)
        if getattr(viewer.employee, "is_data_protection_officer", False):
            return qs
        mine = models.Q(subject_id=viewer.employee.pk)
        if getattr(viewer.employee, "is_organisation_admin", False):
            return qs.filter(mine | models.Q(kind__in=ORGANISATION_KINDS) | models.Q(kind__in=RESULT_KINDS))
        if getattr(viewer.employee, "is_performance_officer", False):
            return qs.filter(mine | models.Q(kind__in=RESULT_KINDS))
        return qs.filter(mine)


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
    subject_name = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    # Each changed field as [label, before, after], in words (never a secret's value).
    changes = models.JSONField(default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_name}, by {self.actor_name}"
