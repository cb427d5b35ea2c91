"""Committee papers: each committee's template (which sections its paper holds,
its introduction and who receives it) and the sign-off of a quarter, which
sends the paper's link to the template's distribution list once
(docs/COMMITTEE_PAPERS.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.models import Employee, Organisation
from organisations.models.scoping import scoped_manager


class PaperSection(models.TextChoices):
    """What a committee paper may hold, in the order it holds them."""

    SUMMARY = "summary", "Summary: KPIs by status, with a chart"
    EXCEPTIONS = "exceptions", "Exceptions, with the owners' commentary and corrective action"
    SERVICE_TABLES = "service_tables", "A table of every KPI for each service"
    COMMENTARY = "commentary", "The commentary on every other KPI"
    RISKS = "risks", "Risks above target"
    WORKFORCE = "workforce", "Workforce and supervision"


ALL_SECTIONS = [s.value for s in PaperSection]


def split_emails(text: str) -> list[str]:
    """The addresses of a distribution list typed one a line or separated by
    commas or semicolons, in order, without repeats."""
    seen: list[str] = []
    for part in text.replace(";", "\n").replace(",", "\n").splitlines():
        address = part.strip()
        if address and address.lower() not in (s.lower() for s in seen):
            seen.append(address)
    return seen


def validate_distribution(text: str) -> None:
    for address in split_emails(text):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                f"“{address[:80]}” is not an email address: enter one address a line", code="invalid"
            ) from None


def validate_sections(value: list) -> None:
    if not value:
        raise ValidationError("Choose at least one section", code="required")
    unknown = [v for v in value if v not in ALL_SECTIONS]
    if unknown:
        raise ValidationError("Choose sections from the list", code="invalid")


class CommitteeTemplate(models.Model):
    """A committee's paper: cabinet might take the summary and exceptions only,
    scrutiny every table and all the commentary."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committee_templates"
    )
    name = models.CharField("Committee", max_length=100)
    sections = models.JSONField(default=list, validators=[validate_sections])
    intro = models.TextField("Introduction", max_length=2000, blank=True)
    distribution = models.TextField(
        "Distribution list", max_length=4000, blank=True, validators=[validate_distribution]
    )

    objects = scoped_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="committee_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def emails(self) -> list[str]:
        return split_emails(self.distribution)

    @property
    def ordered_sections(self) -> list[str]:
        return [s for s in ALL_SECTIONS if s in self.sections]

    def section_labels(self) -> list[str]:
        return [PaperSection(s).label for s in self.ordered_sections]


class QuarterSignOff(models.Model):
    """A performance officer's sign-off of a quarter's paper for the whole
    organisation: once per quarter. The email to the distribution list goes
    through the outbox in the same transaction, so it is sent once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="quarter_sign_offs")
    financial_year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField()
    template = models.ForeignKey(
        CommitteeTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_offs"
    )
    # Kept as written, so the record reads the same after a template is renamed or deleted.
    template_name = models.CharField(max_length=100)
    signed_off_by = models.ForeignKey(Employee, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_by_name = models.CharField(max_length=200)
    signed_off_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)
    note = models.TextField(max_length=1000, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "quarter"], name="quarter_sign_off_once"
            )
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.financial_year} signed off by {self.signed_off_by_name}"
