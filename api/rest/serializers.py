"""What each resource returns. Statuses and directions come as codes with their
words beside them (``status``: "amber", ``status_label``: "Amber"), the words
being the product's own (core/glossary.py). No personal data outside the
``people`` scope: a KPI's owner is named only to a token that has it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.rules import tokens as token_rules
from core import glossary
from organisations.models import KPI, Employee, KPIResult, KPITarget, Service
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules

DIRECTION_HELP = (
    "improving, worsening, no change (or increasing, decreasing for a KPI without a better "
    "direction); null when there is no result for the period before."
)


def _start_month(serializer) -> int:
    return serializer.context["organisation"].financial_year_start_month


class ServiceSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(
        source="parent_id", allow_null=True, help_text="The parent service's id."
    )
    parent_code = serializers.SerializerMethodField(help_text="The parent service's code ('' without one).")

    class Meta:
        model = Service
        fields = ["id", "name", "code", "kind", "parent", "parent_code"]

    def get_parent_code(self, service: Service) -> str:
        return service.parent.code if service.parent_id else ""


class LatestResultSerializer(serializers.Serializer):
    """A KPI's latest result, as its scorecard row shows it."""

    period_end = serializers.DateField(source="latest.period_end")
    period_label = serializers.SerializerMethodField(help_text="'Oct 2026', 'Q3 2026/27' or '2026/27'.")
    financial_year = serializers.SerializerMethodField(help_text="The year the financial year starts.")
    value = serializers.DecimalField(source="latest.value", max_digits=14, decimal_places=4)
    status = serializers.CharField(source="latest.status", help_text="green, amber, red or grey.")
    status_label = serializers.SerializerMethodField()
    direction = serializers.CharField(source="direction_previous", allow_null=True, help_text=DIRECTION_HELP)
    direction_label = serializers.SerializerMethodField()
    target = serializers.DecimalField(
        source="target_value",
        max_digits=14,
        decimal_places=4,
        allow_null=True,
        default=None,
        help_text="The period's target: for a profiled target, this period's share (year to date for a "
        "cumulative KPI).",
    )

    def get_period_label(self, row) -> str:
        return row.period_label

    def get_financial_year(self, row) -> int:
        return year_rules.financial_year_start(row.latest.period_end, row.kpi.start_month)

    def get_status_label(self, row) -> str:
        return glossary.kpi_status_label(row.latest.status)

    def get_direction_label(self, row) -> str:
        return kpi_rules.direction_label(row.direction_previous)


class KPISerializer(serializers.ModelSerializer):
    service = serializers.IntegerField(source="service_id")
    service_code = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    owner_name = serializers.SerializerMethodField(
        help_text="The owner's name: only for a token with the people scope, else null."
    )
    latest_result = LatestResultSerializer(
        source="latest_row", allow_null=True, read_only=True, help_text="Null without a result."
    )

    class Meta:
        model = KPI
        fields = [
            "id",
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
            "active",
            "published",
            "service",
            "service_code",
            "service_name",
            "owner_name",
            "latest_result",
        ]

    def get_owner_name(self, kpi: KPI) -> str | None:
        token = self.context.get("token")
        if kpi.owner_id is None or token is None or not token.has_scope(token_rules.PEOPLE):
            return None
        return kpi.owner.full_name


class TargetSerializer(serializers.ModelSerializer):
    kpi = serializers.IntegerField(source="kpi_id")
    kpi_code = serializers.CharField(source="kpi.code")
    financial_year = serializers.IntegerField(
        help_text="The year the financial year starts: 2026 is 2026/27."
    )
    financial_year_label = serializers.SerializerMethodField()

    class Meta:
        model = KPITarget
        fields = [
            "id",
            "kpi",
            "kpi_code",
            "financial_year",
            "financial_year_label",
            "target",
            "profile",
            "period_targets",
            "tolerance_kind",
            "green_tolerance",
            "amber_tolerance",
        ]

    def get_financial_year_label(self, target: KPITarget) -> str:
        return year_rules.fy_label(target.financial_year, _start_month(self))


