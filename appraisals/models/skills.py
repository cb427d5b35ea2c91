"""Ratings of a person's skills, by themselves or their manager."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Skill, SkillLevel
from organisations.models.scoping import ScopedQuerySet


class RatingSource(models.TextChoices):
    SELF = "self", "Self-assessment"
    MANAGER = "manager", "Manager"


class SkillRatingQuerySet(ScopedQuerySet):
    organisation_path = "employee__organisation"

    def visible_to(self, viewer) -> SkillRatingQuerySet:
        """Ratings of people whose individual records the viewer sees, except those
        entered in a draft feedback session, which are its author's alone until
        shared (object check: :meth:`SkillRating.is_visible_to`)."""
        from appraisals.models.sessions import session_content_q
        from organisations.models.people import individual_records_q

        return self.filter(
            individual_records_q(viewer, "employee"), employee__organisation=viewer.organisation
        ).filter(
            Q(session__isnull=True) | ~Q(session__state="draft") | session_content_q(viewer, "session__")
        )

    def settled(self) -> SkillRatingQuerySet:
        """Ratings that count: not from a session still in draft (the skills-gap job
        and everyone but the draft's author read only these)."""
        return self.filter(Q(session__isnull=True) | ~Q(session__state="draft"))


class SkillRating(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="ratings")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, validators=[MaxValueValidator(4)])
    source = models.CharField(max_length=10, choices=RatingSource.choices)
    rated_by = models.ForeignKey(Employee, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_on = models.DateField()
    session = models.ForeignKey(
        "appraisals.FeedbackSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_ratings",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SkillRatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-rated_on", "-created_at"]
        indexes = [models.Index(fields=["employee", "skill", "source", "-rated_on"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.skill}: {self.level} ({self.source})"

    def is_visible_to(self, viewer) -> bool:
        if not self.employee.individual_records_visible_to(viewer):
            return False
        return (
            self.session_id is None
            or not self.session.is_draft
            or self.session.view_level_for(viewer) is not None
        )
