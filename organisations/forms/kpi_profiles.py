"""The form that spreads a year's target over its periods (a target's profile).

One radio for how the target is spread and one row a period for the targets
typed by hand; those rows are needed only for an entered profile. The periods'
fields are named by their ISO period end ("2026-06-30"), the names the service's
errors use, so an error lands next to its period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from core import glossary
from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import ValueField, form_helper
from organisations.models import KPI, KPITarget, Profile
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules
from organisations.services import kpi_csv

HINTS = {
    profile_rules.FLAT: "Right for a point-in-time figure. A year-to-date figure would be judged against "
    "the full year's target in every period.",
    profile_rules.ENTERED: "Type each period's target below, for example a seasonal profile agreed with "
    "the service.",
    profile_rules.EVEN: "Each period end's share of the year: a quarterly target of 200 a year gives 50, "
    "100, 150 and 200.",
    profile_rules.LAST_YEAR: "Each period end gets the share of last year's outturn reached by the same "
    "period end last year. Needs a result for every period of last year.",
}


class ProfileForm(BoundedTextMixin, forms.Form):
    profile = forms.ChoiceField(
        label="How is the year's target spread over its periods?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the year's target is spread over its periods."},
    )

    def __init__(self, *args, kpi: KPI, target: KPITarget, ends: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi, self.target, self.ends = kpi, target, ends
        allowed = [p for p in Profile.values if kpi.cumulative or p not in profile_rules.CUMULATIVE_ONLY]
        self.fields["profile"].choices = [
            Choice(value, label, hint=HINTS[value]) for value, label in Profile.choices if value in allowed
        ]
        if not kpi.cumulative:
            self.fields["profile"].help_text = (
                "This KPI is point in time, so its target is not spread over the year; it can still have "
                "a target entered for each period."
            )
        rows = []
        for end in ends:
            label = year_rules.period_label(end, kpi.frequency, kpi.start_month)
            name = end.isoformat()
            self.fields[name] = ValueField(
                label=f"{label} (ending {glossary.long_date(end)})",
                required=False,
                error_messages={"max_length": "Enter a shorter number."},
            )
            stored = target.period_targets.get(name)
            if stored is not None:
                self.initial.setdefault(name, kpi_csv.plain_number(Decimal(stored)))
            rows.append(Field.text(name, field_width=10))
        self.initial.setdefault("profile", target.profile)
        self.helper = form_helper(
            Field.radios("profile", legend_size=Size.MEDIUM),
            Fieldset(
                *rows,
                legend="Targets for each period (for an entered profile)",
                legend_size=Size.MEDIUM,
            ),
            submit="Save profile",
        )

    def entered(self) -> dict[date, object]:
        return {end: self.cleaned_data.get(end.isoformat()) for end in self.ends}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("profile") == profile_rules.ENTERED:
            for end in self.ends:
                name = end.isoformat()
                if cleaned.get(name) is None and name not in self.errors:
                    label = year_rules.period_label(end, self.kpi.frequency, self.kpi.start_month)
                    self.add_error(name, f"Enter the target for {label}.")
        return cleaned
