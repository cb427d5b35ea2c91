"""The risk register (HM Treasury Orange Book): scored inherent, residual, target."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models.people import Employee
from organisations.models.scoping import scoped_manager
from organisations.models.structure import Organisation, Service
from organisations.rules import risks as risk_rules

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
LIKELIHOOD_CHOICES = [(k, f"{k} – {v}") for k, v in sorted(risk_rules.LIKELIHOOD_LABELS.items())]
IMPACT_CHOICES = [(k, f"{k} – {v}") for k, v in sorted(risk_rules.IMPACT_LABELS.items())]


class RiskCategory(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    REPUTATIONAL = "reputational", "Reputational"
    CYBER = "cyber", "Cyber and information"
    WORKFORCE = "workforce", "Workforce"
    OPERATIONAL = "operational", "Operational"
    LEGAL = "legal", "Legal and compliance"
    PARTNERSHIP = "partnership", "Partnership"


class RiskResponse(models.TextChoices):
    TOLERATE = "tolerate", "Tolerate"
    TREAT = "treat", "Treat"
    TRANSFER = "transfer", "Transfer"
    TERMINATE = "terminate", "Terminate"


def _score_field(label: str):
    return models.PositiveSmallIntegerField(label, validators=ONE_TO_FIVE)


# The register's fields a person edits, in the order the form shows them. The
# edit service accepts these and ``is_open``; the history page tracks the same.
RISK_FORM_FIELDS = (
    "title",
    "reference",
    "description",
    "category",
    "service",
    "owner",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "target_likelihood",
    "target_impact",
    "response",
    "controls",
    "review_due",
)
RISK_EDITABLE_FIELDS = (*RISK_FORM_FIELDS, "is_open")


class Risk(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="risks")
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        help_text="Leave blank for a corporate (strategic) risk.",
    )
    reference = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Cause, event and consequence.")
    category = models.CharField(max_length=20, choices=RiskCategory.choices)
    owner = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_risks"
    )
    inherent_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=ONE_TO_FIVE)
    inherent_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=ONE_TO_FIVE)
    residual_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=ONE_TO_FIVE)
    residual_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=ONE_TO_FIVE)
    target_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=ONE_TO_FIVE)
    target_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=ONE_TO_FIVE)
    # Stored so lists, the matrix and the flag run filter and sort in the database.
    residual_score = models.PositiveSmallIntegerField(default=1, editable=False)
    response = models.CharField(max_length=10, choices=RiskResponse.choices, default=RiskResponse.TREAT)
    controls = models.TextField(blank=True, help_text="Controls already in place.")
    review_due = models.DateField()
    is_open = models.BooleanField("Open", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-residual_score", "title"]
        indexes = [models.Index(fields=["organisation", "is_open", "-residual_score"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_score()
        super().save(*args, **kwargs)

    def refresh_score(self) -> None:
        """Store the residual score; save() does it, a bulk insert calls it itself."""
        self.residual_score = (self.residual_likelihood or 1) * (self.residual_impact or 1)

    @property
    def inherent_score(self) -> int:
        return risk_rules.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def target_score(self) -> int:
        return risk_rules.score(self.target_likelihood, self.target_impact)

    @property
    def residual_band(self) -> str:
        return risk_rules.band(self.residual_score)

    def clean(self) -> None:
        errors = {}
        if self.service_id and self.service.organisation_id != self.organisation_id:
            errors["service"] = "Choose a service in this organisation."
        if self.owner_id and self.owner.organisation_id != self.organisation_id:
            errors["owner"] = "The owner must work for this organisation."
        scores = [
            self.inherent_likelihood,
            self.inherent_impact,
            self.residual_likelihood,
            self.residual_impact,
            self.target_likelihood,
            self.target_impact,
        ]
        if all(scores):
            inherent = self.inherent_likelihood * self.inherent_impact
            residual = self.residual_likelihood * self.residual_impact
            target = self.target_likelihood * self.target_impact
            if residual > inherent:
                errors["residual_likelihood"] = (
                    "The residual score (after controls) cannot be above the inherent score."
                )
            if target > residual:
                errors["target_likelihood"] = "The target score cannot be above the residual score."
        if errors:
            raise ValidationError(errors)


class RiskAction(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due = models.DateField()
    done = models.DateField(null=True, blank=True)

    objects = scoped_manager("risk__organisation")
    history = HistoricalRecords()

    class Meta:
        ordering = ["done", "due"]

    def __str__(self) -> str:
        return self.description
