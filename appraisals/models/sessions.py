"""Feedback sessions (1:1s, supervision, reviews), their actions, appraisal cycles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Organisation
from organisations.models.scoping import ScopedQuerySet, scoped_manager


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


# Who sees a feedback session, at which level. The rule is written twice, side by
# side: as filters (the querysets below, for lists) and as the object check
# (FeedbackSession.view_level_for, for one session); tests/test_visibility.py
# proves they agree for every persona and every state.
# A session's fields, named once. What was said (a session with none of these,
# no action and no goal update is empty and cannot be shared):
SAID_FIELDS = ("discussion", "achievements", "development_areas", "wellbeing")
# What the manager writes: the form's fields, the history's and the exports'.
RECORD_FIELDS = ("held_on", "kind", *SAID_FIELDS, "overall_assessment", "private_note", "next_session_on")
# Everything personal in it: hidden from the restricted view, removed under the
# retention policy.
CONTENT_FIELDS = (*SAID_FIELDS, "overall_assessment", "private_note", "employee_comment", "change_reason")

CONTENT = "content"  # everything, the private note included
EMPLOYEE = "employee"  # the employee's own view: shared, never the private note
RESTRICTED = "restricted"  # that it happened: date, kind, state, who held it


def _draft_owner_q(viewer, p: str) -> Q:
    """A draft is its author's alone (or, once the author has gone, the line
    manager's who inherits it)."""
    me = viewer.employee.pk
    author_gone = Q(**{f"{p}manager__isnull": True}) | Q(**{f"{p}manager__active": False})
    return Q(**{f"{p}manager_id": me}) | (author_gone & Q(**{f"{p}employee__line_manager_id": me}))


def session_content_q(viewer, p: str = "") -> Q:
    """Sessions whose content the viewer reads: a draft's author; once shared, its
    author, the employee's line manager and that manager's manager. ``p`` is the
    path from the filtered model to the session ("session__")."""
    me = viewer.employee.pk
    chain = Q(**{f"{p}employee__line_manager_id": me}) | Q(
        **{f"{p}employee__line_manager__line_manager_id": me}
    )
    shared = ~Q(**{f"{p}state": SessionState.DRAFT})
    return Q(**{f"{p}organisation": viewer.organisation}) & (
        _draft_owner_q(viewer, p) | (shared & (Q(**{f"{p}manager_id": me}) | chain))
    )


def session_employee_q(viewer, p: str = "") -> Q:
    """The employee's own sessions, once shared."""
    return Q(**{f"{p}employee_id": viewer.employee.pk}) & ~Q(**{f"{p}state": SessionState.DRAFT})


def session_readable_q(viewer, p: str = "") -> Q:
    """Sessions whose words (content, actions, goal comments) the viewer may read:
    CONTENT or EMPLOYEE level."""
    return session_content_q(viewer, p) | session_employee_q(viewer, p)


def session_visible_q(viewer, p: str = "") -> Q:
    """Sessions the viewer may know of at any level: readable ones, and shared
    sessions of people whose individual records the viewer sees (RESTRICTED)."""
    from organisations.models.people import individual_records_q

    restricted = (
        Q(**{f"{p}organisation": viewer.organisation})
        & ~Q(**{f"{p}state": SessionState.DRAFT})
        & individual_records_q(viewer, f"{p}employee")
    )
    return session_readable_q(viewer, p) | restricted


class FeedbackSessionQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation) -> FeedbackSessionQuerySet:
        return self.filter(organisation=organisation)

    def visible_to(self, viewer) -> FeedbackSessionQuerySet:
        """Sessions the viewer may know of, at any level."""
        return self.filter(organisation=viewer.organisation).filter(session_visible_q(viewer))

    def readable_by(self, viewer) -> FeedbackSessionQuerySet:
        """Sessions whose words the viewer may read (content or the employee's view)."""
        return self.filter(organisation=viewer.organisation).filter(session_readable_q(viewer))

    def content_visible_to(self, viewer) -> FeedbackSessionQuerySet:
        return self.filter(organisation=viewer.organisation).filter(session_content_q(viewer))


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

    @property
    def is_draft(self) -> bool:
        return self.state == SessionState.DRAFT

    def view_level_for(self, viewer) -> str | None:
        """CONTENT, EMPLOYEE, RESTRICTED or None (the object check matching
        ``session_visible_q`` and its parts above)."""
        if self.organisation_id != viewer.organisation.pk:
            return None
        me = viewer.employee.pk
        employee = self.employee
        if self.is_draft:
            author = self.manager
            author_gone = author is None or not author.active
            owns = self.manager_id == me or (author_gone and employee.line_manager_id == me)
            return CONTENT if owns else None
        if self.manager_id == me or is_line_manager_or_grandmanager(viewer, employee):
            return CONTENT
        if employee.pk == me:
            return EMPLOYEE
        if employee.individual_records_visible_to(viewer):
            return RESTRICTED
        return None

    def is_readable_by(self, viewer) -> bool:
        return self.view_level_for(viewer) in (CONTENT, EMPLOYEE)


def is_line_manager_or_grandmanager(viewer, employee: Employee) -> bool:
    """The viewer is the person's line manager or that manager's manager."""
    me = viewer.employee.pk
    if employee.line_manager_id == me:
        return True
    if employee.line_manager_id is None:
        return False
    return employee.line_manager.line_manager_id == me


class ActionQuerySet(ScopedQuerySet):
    organisation_path = "session__organisation"

    def open(self) -> ActionQuerySet:
        """Not done, and not carried over into a later session (the copy is open instead)."""
        return self.filter(done_on__isnull=True, carried_into__isnull=True)

    def visible_to(self, viewer) -> ActionQuerySet:
        """Actions are part of what was said: seen by those who read their session
        (object check: ``action.session.is_readable_by(viewer)``)."""
        return self.filter(session_readable_q(viewer, "session__"))


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

    objects = scoped_manager()

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
