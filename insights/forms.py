"""Forms for the insights pages: flag filters, acknowledging and dismissing, the quarterly report."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from insights.models import FlagKind, FlagSeverity
from insights.selectors.report import MONTH_NAMES
from organisations.rules import kpis as kpi_rules

STATE_CHOICES = [
    ("attention", "Needing attention (open, not dismissed)"),
    ("new", "New (not yet acknowledged)"),
    ("acknowledged", "Acknowledged"),
    ("dismissed", "Dismissed"),
    ("resolved", "Resolved"),
    ("all", "All"),
]


class FlagFilterForm(BoundedTextMixin, forms.Form):
    """The flag list's filters (GET). Invalid values are ignored."""

    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *FlagKind.choices])
    severity = forms.ChoiceField(
        label="Severity", required=False, choices=[("", "All severities"), *FlagSeverity.choices]
    )
    state = forms.ChoiceField(label="State", required=False, choices=STATE_CHOICES)
    service = forms.ChoiceField(label="Service (with the services below it)", required=False)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "All services"), *services]


class FlagAcknowledgeForm(BoundedTextMixin, forms.Form):
    note = forms.CharField(
        label="What are you doing about it?",
        help_text="For example: 'Discussed at supervision on 3 March; extension agreed with the agency.'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a note saying what you are doing about this flag",
            "max_length": "The note must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field.textarea("note", rows=4), Button("submit", "Acknowledge flag"))


class FlagDismissForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you dismissing it?",
        help_text="It stays dismissed while its severity does not rise. For example: 'Contract already extended to June.'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are dismissing this flag",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4), Button.warning("submit", "Dismiss flag")
        )


ORGANISATION_SCOPE = "organisation"


class QuarterlyReportForm(BoundedTextMixin, forms.Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int)
    quarter = forms.TypedChoiceField(label="Quarter", coerce=int)
    scope = forms.ChoiceField(
        label="Scope", help_text="The whole organisation, or one service and its teams."
    )

    def __init__(self, *args, years: list[int], start_month: int, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(y, kpi_rules.fy_label(y, start_month)) for y in years]
        quarters = []
        for q in range(1, 5):
            start, end = kpi_rules.quarter_bounds(years[0], q, start_month)
            quarters.append((q, f"Q{q} ({MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]})"))
        self.fields["quarter"].choices = quarters
        self.fields["scope"].choices = scopes
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("financial_year"),
            Field.select("quarter"),
            Field.select("scope"),
            Button("show", "Show report", css_class="govuk-button--secondary"),
        )


class SubjectAccessForm(BoundedTextMixin, forms.Form):
    """Produce a complete subject access export: its format and the request's reference."""

    FORMATS = [
        ("html", "A page to read and print"),
        ("json", "JSON (for another system)"),
        ("csv", "CSV (opens in a spreadsheet)"),
    ]
    export_format = forms.ChoiceField(
        label="Format",
        choices=FORMATS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a format for the export."},
    )
    reference = forms.CharField(
        label="Request reference (optional)",
        required=False,
        max_length=100,
        help_text="The reference of the subject access request, if it has one. It is kept in the audit trail.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("export_format", legend_size=Size.SMALL),
            Field.text("reference", field_width=20),
            Button("submit", "Produce the export"),
        )
