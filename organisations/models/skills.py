"""The skills framework: skills and what each job role requires."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models.scoping import scoped_manager
from organisations.models.structure import JobRole, Organisation


class SkillLevel(models.IntegerChoices):
    NONE = 0, "0 – None"
    AWARENESS = 1, "1 – Awareness"
    WORKING = 2, "2 – Working"
    PRACTITIONER = 3, "3 – Practitioner"
    EXPERT = 4, "4 – Expert"


LEVEL_DESCRIPTORS = {
    0: "No knowledge or experience of this skill yet.",
    1: "Knows what it is and why it matters; needs guidance to apply it.",
    2: "Applies it in routine work with occasional support.",
    3: "Applies it independently in complex cases and helps others.",
    4: "Recognised authority: shapes practice, coaches and assures quality.",
}


class SkillCategory(models.TextChoices):
    DIGITAL = "digital", "Digital"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    CASE_MANAGEMENT = "case_management", "Case management"
    DATA = "data", "Data"
    LEADERSHIP = "leadership", "Leadership"
    HOUSING_LAW = "housing_law", "Housing law"
    CUSTOMER_SERVICE = "customer_service", "Customer service"
    PROJECT_DELIVERY = "project_delivery", "Project delivery"
    PROFESSIONAL = "professional", "Professional practice"


class Skill(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=SkillCategory.choices)
    description = models.TextField(blank=True)
    statutory = models.BooleanField(
        "Statutory",
        default=False,
        help_text="A legal or regulatory duty needs it done (for example, safeguarding adults): "
        "a gap in it is covered, not left while people train.",
    )

    objects = scoped_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="skill_name_unique")]

    def __str__(self) -> str:
        return self.name


class SkillRequirement(models.Model):
    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requirements")
    required_level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    essential = models.BooleanField(default=True)

    objects = scoped_manager("job_role__organisation")
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["job_role", "skill"], name="skill_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.skill} at {self.required_level}"

    def clean(self) -> None:
        if self.job_role_id and self.skill_id and self.job_role.organisation_id != self.skill.organisation_id:
            raise ValidationError({"skill": "Choose a skill from this organisation's framework."})
