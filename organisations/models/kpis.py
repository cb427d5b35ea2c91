"""Service KPIs, their yearly targets and their results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.glossary import KPI_STATUS
from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet, scoped_manager
from organisations.models.structure import Organisation, Service
from organisations.rules import kpis as kpi_rules
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules


class Unit(models.TextChoices):
    PERCENT = kpi_rules.UNIT_PERCENT, "Percentage"
    COUNT = kpi_rules.UNIT_COUNT, "Count"
    DAYS = kpi_rules.UNIT_DAYS, "Days"
    CURRENCY = kpi_rules.UNIT_CURRENCY, "Currency (£)"
    RATE = kpi_rules.UNIT_RATE, "Rate"


class Polarity(models.TextChoices):
    HIGHER = kpi_rules.HIGHER, "Higher is better"
    LOWER = kpi_rules.LOWER, "Lower is better"
    NONE = kpi_rules.NONE, "None (monitoring only)"


class Frequency(models.TextChoices):
    MONTHLY = year_rules.MONTHLY, "Monthly"
    QUARTERLY = year_rules.QUARTERLY, "Quarterly"
    ANNUAL = year_rules.ANNUAL, "Annual"


class ToleranceKind(models.TextChoices):
    PERCENT = kpi_rules.PERCENT, "Percentage of target"
    ABSOLUTE = kpi_rules.ABSOLUTE, "Absolute (in the KPI's units)"


class Profile(models.TextChoices):
    FLAT = profile_rules.FLAT, "Flat: the year's target in every period"
    ENTERED = profile_rules.ENTERED, "Entered: a target for each period"
    EVEN = profile_rules.EVEN, "Spread evenly over the year"
    LAST_YEAR = profile_rules.LAST_YEAR, "Last year's shape"


class Status(models.TextChoices):
    # The words are the glossary's (core/glossary.py): grey reads "Monitoring only".
    GREEN = kpi_rules.GREEN, KPI_STATUS[kpi_rules.GREEN].label
    AMBER = kpi_rules.AMBER, KPI_STATUS[kpi_rules.AMBER].label
    RED = kpi_rules.RED, KPI_STATUS[kpi_rules.RED].label
    GREY = kpi_rules.GREY, KPI_STATUS[kpi_rules.GREY].label


class KPIQuerySet(ScopedQuerySet):
    def for_organisation(self, organisation: Organisation) -> KPIQuerySet:
        return self.filter(organisation=organisation)

    def for_services(self, service_ids) -> KPIQuerySet:
        return self.filter(service_id__in=service_ids)

    def active(self) -> KPIQuerySet:
        return self.filter(active=True)


# A KPI's fields a person sets, in the order the form shows them; the create
# and update services accept these and nothing else.
KPI_FIELDS = (
    "service",
    "code",
    "name",
    "definition",
    "unit",
    "decimal_places",
    "polarity",
    "materiality",
    "frequency",
    "cumulative",
    "data_lag_days",
    "owner",
    "active",
    "published",
    "benchmark_measure",
)


class KPI(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="kpis")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="kpis")
    code = models.CharField(
        max_length=30, help_text="Short reference, unique in the organisation, e.g. HOU-01."
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True, help_text="How it is measured: numerator, denominator, source.")
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    decimal_places = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(4)], help_text="Places shown."
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    materiality = models.DecimalField(
        "Smallest change that counts",
        max_digits=14,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=(
            "In the KPI's units (percentage points for a percentage). A change from one period to "
            "the next smaller than this reads as no change rather than improving or worsening. "
            "0 counts every change."
        ),
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    cumulative = models.BooleanField("Cumulative year to date", default=False)
    data_lag_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(366)],
        help_text="Days after a period ends before its result is due.",
    )
    owner = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_kpis"
    )
    active = models.BooleanField(default=True)
    published = models.BooleanField(
        default=False, help_text="Shown on the public performance page without sign-in."
    )

    benchmark_measure = models.CharField(
        "Benchmark measure",
        max_length=60,
        blank=True,
        help_text=(
            "The measure's code in benchmark files of other councils' figures (LG Inform's metric "
            "ID, for example), to show how this KPI compares. Leave blank if there is none."
        ),
    )

    objects = KPIQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "KPI"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="kpi_code_unique")]
        indexes = [models.Index(fields=["organisation", "service", "active"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.service_id and self.service.organisation_id != self.organisation_id:
            errors["service"] = "Choose a service in this organisation."
        if self.owner_id and self.owner.organisation_id != self.organisation_id:
            errors["owner"] = "The owner must work for this organisation."
        if errors:
            raise ValidationError(errors)

    @property
    def start_month(self) -> int:
        return self.organisation.financial_year_start_month

    def format(self, value) -> str:
        return kpi_rules.format_value(value, self.unit, self.decimal_places)

    def direction(self, current, previous) -> str | None:
        """Direction of travel from ``previous`` to ``current``, allowing for this
        KPI's polarity and materiality (None when either is missing)."""
        return kpi_rules.direction_of_travel(
            current=current, previous=previous, polarity=self.polarity, materiality=self.materiality
        )

    def direction_since_previous(self, current, previous) -> str | None:
        """Direction against the previous period: None for a cumulative KPI, whose
        year-to-date figure builds through the year, so it is judged against the
        same period last year instead (``kpi_rules.headline_direction``)."""
        if self.cumulative:
            return None
        return self.direction(current, previous)


