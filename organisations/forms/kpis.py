"""Forms for defining KPIs: the KPI itself and its target for a financial year.

Forms validate; the services in ``services/kpis.py`` save. The result and import
forms are in ``forms/kpi_results.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.db.models import Q

from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import ValueField, form_helper
from organisations.models import KPI, Employee, Frequency, KPITarget, Polarity, Service, ToleranceKind, Unit
from organisations.models.kpis import KPI_FIELDS
from organisations.rules import kpi_words
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.services.benchmark_import import clean_measure, measure_problem


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        role = f", {obj.job_role.title}" if obj.job_role_id else ""
        return f"{obj.full_name}{role} ({obj.service.name})"


class KPIForm(BoundedTextMixin, forms.ModelForm):
    owner = OwnerChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        empty_label="No owner yet",
        help_text="The officer accountable for it: a head of service, a manager or a performance officer.",
    )

    class Meta:
        model = KPI
        fields = list(KPI_FIELDS)
        labels = {
            "code": "Code",
            "name": "Name",
            "decimal_places": "Decimal places shown",
            "polarity": "Which way is better?",
            "materiality": "Smallest change that counts",
            "frequency": "How often is it reported?",
            "cumulative": "Cumulative year to date",
            "data_lag_days": "Data lag in days",
            "active": "Active (still reported)",
            "published": "Published on the public performance page",
            "benchmark_measure": "Benchmark measure (optional)",
        }
        help_texts = {
            "cumulative": (
                "Each period's figure covers the financial year so far. Its status is judged against "
                "the target for the year so far (spread the year's target over its periods from the "
                "KPI's page), and its direction of travel against the same period last year, year to "
                "date against year to date."
            ),
            "data_lag_days": "Days after a period ends before its result is due; after that it shows as overdue.",
            "materiality": (
                "In the KPI's units: percentage points for a percentage, days, pounds or a count. A change "
                "from one period to the next (for a cumulative KPI, from the same period last year) smaller "
                "than this shows as no change, not improving or "
                "worsening, so small wobbles are not read as a trend. Leave at 0 to count every change."
            ),
        }
        error_messages = {
            "service": {"required": "Choose the service the KPI belongs to."},
            "code": {"required": "Enter a code, like HOU-01."},
            "name": {"required": "Enter the KPI's name."},
            "decimal_places": {
                "required": "Enter how many decimal places to show, from 0 to 4.",
                "invalid": "Enter how many decimal places to show, from 0 to 4.",
                "max_value": "Enter how many decimal places to show, from 0 to 4.",
            },
            "materiality": {
                "invalid": "Enter the smallest change that counts as a number, like 0.5.",
                "min_value": "The smallest change that counts must be 0 or more.",
                "max_digits": "Enter a smaller number for the smallest change that counts.",
                "max_decimal_places": "Enter the smallest change that counts to no more than 4 decimal places.",
            },
            "data_lag_days": {
                "required": "Enter the data lag in days, 0 or more.",
                "invalid": "Enter the data lag as a whole number of days.",
                "max_value": "The data lag must be 366 days or fewer.",
            },
        }
        # Text inputs, not type=number (GOV.UK Design System: numbers are typed, not spun).
        widgets = {
            "decimal_places": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            "data_lag_days": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            "materiality": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            "polarity": forms.RadioSelect,
            "definition": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        org = viewer.organisation
        instance: KPI = self.instance
        services = Service.objects.filter(organisation=org)
        if not viewer.is_performance_officer:
            allowed = set(viewer.headed_service_ids)
            if instance.pk:
                allowed.add(instance.service_id)  # an owner keeps it where it is
            services = services.filter(pk__in=allowed)
        self.fields["service"].queryset = services.order_by("name")
        self.fields["service"].empty_label = "Choose a service"
        keep = [viewer.employee.pk] + ([instance.owner_id] if instance.owner_id else [])
        self.fields["owner"].queryset = (
            Employee.objects.filter(organisation=org)
            .filter(
                Q(active=True)
                & (
                    Q(headed_services__isnull=False)
                    | Q(direct_reports__active=True)
                    | Q(is_performance_officer=True)
                )
                | Q(pk__in=keep)
            )
            .select_related("job_role", "service")
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["unit"].choices = Unit.choices
        self.fields["frequency"].choices = Frequency.choices
        self.fields["polarity"].choices = Polarity.choices
        self.fields["materiality"].required = False  # blank is 0: every change counts
        if instance.pk:
            now = kpi_rules.materiality_words(instance.materiality, instance.unit)
            self.fields["materiality"].help_text += f" Now: {now[0].lower()}{now[1:]}."
        if not viewer.is_performance_officer:
            # Publishing to the public is a corporate decision.
            self.fields["published"].disabled = True
            self.fields["published"].help_text = "Performance officers decide what is published."
        self.fields["code"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.fields["benchmark_measure"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = form_helper(
            Field.select("service"),
            Field.text("code", field_width=10),
            Field.text("name"),
            Field.textarea("definition", rows=4),
            Field.select("unit"),
            Field.text("decimal_places", field_width=2),
            Field.radios("polarity", legend_size=Size.SMALL),
            Field.text("materiality", field_width=5),
            Field.select("frequency"),
            Field.checkbox("cumulative"),
            Field.text("data_lag_days", field_width=3),
            Field.select("owner"),
            Field.checkbox("active"),
            Field.checkbox("published"),
            Field.text("benchmark_measure", field_width=10),
            submit="Save KPI",
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        clash = KPI.objects.filter(organisation=self.viewer.organisation, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another KPI already has the code {code}. Choose a different code.")
        return code

    def clean_benchmark_measure(self) -> str:
        measure = clean_measure(self.cleaned_data.get("benchmark_measure", ""))
        problem = measure_problem(measure) if measure else ""
        if problem:
            raise forms.ValidationError(problem)
        return measure

    def clean_materiality(self) -> Decimal:
        value = self.cleaned_data.get("materiality")
        return Decimal("0") if value is None else value

    def clean_frequency(self) -> str:
        frequency = self.cleaned_data["frequency"]
        instance = self.instance
        if instance.pk and frequency != instance.frequency and instance.results.exists():
            raise forms.ValidationError(
                "This KPI has results, so its frequency cannot change. Create a new KPI instead."
            )
        return frequency

    def _post_clean(self):
        # The instance belongs to the viewer's organisation before the model's
        # own checks run (service and owner in the same organisation).
        self.instance.organisation = self.viewer.organisation
        super()._post_clean()


def financial_year_choices(today: date, start_month: int, existing: list[int]) -> list[tuple[int, str]]:
    current = year_rules.financial_year_start(today, start_month)
    years = sorted({*range(current - 2, current + 2), *existing}, reverse=True)
    return [(y, year_rules.fy_label(y, start_month)) for y in years]


def tolerance_kind_help(kpi: KPI, example: KPITarget | None) -> str:
    """Both ways of measuring a tolerance in words, worked for this KPI's target
    (the year's being changed, else its latest) and amber tolerance (else 5)."""
    words = (
        "Percentage of target: the tolerance is a share of the target. "
        f"Absolute: the tolerance is in the KPI's units{' (percentage points)' if kpi.unit == 'percent' else ''}."
    )
    if example is None or kpi.polarity == Polarity.NONE:
        return words
    worked = kpi_words.tolerance_kinds_example(
        target=example.target,
        amber=example.amber_tolerance,
        unit=kpi.unit,
        polarity=kpi.polarity,
        places=kpi.decimal_places,
    )
    return " ".join(text for _kind, text in worked)


class TargetForm(BoundedTextMixin, forms.Form):
    financial_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        error_messages={
            "required": "Choose the financial year the target is for.",
            "invalid_choice": "Choose one of the financial years in the list.",
        },
    )
    target = ValueField(label="Target", error_messages={"required": "Enter the target."})
    tolerance_kind = forms.ChoiceField(
        label="How are the tolerances measured?",
        choices=ToleranceKind.choices,
        widget=forms.RadioSelect,
        initial=ToleranceKind.PERCENT,
    )
    green_tolerance = forms.DecimalField(
        label="Green tolerance",
        min_value=0,
        error_messages={
            "required": "Enter the green tolerance, 0 or more.",
            "invalid": "Enter the green tolerance as a number, like 2.5.",
            "min_value": "The green tolerance must be 0 or more.",
            "max_digits": "The green tolerance is too large.",
            "max_decimal_places": "Use no more than 4 decimal places.",
        },
        max_digits=10,
        decimal_places=4,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="How far on the wrong side of the target still counts as green. 0 means on or better than target.",
    )
    amber_tolerance = forms.DecimalField(
        label="Amber tolerance",
        min_value=0,
        error_messages={
            "required": "Enter the amber tolerance, 0 or more.",
            "invalid": "Enter the amber tolerance as a number, like 2.5.",
            "min_value": "The amber tolerance must be 0 or more.",
            "max_digits": "The amber tolerance is too large.",
            "max_decimal_places": "Use no more than 4 decimal places.",
        },
        max_digits=10,
        decimal_places=4,
        initial=Decimal("5"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="Beyond this the result is red. It must be the same as or wider than the green tolerance.",
    )

    def __init__(
        self,
        *args,
        kpi: KPI,
        today: date,
        existing_years: list[int],
        example: KPITarget | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["tolerance_kind"].help_text = tolerance_kind_help(kpi, example)
        self.fields["financial_year"].choices = financial_year_choices(today, kpi.start_month, existing_years)
        self.fields["target"].label = f"Target ({kpi.get_unit_display().lower()})"
        self.helper = form_helper(
            Field.select("financial_year"),
            Field.text("target", field_width=10),
            Fieldset(
                Field.radios("tolerance_kind", legend_size=Size.SMALL),
                Field.text("green_tolerance", field_width=5),
                Field.text("amber_tolerance", field_width=5),
                legend="Tolerances",
                legend_size=Size.MEDIUM,
            ),
            submit="Save target",
        )

    def clean(self):
        cleaned = super().clean()
        green, amber = cleaned.get("green_tolerance"), cleaned.get("amber_tolerance")
        if green is not None and amber is not None and amber < green:
            self.add_error(
                "amber_tolerance",
                "The amber tolerance must be the same as or wider than the green tolerance.",
            )
        return cleaned