class ResultSerializer(serializers.ModelSerializer):
    kpi = serializers.IntegerField(source="kpi_id")
    kpi_code = serializers.CharField(source="kpi.code")
    period_label = serializers.SerializerMethodField()
    financial_year = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField(help_text=DIRECTION_HELP)
    direction_label = serializers.SerializerMethodField()
    public_commentary = serializers.CharField(
        help_text="The words written for the public page; internal commentary is never sent."
    )

    class Meta:
        model = KPIResult
        fields = [
            "id",
            "kpi",
            "kpi_code",
            "period_end",
            "period_label",
            "financial_year",
            "value",
            "status",
            "status_label",
            "direction",
            "direction_label",
            "public_commentary",
            "entered_at",
        ]

    def get_period_label(self, result: KPIResult) -> str:
        return year_rules.period_label(result.period_end, result.kpi.frequency, _start_month(self))

    def get_financial_year(self, result: KPIResult) -> int:
        return year_rules.financial_year_start(result.period_end, _start_month(self))

    def get_status_label(self, result: KPIResult) -> str:
        return glossary.kpi_status_label(result.status)

    @extend_schema_field(OpenApiTypes.STR)
    def get_direction(self, result: KPIResult) -> str | None:
        """Against the result of the period just before (as the scorecard compares),
        allowing for the KPI's materiality; none when that period has no result."""
        previous_end = getattr(result, "previous_period_end", None)
        kpi = result.kpi
        expected = year_rules.previous_period_end(result.period_end, kpi.frequency, _start_month(self))
        if previous_end != expected:
            return None
        return kpi.direction(result.value, result.previous_value)

    def get_direction_label(self, result: KPIResult) -> str:
        return kpi_rules.direction_label(self.get_direction(result))


class FiguresSerializer(serializers.Serializer):
    headcount = serializers.IntegerField(help_text="Active staff.")
    fte = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="Full-time equivalent.")
    interim_fte = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="FTE on interim or agency contracts."
    )
    interim_share_percent = serializers.FloatField(
        allow_null=True, help_text="Interim and agency FTE as a percentage of all FTE; null without staff."
    )
    supervision_people = serializers.IntegerField(help_text="Staff whose supervision is counted.")
    supervision_in_date = serializers.IntegerField(help_text="Of them, not overdue a session.")
    supervision_in_date_percent = serializers.FloatField(allow_null=True)
    supervision_overdue = serializers.IntegerField(help_text="Overdue a supervision session.")


class ServiceFiguresSerializer(serializers.Serializer):
    service = serializers.IntegerField(source="service.pk")
    service_code = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    as_of = serializers.DateField()
    source = serializers.CharField(
        help_text="stored: the last recompute run's figures for today; counted: counted for this request."
    )
    own = FiguresSerializer(help_text="This service's own staff.")
    including_below = FiguresSerializer(help_text="This service and every service below it.")


class PersonSerializer(serializers.ModelSerializer):
    service = serializers.IntegerField(source="service_id")
    service_code = serializers.CharField(source="service.code")
    job_role = serializers.SerializerMethodField(help_text="The job role's title ('' without one).")
    job_role_code = serializers.SerializerMethodField()
    line_manager_employee_number = serializers.SerializerMethodField(
        help_text="The line manager's employee number ('' without a manager or a number)."
    )

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "service",
            "service_code",
            "job_role",
            "job_role_code",
            "employment_type",
            "line_manager_employee_number",
        ]

    def get_job_role(self, person: Employee) -> str:
        return person.job_role.title if person.job_role_id else ""

    def get_job_role_code(self, person: Employee) -> str:
        return person.job_role.code if person.job_role_id else ""

    def get_line_manager_employee_number(self, person: Employee) -> str:
        return person.line_manager.employee_number if person.line_manager_id else ""
