"""People: employees, their employment types, line management and whose records a viewer may see."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from simple_history.models import HistoricalRecords

from organisations.models.scoping import ScopedQuerySet
from organisations.models.structure import JobRole, Organisation, Service


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    INTERIM = "interim", "Interim"
    AGENCY = "agency", "Agency"
    SECONDMENT = "secondment", "Secondment"


CONTINGENT_TYPES = (EmploymentType.INTERIM, EmploymentType.AGENCY)


class EmployeeQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation) -> EmployeeQuerySet:
        return self.filter(organisation=organisation)

    def active(self) -> EmployeeQuerySet:
        return self.filter(active=True)

    def contingent(self) -> EmployeeQuerySet:
        return self.filter(employment_type__in=CONTINGENT_TYPES)

    # --- visibility: the rules for people, written once (object checks on Employee) ---
    def visible_to(self, viewer) -> EmployeeQuerySet:
        """The staff directory a viewer may open: everyone working in their
        organisation, and leavers only for those who see that person's HR details
        (see :meth:`Employee.is_visible_to`)."""
        return self.filter(organisation=viewer.organisation).filter(
            Q(active=True) | individual_records_q(viewer, "")
        )

    def individuals_visible_to(self, viewer) -> EmployeeQuerySet:
        """People whose individual records (objectives, ratings, gaps, flags, HR
        details) the viewer may see (see :meth:`Employee.individual_records_visible_to`)."""
        return self.filter(organisation=viewer.organisation).filter(individual_records_q(viewer, ""))


def individual_records_q(viewer, person: str) -> Q:
    """A filter for rows about a person whose individual records the viewer may see:
    the viewer themselves, everyone below them in line management, people in the
    services they head (with everything below), and everyone for performance
    officers and the chief executive. ``person`` names the foreign key from the
    filtered model to the person ("owner", "employee"; "" for Employee itself).

    The matching object check is :meth:`Employee.individual_records_visible_to`;
    tests/test_visibility.py proves the two agree for every persona."""
    if viewer.sees_whole_organisation:
        return ~Q(pk__in=[])  # always true, and still true inside an OR (an empty Q() is dropped)
    pk = f"{person}_id" if person else "pk"
    service = f"{person}__service_id" if person else "service_id"
    return (
        Q(**{pk: viewer.employee.pk})
        | Q(**{f"{pk}__in": viewer.reports_subquery()})
        | Q(**{f"{service}__in": viewer.headed_service_ids})
    )


def _recursive_ids(sql: str, start_id: int) -> list[int]:
    table = Employee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), [start_id])
        return [row[0] for row in cursor.fetchall()]


_REPORTS_SQL = """
    WITH RECURSIVE below(id) AS (
        SELECT id FROM {table} WHERE line_manager_id = %s
        UNION
        SELECT e.id FROM {table} e JOIN below b ON e.line_manager_id = b.id
    )
    SELECT id FROM below
"""
# PostgreSQL plans each step of the walk for a handful of rows and joins them by
# reading the whole employee table (five times for five levels of management);
# a lateral lookup on the line-manager index costs a probe per person instead
# (OFFSET 0 keeps the planner from turning it back into that join).
_REPORTS_SQL_POSTGRESQL = """
    WITH RECURSIVE below(id) AS (
        SELECT id FROM {table} WHERE line_manager_id = %s
        UNION
        SELECT e.id FROM below b
        CROSS JOIN LATERAL (SELECT id FROM {table} WHERE line_manager_id = b.id OFFSET 0) e
    )
    SELECT id FROM below
