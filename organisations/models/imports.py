"""People imports from the HR system: the uploaded file kept between the check
(the dry run) and applying it, with what the check found."""

from __future__ import annotations

from django.db import models

from core.clock import now
from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet
from organisations.models.structure import Organisation


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not applied"
    APPLIED = "applied", "Applied"


class HRSystem(models.TextChoices):
    ITRENT = "itrent", "iTrent"
    ORACLE = "oracle", "Oracle HCM"
    SUCCESSFACTORS = "successfactors", "SAP SuccessFactors"
    UNIT4 = "unit4", "Unit4"


class PeopleImportQuerySet(ScopedQuerySet):
    def visible_to(self, viewer) -> PeopleImportQuerySet:
        """The organisation's imports, for those who may import people (organisation
        administrators and HR officers); nobody else."""
        if not viewer.may_import_people:
            return self.none()
        return self.filter(organisation=viewer.organisation)


class PeopleImport(models.Model):
    """One file from the HR system. Checking it stores the plan (``summary``);
    applying it re-plans and refuses if the plan is no longer the same. The file's
    content is cleared once applied: the summary is the record of what changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people_imports")
    filename = models.CharField(max_length=255)
    content = models.BinaryField(blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file as uploaded.")
    system = models.CharField(max_length=20, choices=HRSystem.choices)
    complete = models.BooleanField(
        default=False, help_text="The file lists everyone: people not in it have left."
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    summary = models.JSONField(default=dict)
    plan_fingerprint = models.CharField(max_length=64, blank=True)
    checked_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="people_imports_checked"
    )
    checked_at = models.DateTimeField(default=now)
    applied_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="people_imports_applied"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = PeopleImportQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-checked_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED
