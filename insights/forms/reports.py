"""The quarterly report's choice of year, quarter and scope."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from insights.selectors.report import MONTH_NAMES
from organisations.rules import years as year_rules

ORGANISATION_SCOPE = "organisation"


class QuarterlyReportForm(BoundedTextMixin, forms.Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int)
    quarter = forms.TypedChoiceField(label="Quarter", coerce=int)
    scope = forms.ChoiceField(
        label="Scope", help_text="The whole organisation, or one service and its teams."
    )

    def __init__(self, *args, years: list[int], start_month: int, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(y, year_rules.fy_label(y, start_month)) for y in years]
        quarters = []
        for q in range(1, 5):
            start, end = year_rules.quarter_bounds(years[0], q, start_month)
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
