"""Development plans: what a person and their manager agree to close a skills gap.

A ``DevelopmentItem`` is one course, spell of coaching, shadowing or qualification
that targets a skill at a level, with its provider, planned dates, cost and
status. It may be agreed in a feedback session (``session``). Who sees it is the
person-record rule (``individual_records_q``): the person, their management
chain, heads of their service, performance officers and the chief executive.
Who may add or change one is :mod:`appraisals.rules.development_access`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Skill, SkillLevel
from organisations.models.scoping import ScopedQuerySet


class DevelopmentKind(models.TextChoices):
    COURSE = "course", "Course"
    COACHING = "coaching", "Coaching"
    SHADOWING = "shadowing", "Shadowing"
    QUALIFICATION = "qualification", "Qualification"


class DevelopmentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    BOOKED = "booked", "Booked"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# Still to happen: counted towards a gap's recovery and reminded when due.
OPEN_STATUSES = (DevelopmentStatus.PLANNED, DevelopmentStatus.BOOKED, DevelopmentStatus.IN_PROGRESS)
# Money spent or promised to a provider ("committed"); a planned item's cost is "planned".
COMMITTED_STATUSES = (DevelopmentStatus.BOOKED, DevelopmentStatus.IN_PROGRESS, DevelopmentStatus.COMPLETED)


class DevelopmentItemQuerySet(ScopedQuerySet):
    organisation_path = "employee__organisation"

    def visible_to(self, viewer) -> DevelopmentItemQuerySet:
        """Items of people whose individual records the viewer sees (object check:
        :meth:`DevelopmentItem.is_visible_to`)."""
        from organisations.models.people import individual_records_q

        return self.filter(
            individual_records_q(viewer, "employee"), employee__organisation=viewer.organisation
        )

    def open(self) -> DevelopmentItemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class DevelopmentItem(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="development_items")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="development_items")
    target_level = models.PositiveSmallIntegerField(
        "Level it aims for",
        choices=SkillLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    kind = models.CharField("What", max_length=20, choices=DevelopmentKind.choices)
    title = models.CharField("Title", max_length=200)
    provider = models.CharField("Provider", max_length=200, blank=True)
    starts_on = models.DateField("Planned start")
    ends_on = models.DateField("Planned end")
    cost = models.DecimalField(
        "Cost (£)", max_digits=9, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        max_length=20, choices=DevelopmentStatus.choices, default=DevelopmentStatus.PLANNED
    )
    completed_on = models.DateField(null=True, blank=True)
    session = models.ForeignKey(
        "appraisals.FeedbackSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_items",
        help_text="The session in which it was agreed.",
    )
    created_by = models.ForeignKey(Employee, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DevelopmentItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on", "pk"]
        indexes = [models.Index(fields=["employee", "status"]), models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.employee}: {self.title} ({self.skill}, level {self.target_level})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_visible_to(self, viewer) -> bool:
        return self.employee.individual_records_visible_to(viewer)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The planned end must be on or after the planned start"
        if self.skill_id and self.employee_id and self.skill.organisation_id != self.employee.organisation_id:
            errors["skill"] = "Choose a skill from this organisation's framework"
        if self.session_id and self.employee_id and self.session.employee_id != self.employee_id:
            errors["session"] = "The session must be one of this person's"
        if errors:
            raise ValidationError(errors)