"""


def _reports_sql() -> str:
    return _REPORTS_SQL_POSTGRESQL if connection.vendor == "postgresql" else _REPORTS_SQL


class EmployeeManager(models.Manager.from_queryset(EmployeeQuerySet)):
    def report_ids(self, manager_id: int) -> set[int]:
        """Everyone below a manager in line management, in one recursive query."""
        return set(_recursive_ids(_reports_sql(), manager_id))

    def reports_subquery(self, manager_id: int) -> RawSQL:
        """The same people as :meth:`report_ids`, as a subquery for ``__in``: a
        filter on the people below a director or chief executive then sends one
        parameter, not thousands of ids (each costs Python time to prepare)."""
        return RawSQL(_reports_sql().format(table=Employee._meta.db_table), [manager_id])

    def chain_ids(self, employee_id: int) -> list[int]:
        """The line managers above a person, nearest first, in one recursive query."""
        sql = """
            WITH RECURSIVE above(id, depth) AS (
                SELECT line_manager_id, 1 FROM {table} WHERE id = %s AND line_manager_id IS NOT NULL
                UNION
                SELECT e.line_manager_id, a.depth + 1 FROM {table} e JOIN above a ON e.id = a.id
                WHERE e.line_manager_id IS NOT NULL AND a.depth < 50
            )
            SELECT id FROM above ORDER BY depth
        """
        return _recursive_ids(sql, employee_id)


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employees")
    employee_number = models.CharField(
        max_length=30,
        blank=True,
        help_text="The HR system's employee or assignment number, matched by imports.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="employees")
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.PERMANENT
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Contract end date.")
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    active = models.BooleanField(default=True)
    left_on = models.DateField(null=True, blank=True, help_text="Date the person left.")
    feedback_interval_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Own interval between feedback sessions; blank uses the organisation's default.",
    )
    newly_qualified = models.BooleanField(
        default=False,
        help_text="Newly qualified social worker (ASYE): more frequent supervision.",
    )
    is_performance_officer = models.BooleanField(default=False)
    is_data_protection_officer = models.BooleanField(
        default=False,
        help_text="May produce a complete subject access export for anyone in the organisation.",
    )

    is_organisation_admin = models.BooleanField(
        "Organisation administrator",
        default=False,
        help_text="May change the organisation's settings, import people and manage roles and API tokens.",
    )
    is_hr_officer = models.BooleanField(
        "HR officer",
        default=False,
        help_text="May import people from the HR system and see the import history.",
    )

    objects = EmployeeManager()
    history = HistoricalRecords(excluded_fields=["user"])

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["organisation", "active"]),
            models.Index(fields=["organisation", "employment_type"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=~models.Q(employee_number=""),
                name="employee_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_contingent(self) -> bool:
        return self.employment_type in CONTINGENT_TYPES

    # --- visibility: object checks matching EmployeeQuerySet.visible_to and
    # individual_records_q, which tests/test_visibility.py keeps in agreement ---
    def individual_records_visible_to(self, viewer) -> bool:
        """Objectives, ratings, gaps, flags and HR details (employment type, FTE,
        contract dates, leaving): the person, their management chain, heads of
        their service and performance officers (and the chief executive)."""
        if self.organisation_id != viewer.organisation.pk:
            return False
        return (
            viewer.sees_whole_organisation
            or self.pk == viewer.employee.pk
            or self.pk in viewer.report_ids
            or self.service_id in viewer.headed_service_ids
        )

    def is_visible_to(self, viewer) -> bool:
        """Their directory entry (name, job title, service, manager): anyone in the
        organisation while they work there; a leaver only for those who see their
        HR details."""
        if self.organisation_id != viewer.organisation.pk:
            return False
        return self.active or self.individual_records_visible_to(viewer)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        org_id = self.organisation_id
        if self.service_id and self.service.organisation_id != org_id:
            errors["service"] = "Choose a service in this person's organisation."
        if self.job_role_id and self.job_role.organisation_id != org_id:
            errors["job_role"] = "Choose a job role in this person's organisation."
        if self.line_manager_id:
            if self.line_manager.organisation_id != org_id:
                errors["line_manager"] = "The line manager must work for the same organisation."
            elif self.pk and (
                self.line_manager_id == self.pk or self.pk in Employee.objects.chain_ids(self.line_manager_id)
            ):
                errors["line_manager"] = "This would make a loop: the line manager reports to this person."
        if self.employment_type in CONTINGENT_TYPES and not self.end_date:
            errors["end_date"] = "Enter a contract end date for interim and agency staff."
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The contract end date must be the same as or after the start date."
        if errors:
            raise ValidationError(errors)
