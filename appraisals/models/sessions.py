"""Feedback sessions (1:1s, supervision, reviews), their actions, appraisal cycles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Organisation


class SessionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    SUPERVISION = "supervision", "Supervision"
    PROBATION = "probation", "Probation review"
    MID_YEAR = "mid_year", "Mid-year review"
    ANNUAL = "annual", "Annual appraisal"


class Assessment(models.TextChoices):
    EXCEEDING = "exceeding", "Exceeding"
    ACHIEVING = "achieving", "Achieving"
    DEVELOPING = "developing", "Developing"
    NOT_YET = "not_yet", "Not yet achieving"


BELOW_ACHIEVING = (Assessment.DEVELOPING, Assessment.NOT_YET)


class SessionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class FeedbackSessionQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation) -> FeedbackSessionQuerySet:
        return self.filter(organisation=organisation)

    def visible_to_employee(self) -> FeedbackSessionQuerySet:
        return self.exclude(state=SessionState.DRAFT)


class FeedbackSession(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="feedback_sessions")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="feedback_sessions")
    manager = models.ForeignKey(
        Employee,
        null=True,
        on_delete=models.SET_NULL,
        related_name="sessions_held",
        help_text="Who held the session.",
    )
    held_on = models.DateField("Date held")
    kind = models.CharField(max_length=20, choices=SessionKind.choices, default=SessionKind.ONE_TO_ONE)
    discussion = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    development_areas = models.TextField(blank=True)
    wellbeing = models.TextField(blank=True)
    overall_assessment = models.CharField(max_length=20, choices=Assessment.choices, blank=True)
    private_note = models.TextField(
        "Private manager note", blank=True, help_text="Never shown to the employee."
    )
    next_session_on = models.DateField("Next session", null=True, blank=True)
    state = models.CharField(max_length=20, choices=SessionState.choices, default=SessionState.DRAFT)
    employee_comment = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.CharField(
        max_length=500, blank=True, help_text="Why a shared session was changed."
    )
    content_removed_on = models.DateField(
        null=True, blank=True, help_text="Content removed under the retention policy; dates and kind kept."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [
            models.Index(fields=["employee", "-held_on"]),
            models.Index(fields=["organisation", "held_on"]),
            # Appraisal reviews of a kind in a cycle's window (dashboards' completion),
            # with the person, so counting who had one reads the index alone
            # (PostgreSQL; other databases ignore ``include``).
            models.Index(
                fields=["organisation", "kind", "held_on"],
                include=["employee"],
                name="session_kind_window_idx",
            ),
            models.Index(fields=["manager", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.employee} on {self.held_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.employee_id and self.employee.organisation_id != self.organisation_id:
            errors["employee"] = "The employee must work for this organisation."
        if self.held_on and self.next_session_on and self.next_session_on <= self.held_on:
            errors["next_session_on"] = "The next session must be after the date this one was held."
        if errors:
            raise ValidationError(errors)

    @property
    def is_locked(self) -> bool:
        return self.state == SessionState.ACKNOWLEDGED


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        """Not done, and not carried over into a later session (the copy is open instead)."""
        return self.filter(done_on__isnull=True, carried_into__isnull=True)


class Action(models.Model):
    session = models.ForeignKey(FeedbackSession, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(Employee, null=True, on_delete=models.SET_NULL, related_name="actions")
    due_on = models.DateField("Due date", null=True, blank=True)
    done_on = models.DateField("Done", null=True, blank=True)
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on"])]

    def __str__(self) -> str:
        return self.description


class AppraisalCycle(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="appraisal_cycles")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2026 is 2026/27."
    )
    mid_year_opens = models.DateField()
    mid_year_closes = models.DateField()
    year_end_opens = models.DateField()
    year_end_closes = models.DateField()

    class Meta:
        ordering = ["-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "financial_year"], name="one_cycle_per_year")
        ]

    def __str__(self) -> str:
        return f"Appraisal cycle {self.financial_year}/{str(self.financial_year + 1)[-2:]}"

    def clean(self) -> None:
        errors = {}
        if self.mid_year_opens and self.mid_year_closes and self.mid_year_closes < self.mid_year_opens:
            errors["mid_year_closes"] = "The mid-year window must close after it opens."
        if self.year_end_opens and self.year_end_closes and self.year_end_closes < self.year_end_opens:
            errors["year_end_closes"] = "The year-end window must close after it opens."
        if self.mid_year_closes and self.year_end_opens and self.year_end_opens < self.mid_year_closes:
            errors["year_end_opens"] = "The year-end window must open after the mid-year window closes."
        if errors:
            raise ValidationError(errors)
