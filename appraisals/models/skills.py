"""Ratings of a person's skills, by themselves or their manager."""

from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Skill, SkillLevel


class RatingSource(models.TextChoices):
    SELF = "self", "Self-assessment"
    MANAGER = "manager", "Manager"


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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-rated_on", "-created_at"]
        indexes = [models.Index(fields=["employee", "skill", "source", "-rated_on"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.skill}: {self.level} ({self.source})"