class KPITarget(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2026 is 2026/27."
    )
    target = models.DecimalField(max_digits=14, decimal_places=4)
    tolerance_kind = models.CharField(
        max_length=10, choices=ToleranceKind.choices, default=ToleranceKind.PERCENT
    )
    green_tolerance = models.DecimalField(
        max_digits=10, decimal_places=4, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    amber_tolerance = models.DecimalField(
        max_digits=10, decimal_places=4, default=Decimal("5"), validators=[MinValueValidator(0)]
    )
    # How the year's target is spread over its periods (organisations/rules/profiles.py).
    profile = models.CharField(max_length=10, choices=Profile.choices, default=Profile.FLAT)
    # Each period's target, {"2026-06-30": "50"}: every period end of the year for
    # a profile other than flat, empty for flat. Kept on the target's row (and so
    # in its history) so that every page and import that reads a target has its
    # profile without another query; the even and last-year profiles are worked
    # out when saved (services/kpi_profiles.py).
    period_targets = models.JSONField(default=dict, blank=True)

    objects = scoped_manager("kpi__organisation")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "financial_year"], name="kpi_target_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(amber_tolerance__gte=models.F("green_tolerance")),
                name="kpi_target_amber_gte_green",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {year_rules.fy_label(self.financial_year)}: {self.target}"

    def clean(self) -> None:
        if (
            self.amber_tolerance is not None
            and self.green_tolerance is not None
            and self.amber_tolerance < self.green_tolerance
        ):
            raise ValidationError(
                {
                    "amber_tolerance": "The amber tolerance must be the same as or wider than the green tolerance."
                }
            )

    @property
    def label(self) -> str:
        return year_rules.fy_label(self.financial_year)

    def target_for(self, period_end) -> Decimal:
        """The target of the period ending ``period_end``: its profiled value, else the year's."""
        return profile_rules.period_target(self.target, self.period_targets, period_end)

    @property
    def is_profiled(self) -> bool:
        return self.profile != Profile.FLAT and bool(self.period_targets)

    def status_for(self, value, polarity: str, period_end) -> str:
        """RAG status of ``value`` against the target of the period ending ``period_end``."""
        return kpi_rules.rag_status(
            value=value,
            target=self.target_for(period_end),
            polarity=polarity,
            tolerance_kind=self.tolerance_kind,
            green_tolerance=self.green_tolerance,
            amber_tolerance=self.amber_tolerance,
        )


class ResultState(models.TextChoices):
    """Where a result is in its sign-off (docs/KPI_COLLECTION.md)."""

    SUBMITTED = "submitted", "Awaiting sign-off"
    VALIDATED = "validated", "Signed off"
    RETURNED = "returned", "Returned"


# The results the internal pages, dashboards and flags count: a returned figure
# counts nowhere until it is submitted again.
COUNTED_STATES = (ResultState.SUBMITTED, ResultState.VALIDATED)
# The results the committee report, the public page and the API show.
PUBLISHED_STATES = (ResultState.VALIDATED,)


class KPIResultQuerySet(ScopedQuerySet):
    organisation_path = "kpi__organisation"

    def for_kpis(self, kpi_ids) -> KPIResultQuerySet:
        return self.filter(kpi_id__in=kpi_ids)

    def counted(self) -> KPIResultQuerySet:
        return self.filter(state__in=COUNTED_STATES)

    def published(self) -> KPIResultQuerySet:
        return self.filter(state__in=PUBLISHED_STATES)


class KPIResult(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="results")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # Status against the period's target, stored when saved so lists and the
    # nightly run need no per-row computation.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.GREY)
    # Internal: for officers and committees; never published.
    commentary = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    # The only words shown on the public performance page, written for that page.
    public_commentary = models.TextField(
        blank=True, help_text="Shown on the public performance page: anyone can read it."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    # Sign-off: a figure is submitted, then signed off (validated) or returned
    # with a reason; only a signed-off figure reaches the committee report, the
    # public page and the API. Results recorded before sign-off existed were
    # already published: their migration made them signed off.
    state = models.CharField(max_length=10, choices=ResultState.choices, default=ResultState.SUBMITTED)
    submitted_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    objects = KPIResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_end"], name="kpi_result_one_per_period")
        ]
        indexes = [models.Index(fields=["kpi", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period_end}: {self.value}"

    @property
    def is_validated(self) -> bool:
        return self.state == ResultState.VALIDATED

    def clean(self) -> None:
        if (
            self.kpi_id
            and self.period_end
            and not year_rules.is_period_end(self.period_end, self.kpi.frequency, self.kpi.start_month)
        ):
            raise ValidationError(
                {"period_end": "Choose the last day of one of this KPI's reporting periods."}
            )
        if self.status == Status.RED and not self.corrective_action.strip():
            raise ValidationError(
                {"corrective_action": "A red result needs a corrective action before it is saved."}
            )
