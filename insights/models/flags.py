"""Flags: explainable prompts for a person, computed by the recompute run."""

from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Organisation, Service


class FlagKind(models.TextChoices):
    KPI_RED = "kpi_red", "KPI red"
    KPI_WORSENING = "kpi_worsening", "KPI worsening"
    KPI_DATA_MISSING = "kpi_data_missing", "KPI data missing"
    FEEDBACK_OVERDUE = "feedback_overdue", "Feedback session overdue"
    UNDERPERFORMANCE = "underperformance", "Possible underperformance"
    GOAL_AT_RISK = "goal_at_risk", "Goal at risk"
    GOAL_OVERDUE = "goal_overdue", "Goal overdue"
    INTERIM_CONTRACT_ENDING = "interim_contract_ending", "Interim contract ending"
    INTERIM_RELIANCE = "interim_reliance", "Reliance on interim and agency staff"
    SKILLS_GAP = "skills_gap", "Skills gap"
    SINGLE_POINT_OF_FAILURE = "single_point_of_failure", "Single point of failure"
    RISK_ABOVE_TARGET = "risk_above_target", "Risk above target"
    RISK_REVIEW_OVERDUE = "risk_review_overdue", "Risk review overdue"


class FlagSeverity(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


SEVERITY_RANK = {FlagSeverity.LOW: 1, FlagSeverity.MEDIUM: 2, FlagSeverity.HIGH: 3}

# Flags about one person: seen by their management chain and head of service only.
PERSONAL_KINDS = (
    FlagKind.FEEDBACK_OVERDUE,
    FlagKind.UNDERPERFORMANCE,
    FlagKind.GOAL_AT_RISK,
    FlagKind.GOAL_OVERDUE,
    FlagKind.INTERIM_CONTRACT_ENDING,
)


class SubjectType(models.TextChoices):
    SERVICE = "service", "Service"
    EMPLOYEE = "employee", "Person"
    KPI = "kpi", "KPI"
    GOAL = "goal", "Goal"
    RISK = "risk", "Risk"


class FlagQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation):
        return self.filter(organisation=organisation)

    def unresolved(self):
        return self.filter(resolved_at__isnull=True)

    def needing_attention(self):
        """Open, not dismissed: what dashboards count."""
        return self.filter(resolved_at__isnull=True, dismissed_at__isnull=True)


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
