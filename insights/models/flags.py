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
# High flags of these kinds reach the heads of the service above their owner.
HEAD_KINDS = tuple(FlagKind(code) for code in kinds.head_codes())


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

        A flag is for the person expected to act on it (its ``owner``), for the
        one it was escalated to, and for the people above the owner in line
        management or heading the flag's service, who see it as part of a count and
        may open it. Performance officers also see the flags that are not about a
        person (KPIs, risks, services, skills) across the organisation. A flag about
        a person is never shown to that person (a flag is a prompt for the people
        who support them, UK GDPR art. 22). Everyone else sees none."""
        qs = self.filter(organisation=viewer.organisation)
        if not is_flag_viewer(viewer):
            return qs.none()
        me = viewer.employee.pk
        rule = (
            Q(owner_id=me)
            | Q(escalated_to_id=me)
            | Q(owner_id__in=viewer.reports_subquery())
            | Q(service_id__in=viewer.headed_service_ids)
        )
        if viewer.is_performance_officer:
            rule |= ~personal_q()
        return qs.filter(rule).exclude(employee_id=me)

    def actionable_by(self, viewer):
        """The flags waiting for this viewer to act: owned by them or escalated to
        them, not about themselves."""
        me = viewer.employee.pk
        return (
            self.filter(organisation=viewer.organisation)
            .filter(Q(owner_id=me) | Q(escalated_to_id=me))
            .exclude(employee_id=me)
        )

    def for_attention(self, viewer):
        """What "needs your attention" lists: the flags the viewer owns or that were
        escalated to them, and, for a head of service, the high-severity flags about
        their services' KPIs, risks, skills and workforce that a head acts on
        (``Kind.to_heads``) until their owner acknowledges them. Flags about one person are their managers' to act on, and
        medium ones the owner's: they reach the head as a count. The dashboards, the
        team page and the flag list's first tab all read this one queryset."""
        me = viewer.employee.pk
        rule = Q(owner_id=me) | Q(escalated_to_id=me)
        if viewer.headed_service_ids:
            in_my_services = Q(service_id__in=viewer.headed_service_ids)
            # Until its owner acknowledges it with a plan: then it is in hand, and a count.
            rule |= (
                in_my_services
                & ~personal_q()
                & Q(severity=FlagSeverity.HIGH, kind__in=HEAD_KINDS, acknowledged_at__isnull=True)
            )
            # No one named (no head above, or made before owners): the heads act.
            rule |= in_my_services & Q(owner__isnull=True)
        return self.filter(organisation=viewer.organisation).filter(rule).exclude(employee_id=me)

    def held_below(self, viewer):
        """Flags the viewer may see but that are for the people below them to act on."""
        return self.visible_to(viewer).exclude(pk__in=self.for_attention(viewer).values("pk"))


def is_flag_viewer(viewer) -> bool:
    """Who has flag pages at all: managers, heads of service, performance officers,
    and anyone who owns a flag (a KPI's or a risk's owner)."""
    if viewer.is_manager or viewer.is_head_of_service or viewer.is_performance_officer:
        return True
    cached = getattr(viewer, "_owns_flags", None)
    if cached is None:
        me = viewer.employee.pk
        cached = Flag.objects.filter(
            Q(owner_id=me) | Q(escalated_to_id=me), resolved_at__isnull=True
        ).exists()
        viewer._owns_flags = cached
    return cached


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
    # Who is expected to act (insights/services/flag_owners.py decides): the person's
    # line manager, the KPI's or risk's owner, or the head of the service.
    owner = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_flags"
    )
    # Not acted on (acknowledged or dismissed) within its kind's review period: raised
    # once to the owner's own manager, who then acts on it too.
    escalated_to = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalated_flags"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_seen_at"])

    class Meta:
        ordering = ["resolved_at", "-opened_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="flag_key_unique")]
        indexes = [
            models.Index(fields=["organisation", "resolved_at", "severity"]),
            models.Index(fields=["service", "resolved_at"]),
            models.Index(fields=["employee", "resolved_at"]),
            models.Index(fields=["owner", "resolved_at"]),
            models.Index(fields=["escalated_to", "resolved_at"]),
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
        me = viewer.employee.pk
        if self.employee_id == me:
            return False
        if me in (self.owner_id, self.escalated_to_id):
            return True
        if self.owner_id in viewer.report_ids or self.service_id in viewer.headed_service_ids:
            return True
        return viewer.is_performance_officer and self.employee_id is None and self.kind not in PERSONAL_KINDS

    def is_actionable_by(self, viewer) -> bool:
        """The viewer may acknowledge or dismiss it: its owner, the person it was
        escalated to, or someone above the owner in line management. A flag with no
        one named is for the heads of its service (and, when it is not about a
        person, performance officers)."""
        if not self.is_visible_to(viewer):
            return False
        me = viewer.employee.pk
        if self.owner_id is None:
            return self.service_id in viewer.headed_service_ids or viewer.is_performance_officer
        return me in (self.owner_id, self.escalated_to_id) or self.owner_id in viewer.report_ids
