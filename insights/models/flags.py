"""Flags: explainable prompts for a person, computed by the recompute run."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from insights.rules import kinds
from organisations.models import Employee, Organisation, Service
from organisations.models.scoping import ScopedQuerySet

# Every kind, its label and its order come from the registry (insights/rules/kinds.py).
FlagKind = models.TextChoices("FlagKind", kinds.choices(), module=__name__)


class FlagSeverity(models.TextChoices):
    # Highest first: the one severity order. SEVERITY_RANK (Python) and the
    # database ordering (insights.selectors.flags.SEVERITY_ORDER) derive from it.
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# Higher is more severe: low 1, medium 2, high 3 (an unknown severity ranks 0).
SEVERITY_RANK = {severity: len(FlagSeverity) - i for i, severity in enumerate(FlagSeverity)}

# Flags about one person: seen by their management chain and head of service only.
PERSONAL_KINDS = tuple(FlagKind(code) for code in kinds.personal_codes())


class SubjectType(models.TextChoices):
    SERVICE = "service", "Service"
    EMPLOYEE = "employee", "Person"
    KPI = "kpi", "KPI"
    GOAL = "goal", "Goal"
    RISK = "risk", "Risk"


class FlagQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation):
        return self.filter(organisation=organisation)

    def unresolved(self):
        return self.filter(resolved_at__isnull=True)

    def needing_attention(self):
        """Open, not dismissed: what dashboards count."""
        return self.filter(resolved_at__isnull=True, dismissed_at__isnull=True)

    def visible_to(self, viewer):
        """The flags a viewer may see (object check: :meth:`Flag.is_visible_to`).

        Flags about a person (``employee`` set, or a personal kind) are for that
        person's management chain and the head of their service only: not
        performance officers, not peers, and never the person themselves (a flag
        is a prompt for the people who support them, UK GDPR art. 22). Other flags
        (services, KPIs, risks, skills) are for the organisation's managers, heads
        of service and performance officers. Everyone else sees none."""
        qs = self.filter(organisation=viewer.organisation)
        if not is_flag_viewer(viewer):
            return qs.none()
        # Subqueries, not a join to the people: the flags are filtered without
        # joining every flag of the organisation to its person first.
        in_headed_services = Employee.objects.filter(
            organisation=viewer.organisation, service_id__in=viewer.headed_service_ids
        ).values("pk")
        about_someone_i_support = (
            Q(employee_id__in=viewer.reports_subquery()) | Q(employee_id__in=in_headed_services)
        ) & ~Q(employee_id=viewer.employee.pk)
        return qs.filter(~personal_q() | about_someone_i_support)


def is_flag_viewer(viewer) -> bool:
    """Who has flag pages at all: managers, heads of service, performance officers."""
    return viewer.is_manager or viewer.is_head_of_service or viewer.is_performance_officer


def personal_q() -> Q:
    return Q(employee__isnull=False) | Q(kind__in=PERSONAL_KINDS)


class Flag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=40, choices=FlagKind.choices)
    severity = models.CharField(max_length=10, choices=FlagSeverity.choices)
    key = models.CharField(max_length=200, help_text="Stable identity: kind and subject.")
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField()
    # For scoping: the service the flag belongs to, and the person it is about.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    title = models.CharField(max_length=300)
    rule = models.TextField(help_text="The rule that raised it, in words.")
    evidence = models.JSONField(default=dict)
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = models.TextField(blank=True)
    dismissed_severity = models.CharField(max_length=10, choices=FlagSeverity.choices, blank=True)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_seen_at"])

    class Meta:
        ordering = ["resolved_at", "-opened_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="flag_key_unique")]
        indexes = [
            models.Index(fields=["organisation", "resolved_at", "severity"]),
            models.Index(fields=["service", "resolved_at"]),
            models.Index(fields=["employee", "resolved_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if self.resolved_at:
            return "resolved"
        if self.dismissed_at:
            return "dismissed"
        if self.acknowledged_at:
            return "acknowledged"
        return "new"

    @property
    def is_personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    def is_visible_to(self, viewer) -> bool:
        if self.organisation_id != viewer.organisation.pk or not is_flag_viewer(viewer):
            return False
        if self.employee_id is None:
            return self.kind not in PERSONAL_KINDS
        if self.employee_id == viewer.employee.pk:
            return False
        return self.employee_id in viewer.report_ids or self.employee.service_id in viewer.headed_service_ids
