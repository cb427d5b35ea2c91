"""Tenancy and structure: organisations, the service tree, job roles (people are in people.py)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core import glossary
from organisations.models.scoping import ScopedQuerySet, scoped_manager


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    financial_year_start_month = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month the financial year starts: 4 is April.",
    )
    default_feedback_interval_days = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Days between feedback sessions unless a person has their own interval.",
    )
    interim_reliance_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percentage of a service's FTE on interim or agency contracts above which it is flagged.",
    )
    skills_coverage_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("60.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percentage of people meeting a required skill below which interim cover is recommended.",
    )
    session_retention_years = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Years session content is kept after a person leaves.",
    )
    officers_may_export_subject_access = models.BooleanField(
        "Performance officers may produce subject access exports",
        default=False,
        help_text=(
            "When set, performance officers may produce a complete subject access export for anyone "
            "in the organisation, as data protection officers can."
        ),
    )
    exception_rule = models.CharField(
        "What counts as an exception",
        max_length=30,
        choices=glossary.EXCEPTION_RULE_CHOICES,
        default=glossary.DEFAULT_EXCEPTION_RULE,
        help_text="Which KPIs reports and dashboards list first, as exceptions. Overdue data is shown on its own.",
    )
    public_page_enabled = models.BooleanField(
        "Publish the public performance page",
        default=True,
        help_text="When off, /public/<organisation>/ is not found.",
    )
    local_passwords_enabled = models.BooleanField(
        "Allow sign-in with a password",
        default=True,
        help_text="Turn off once single sign-on works, so everyone signs in through the identity provider.",
    )
    oidc_issuer = models.URLField(
        "Identity provider (issuer URL)",
        blank=True,
        help_text="The OpenID Connect issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0. Blank: no single sign-on.",
    )
    oidc_client_id = models.CharField("Client ID", max_length=200, blank=True)
    oidc_client_secret = models.CharField("Client secret", max_length=500, blank=True)
    oidc_claim = models.CharField(
        "Claim that identifies a person",
        max_length=100,
        default="email",
        help_text="The ID token claim read at sign-in, e.g. email, preferred_username or employee_id.",
    )
    oidc_matches = models.CharField(
        "The claim holds",
        max_length=20,
        choices=[("email", "the person's work email"), ("employee_number", "the person's employee number")],
        default="email",
    )
    results_validated_by = models.CharField(
        "Who signs off KPI results",
        max_length=20,
        choices=[
            ("officer", "A performance officer"),
            ("head", "The head of the KPI's service (or a performance officer)"),
        ],
        default="officer",
        help_text="A submitted result reaches the committee report and the public page once signed off.",
    )
    area_code = models.CharField(
        "Area code",
        max_length=12,
        blank=True,
        help_text="The ONS code benchmark files use for this organisation, e.g. E06000023.",
    )
    interim_day_rate = models.DecimalField(
        "Interim day rate (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("450.00"),
        validators=[MinValueValidator(0)],
        help_text="What a day of interim or agency cover costs, where a role has no rate of its own.",
    )
    feedback_attribution = models.CharField(
        "How feedback from colleagues is released",
        max_length=20,
        choices=[
            ("anonymous", "Anonymous: shown as from a colleague"),
            ("named", "Named: shown with the colleague's name"),
            ("manager_chooses", "The manager chooses each time they release feedback"),
        ],
        default="anonymous",
        help_text="How a person is shown what colleagues wrote about them, once their manager releases it.",
    )
    recompute_failed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a data change could not queue a recompute; cleared by the next run.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def exception_rule_words(self) -> str:
        """ "red, or amber and worsening": stated wherever exceptions are listed."""
        return glossary.exception_rule_words(self.exception_rule)


class ServiceKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


class ServiceQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation) -> ServiceQuerySet:
        return self.filter(organisation=organisation)


class Service(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices, default=ServiceKind.SERVICE)
    code = models.CharField(
        max_length=30,
        blank=True,
        help_text="The HR system's cost centre or organisation unit code, matched by imports.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        "Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_services",
        help_text="Head of service: sees this service and everything below it.",
    )

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="service_name_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], condition=~models.Q(code=""), name="service_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        """ "Directorate", "Service", "Team"; the root of the tree is the whole
        organisation, whatever kind it was saved as."""
        return "Organisation" if self.parent_id is None else self.get_kind_display()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.parent_id:
            if self.parent.organisation_id != self.organisation_id:
                errors["parent"] = "The parent service must be in the same organisation."
            elif self.pk and self.pk in ancestor_ids(self.parent) or self.pk and self.parent_id == self.pk:
                errors["parent"] = "A service cannot sit below itself or one of its own teams."
        if self.head_id and self.head.organisation_id != self.organisation_id:
            errors["head"] = "The head of service must work for the same organisation."
        if errors:
            raise ValidationError(errors)


def ancestor_ids(service: Service) -> list[int]:
    """The ids from ``service`` up to the root, itself included."""
    seen: list[int] = []
    node: Service | None = service
    while node is not None and node.pk not in seen:
        seen.append(node.pk)
        node = node.parent
    return seen


def subtree_ids(services: Iterable[Service], root_ids: Iterable[int]) -> set[int]:
    """Ids of the given services and all below them, from an already-loaded list,
    so a whole tree costs one query however deep it is."""
    children: dict[int | None, list[int]] = {}
    for s in services:
        children.setdefault(s.parent_id, []).append(s.pk)
    result: set[int] = set()
    stack = list(root_ids)
    while stack:
        sid = stack.pop()
        if sid in result:
            continue
        result.add(sid)
        stack.extend(children.get(sid, []))
    return result


class ServiceTree:
    """An organisation's services, loaded once (one query), walked in memory: the
    one place that knows how the tree hangs together."""

    def __init__(self, services: Iterable[Service]):
        self.services = list(services)
        self.by_id = {s.pk: s for s in self.services}
        self.children: dict[int | None, list[Service]] = {}
        for s in self.services:
            self.children.setdefault(s.parent_id, []).append(s)

    def __iter__(self):
        return iter(self.services)

    def get(self, pk: int | None) -> Service | None:
        return self.by_id.get(pk)

    @property
    def roots(self) -> list[Service]:
        return list(self.children.get(None, []))

    def subtree_ids(self, *roots: Service | int) -> set[int]:
        """The services given and everything below them."""
        return subtree_ids(self.services, [r if isinstance(r, int) else r.pk for r in roots])

    def ancestors(self, service: Service) -> list[Service]:
        """The services above ``service``, from the root down (not itself)."""
        chain: list[Service] = []
        node = self.by_id.get(service.parent_id)
        while node is not None and node not in chain:
            chain.append(node)
            node = self.by_id.get(node.parent_id)
        return list(reversed(chain))

    def path(self, service: Service) -> str:
        """ "Housing › Housing Options": where a service sits, without the root."""
        return " \u203a ".join([s.name for s in self.ancestors(service)[1:]] + [service.name])


class JobFamily(models.Model):
    """A group of roles that share a supervision cadence: social work every 28 days,
    say, where the rest of the organisation has a longer default."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="job_families")
    name = models.CharField(max_length=100)
    feedback_interval_days = models.PositiveSmallIntegerField(
        "Days between supervision sessions",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Blank uses the organisation's default.",
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="job_family_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="job_roles")
    title = models.CharField(max_length=200)
    code = models.CharField(
        max_length=30, blank=True, help_text="The HR system's role or post code, matched by imports."
    )
    job_family = models.ForeignKey(
        JobFamily, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_roles"
    )
    grade = models.CharField(max_length=50, blank=True)
    purpose = models.TextField(blank=True, help_text="Why the role exists.")
    expectations = models.TextField(
        blank=True, help_text="What is expected of someone in the role, shown to the person in it."
    )
    interim_day_rate = models.DecimalField(
        "Interim day rate (£)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="What a day of interim cover for this role costs. Blank: the organisation's rate.",
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="job_role_title_unique"),
            models.UniqueConstraint(
                fields=["organisation", "code"], condition=~models.Q(code=""), name="job_role_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.grade})" if self.grade else self.title
