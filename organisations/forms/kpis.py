"""Forms for KPIs: definition, yearly target, a result, a results file.

Forms validate (including the red-needs-a-corrective-action rule, shown next to
the field); the services in ``services/kpis.py`` save.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import Q

from core.text_limits import BoundedTextMixin
from organisations.models import KPI, Employee, Frequency, KPITarget, Polarity, Service, ToleranceKind, Unit
from organisations.rules import kpis as kpi_rules
from organisations.services import kpi_csv

# How many past periods the result form offers: three financial years.
RECENT_PERIODS = {kpi_rules.MONTHLY: 36, kpi_rules.QUARTERLY: 12, kpi_rules.ANNUAL: 5}

PUBLIC_COMMENTARY_HINT = (
    "Shown on the public performance page: anyone can read it. Do not name people or "
    "teams' personal circumstances. The internal commentary and corrective action are not published."
)

RED_NEEDS_ACTION = (
    "This result is red against its target: enter a corrective action saying what is being "
    "done to bring it back on track."
)


def recent_period_ends(kpi: KPI, today: date, count: int | None = None) -> list[date]:
    """Ends of the KPI's periods that have ended by ``today``, newest first."""
    count = count or RECENT_PERIODS[kpi.frequency]
    end = kpi_rules.period_end_for(today, kpi.frequency, kpi.start_month)
    if end > today:
        end = kpi_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    ends = []
    for _ in range(count):
        ends.append(end)
        end = kpi_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return ends


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class ValueField(forms.CharField):
    """A KPI value typed as a spreadsheet would show it ("96.5", "96.5%", "£1,200")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value)
        if not text and not self.required:
            return None
        parsed, error = kpi_csv.parse_value(text)
        if error:
            raise forms.ValidationError(error)
        return parsed


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
        fields = [
            "service",
            "code",
            "name",
            "definition",
            "unit",
            "decimal_places",
            "polarity",
            "frequency",
            "cumulative",
            "data_lag_days",
            "owner",
            "active",
            "published",
        ]
        labels = {
            "code": "Code",
            "name": "Name",
            "decimal_places": "Decimal places shown",
            "polarity": "Which way is better?",
            "frequency": "How often is it reported?",
            "cumulative": "Cumulative year to date",
            "data_lag_days": "Data lag in days",
            "active": "Active (still reported)",
            "published": "Published on the public performance page",
        }
        help_texts = {
            "cumulative": "Each period's figure covers the financial year so far.",
            "data_lag_days": "Days after a period ends before its result is due; after that it shows as overdue.",
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
        if not viewer.is_performance_officer:
            # Publishing to the public is a corporate decision.
            self.fields["published"].disabled = True
            self.fields["published"].help_text = "Performance officers decide what is published."
        self.fields["code"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = _helper(
            Field.select("service"),
            Field.text("code", field_width=10),
            Field.text("name"),
            Field.textarea("definition", rows=4),
            Field.select("unit"),
            Field.text("decimal_places", field_width=2),
            Field.radios("polarity", legend_size=Size.SMALL),
            Field.select("frequency"),
            Field.checkbox("cumulative"),
            Field.text("data_lag_days", field_width=3),
            Field.select("owner"),
            Field.checkbox("active"),
            Field.checkbox("published"),
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


class ResultForm(BoundedTextMixin, forms.Form):
    period = forms.TypedChoiceField(
        label="Period",
        coerce=date.fromisoformat,
        error_messages={
            "required": "Choose the period this result is for.",
            "invalid_choice": "Choose one of the periods in the list.",
        },
    )
    value = ValueField(label="Value", error_messages={"required": "Enter the value for the period."})
    commentary = forms.CharField(
        label="Internal commentary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "What explains this figure, in words a committee member would understand. "
            "For people signed in to this service only: it is not published."
        ),
    )
    corrective_action = forms.CharField(
        label="Corrective action",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Needed when the result is red: what is being done, by whom and by when. "
            "For people signed in to this service only: it is not published."
        ),
    )
    public_commentary = forms.CharField(
        label="Public commentary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLIC_COMMENTARY_HINT,
    )

    def __init__(
        self,
        *args,
        kpi: KPI,
        targets: dict[int, KPITarget],
        recorded: set[date],
        today: date,
        extra_period: date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kpi, self.targets = kpi, targets
        ends = recent_period_ends(kpi, today)
        if extra_period and extra_period not in ends:
            ends = sorted([*ends, extra_period], reverse=True)
        start = kpi.start_month

        def label(end: date) -> str:
            text = f"{kpi_rules.period_label(end, kpi.frequency, start)} (ending {end.day} {end:%b %Y})"
            return f"{text}: result recorded" if end in recorded else text

        self.fields["period"].choices = [("", "Choose a period")] + [(e.isoformat(), label(e)) for e in ends]
        unit = {
            kpi_rules.UNIT_PERCENT: "percentage",
            kpi_rules.UNIT_CURRENCY: "pounds",
            kpi_rules.UNIT_DAYS: "days",
        }.get(kpi.unit)
        if unit:
            self.fields["value"].label = f"Value ({unit})"
        self.helper = _helper(
            Field.select("period"),
            Field.text("value", field_width=10),
            Field.textarea("commentary", rows=4),
            Field.textarea("corrective_action", rows=4),
            Field.textarea("public_commentary", rows=3),
            submit="Save result",
        )

    def status(self) -> str | None:
        """The status the cleaned value would have: for the red check and the message."""
        period, value = self.cleaned_data.get("period"), self.cleaned_data.get("value")
        if period is None or value is None:
            return None
        target = self.targets.get(kpi_rules.financial_year_start(period, self.kpi.start_month))
        if target is None:
            return kpi_rules.GREY
        return target.status_for(value, self.kpi.polarity)

    def clean(self):
        cleaned = super().clean()
        if self.status() == kpi_rules.RED and not (cleaned.get("corrective_action") or "").strip():
            self.add_error("corrective_action", RED_NEEDS_ACTION)
        return cleaned


def financial_year_choices(today: date, start_month: int, existing: list[int]) -> list[tuple[int, str]]:
    current = kpi_rules.financial_year_start(today, start_month)
    years = sorted({*range(current - 2, current + 2), *existing}, reverse=True)
    return [(y, kpi_rules.fy_label(y, start_month)) for y in years]


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

    def __init__(self, *args, kpi: KPI, today: date, existing_years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["financial_year"].choices = financial_year_choices(today, kpi.start_month, existing_years)
        self.fields["target"].label = f"Target ({kpi.get_unit_display().lower()})"
        self.helper = _helper(
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


class ImportForm(BoundedTextMixin, forms.Form):
    file = forms.FileField(
        label="CSV file of results",
        help_text=(
            f"Columns: {', '.join(kpi_csv.REQUIRED_COLUMNS)}. Dates as YYYY-MM-DD or DD/MM/YYYY. "
            f"Smaller than {kpi_csv.MAX_UPLOAD_LABEL}."
        ),
        error_messages={"required": "Select a CSV file of results."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,text/csv"})
        self.rows: Iterable[kpi_csv.CsvRow] = ()
        self.helper = _helper(Field("file"), submit="Check and import")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > kpi_csv.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {kpi_csv.MAX_UPLOAD_LABEL}. Split it into smaller files."
            )
        try:
            # Streamed: the import reads the rows as it checks them, and stops early.
            rows = kpi_csv.iter_results_csv(upload, filename=upload.name or "")
            first = next(rows, None)
            if first is None:
                raise kpi_csv.CsvFileError("The file has a header row but no results.")
            self.rows = itertools.chain([first], rows)
        except kpi_csv.CsvFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
