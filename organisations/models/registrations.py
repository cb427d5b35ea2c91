"""Professional registration and mandatory training: each person's registration
with their professional body, the organisation's mandatory courses, what each
job role requires, and who completed which course when.

The rules (when a registration is in date, when training expires, the stages at
which people are told) are pure functions in ``organisations.rules.registrations``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from organisations.models.people import Employee, individual_records_q
from organisations.models.scoping import ScopedQuerySet, scoped_manager
from organisations.models.structure import JobRole, Organisation
from organisations.rules import registrations as rules

RegistrationBody = models.TextChoices("RegistrationBody", rules.body_choices(), module=__name__)


def _sees_everyone(viewer) -> bool:
    """HR officers keep registrations and training for the whole organisation."""
    return viewer.employee.is_hr_officer


class PersonRecordQuerySet(ScopedQuerySet):
    """Rows about one person (``employee``): their individual records' rule, and
    everyone's for HR officers."""

    def visible_to(self, viewer) -> PersonRecordQuerySet:
        qs = self.in_organisation(viewer.organisation)
        if _sees_everyone(viewer):
            return qs
        return qs.filter(individual_records_q(viewer, "employee"))


def person_record_visible_to(employee: Employee, viewer) -> bool:
    """The object check matching :class:`PersonRecordQuerySet.visible_to`."""
    if employee.organisation_id != viewer.organisation.pk:
        return False
    return _sees_everyone(viewer) or employee.individual_records_visible_to(viewer)


class ProfessionalRegistration(models.Model):
    """A person's registration with a professional body (Social Work England, HCPC,
    NMC): a social worker whose registration has lapsed must not practise."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="registrations")
    body = models.CharField("Registration body", max_length=10, choices=RegistrationBody.choices)
    number = models.CharField("Registration number", max_length=30)
    expires_on = models.DateField("Expiry date")

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "body"], name="registration_one_per_body"),
        ]
        indexes = [models.Index(fields=["organisation", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.body} {self.number}"

    def is_visible_to(self, viewer) -> bool:
        return person_record_visible_to(self.employee, viewer)

    def clean(self) -> None:
        if (
            self.employee_id
            and self.organisation_id
            and self.employee.organisation_id != self.organisation_id
        ):
            raise ValidationError({"employee": "Choose a person in this organisation."})


class MandatoryCourse(models.Model):
    """A course the organisation requires, renewed every ``renewal_months``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mandatory_courses")
    name = models.CharField(max_length=150, help_text="As the learning system names it, so imports match.")
    renewal_months = models.PositiveSmallIntegerField(
        "Renew every (months)",
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long a completion stays in date, in months.",
    )
    description = models.TextField(blank=True)

    objects = scoped_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="mandatory_course_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RoleRegistrationRequirement(models.Model):
    """The professional body a job role's holders must be registered with."""

    job_role = models.OneToOneField(
        JobRole, on_delete=models.CASCADE, related_name="registration_requirement"
    )
    body = models.CharField("Registration body", max_length=10, choices=RegistrationBody.choices)

    objects = scoped_manager("job_role__organisation")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.job_role}: {self.body}"


class RoleCourseRequirement(models.Model):
    """A mandatory course a job role's holders must keep in date."""

    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="course_requirements")
    course = models.ForeignKey(MandatoryCourse, on_delete=models.CASCADE, related_name="role_requirements")

    objects = scoped_manager("job_role__organisation")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job_role", "course"], name="role_course_requirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.course}"


class TrainingSource(models.TextChoices):
    FORM = "form", "Entered on a form"
    IMPORT = "import", "Imported from the learning system"


class TrainingRecord(models.Model):
    """One completion of a mandatory course; in date until ``expires_on``, which
    is worked out from the course's renewal period when it is saved."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(MandatoryCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField("Date completed")
    expires_on = models.DateField("Expiry date")
    source = models.CharField(max_length=10, choices=TrainingSource.choices, default=TrainingSource.FORM)

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["course__name", "-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "course", "completed_on"], name="training_record_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("completed_on")), name="training_expires_after_completion"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.course_id} {self.completed_on}"

    def is_visible_to(self, viewer) -> bool:
        return person_record_visible_to(self.employee, viewer)
