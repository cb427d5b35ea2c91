"""Goals from organisation priorities down to individual objectives."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.glossary import GOAL_STATUS
from organisations.models import KPI, Employee, Organisation, Service
from organisations.models.scoping import ScopedQuerySet


class GoalLevel(models.TextChoices):
    ORGANISATION = "organisation", "Organisation priority"
    SERVICE = "service", "Service goal"
    TEAM = "team", "Team goal"
    INDIVIDUAL = "individual", "Individual objective"


LEVEL_RANK = {GoalLevel.ORGANISATION: 0, GoalLevel.SERVICE: 1, GoalLevel.TEAM: 2, GoalLevel.INDIVIDUAL: 3}


class GoalStatus(models.TextChoices):
    # The words (and tag colours) are the glossary's: core/glossary.py.
    DRAFT = "draft", GOAL_STATUS["draft"].label
    AGREED = "agreed", GOAL_STATUS["agreed"].label
    ON_TRACK = "on_track", GOAL_STATUS["on_track"].label
    AT_RISK = "at_risk", GOAL_STATUS["at_risk"].label
    OFF_TRACK = "off_track", GOAL_STATUS["off_track"].label
    ACHIEVED = "achieved", GOAL_STATUS["achieved"].label
    DROPPED = "dropped", GOAL_STATUS["dropped"].label


# Statuses a person may set at a check-in (draft and agreed belong to the workflow).
CHECK_IN_STATUSES = [
    (s.value, s.label)
    for s in (
        GoalStatus.ON_TRACK,
        GoalStatus.AT_RISK,
        GoalStatus.OFF_TRACK,
        GoalStatus.ACHIEVED,
        GoalStatus.DROPPED,
    )
]
OPEN_STATUSES = (GoalStatus.AGREED, GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.OFF_TRACK)


class GoalHorizon(models.TextChoices):
    SHORT = "short", "Short-term (this year)"
    LONG = "long", "Long-term (more than a year)"


class GoalQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation) -> GoalQuerySet:
        return self.filter(organisation=organisation)

    def live(self) -> GoalQuerySet:
        return self.exclude(status=GoalStatus.DROPPED)

    def visible_to(self, viewer) -> GoalQuerySet:
        """Organisation priorities, service and team goals: everyone in the
        organisation; an individual objective: whoever sees its owner's individual
        records (object check: :meth:`Goal.is_visible_to`)."""
        return self.filter(organisation=viewer.organisation).filter(goals_visible_q(viewer))


def goals_visible_q(viewer, p: str = "") -> Q:
    """Within the viewer's organisation, the goals they may see; ``p`` is the path
    from the filtered model to the goal ("goal__")."""
    from organisations.models.people import individual_records_q

    return ~Q(**{f"{p}level": GoalLevel.INDIVIDUAL}) | individual_records_q(viewer, f"{p}owner")


class Goal(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    level = models.CharField(max_length=20, choices=GoalLevel.choices)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="goals"
    )
    owner = models.ForeignKey(
        Employee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
        help_text="The person an individual objective belongs to.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The goal this one supports.",
    )
    kpi = models.ForeignKey(
        KPI,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name="KPI",
        help_text="The KPI this goal contributes to, if any.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    success_measure = models.TextField(blank=True, help_text="How you will know it is achieved.")
    start_date = models.DateField()
    due_date = models.DateField()
    horizon = models.CharField(max_length=10, choices=GoalHorizon.choices, default=GoalHorizon.SHORT)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="How much this goal counts towards the goal it supports.",
    )
    created_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [
            models.Index(fields=["organisation", "level"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        org = self.organisation_id
        if self.level == GoalLevel.INDIVIDUAL and not self.owner_id:
            errors["owner"] = "An individual objective needs an owner."
        if self.owner_id and self.owner.organisation_id != org:
            errors["owner"] = "The owner must work for this organisation."
        if self.service_id and self.service.organisation_id != org:
            errors["service"] = "Choose a service in this organisation."
        if self.level in (GoalLevel.SERVICE, GoalLevel.TEAM) and not self.service_id:
            errors["service"] = "Choose the service or team this goal belongs to."
        if self.kpi_id and self.kpi.organisation_id != org:
            errors["kpi"] = "Choose a KPI of this organisation."
        if self.start_date and self.due_date and self.due_date <= self.start_date:
            errors["due_date"] = "The due date must be after the start date."
        if self.parent_id:
            parent = self.parent
            if parent.organisation_id != org:
                errors["parent"] = "The goal it supports must be in the same organisation."
            elif LEVEL_RANK[parent.level] > LEVEL_RANK.get(self.level, 3):
                errors["parent"] = (
                    f"A {self.get_level_display().lower()} cannot support a "
                    f"{parent.get_level_display().lower()}: choose a goal at the same or a higher level."
                )
            elif self.pk and self.pk in goal_ancestor_ids(parent):
                errors["parent"] = "This would make a loop: the goal it supports already supports this one."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_visible_to(self, viewer) -> bool:
        if self.organisation_id != viewer.organisation.pk:
            return False
        if self.level != GoalLevel.INDIVIDUAL:
            return True
        return self.owner is not None and self.owner.individual_records_visible_to(viewer)


def goal_ancestor_ids(goal: Goal) -> list[int]:
    """The goal and those it supports, upwards."""
    seen: list[int] = []
    node: Goal | None = goal
    while node is not None and node.pk not in seen:
        seen.append(node.pk)
        node = node.parent
    return seen


class GoalCheckInQuerySet(ScopedQuerySet):
    organisation_path = "goal__organisation"

    def visible_to(self, viewer) -> GoalCheckInQuerySet:
        """Check-ins on goals the viewer sees, except those recorded in a feedback
        session that is still a draft: those are its author's alone until shared
        (object check: :meth:`GoalCheckIn.is_visible_to`). A check-in's comment
        carries its session's confidentiality: see ``comment_visible_to``."""
        from appraisals.models.sessions import session_content_q

        in_draft = Q(session__state="draft")
        return self.filter(goals_visible_q(viewer, "goal__"), goal__organisation=viewer.organisation).filter(
            ~in_draft | Q(session__isnull=True) | session_content_q(viewer, "session__")
        )


class GoalCheckIn(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(Employee, null=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField()
    progress = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    status = models.CharField(max_length=20, choices=GoalStatus.choices)
    comment = models.TextField(blank=True)
    session = models.ForeignKey(
        "appraisals.FeedbackSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GoalCheckInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["goal", "-date"])]

    def __str__(self) -> str:
        return f"{self.goal}: {self.progress}% on {self.date}"

    def is_visible_to(self, viewer) -> bool:
        if not self.goal.is_visible_to(viewer):
            return False
        return (
            self.session_id is None
            or not self.session.is_draft
            or self.session.view_level_for(viewer) is not None
        )

    def comment_visible_to(self, viewer) -> bool:
        """A comment typed into a session's goal row is what was said in that
        session: only those who read the session see it (heads of service and
        officers with the restricted view see that a check-in happened)."""
        return self.session_id is None or self.session.is_readable_by(viewer)
