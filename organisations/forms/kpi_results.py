"""Forms for KPI results: one period's result, and a CSV file of results to import."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date

from crispy_forms_gds.layout import Field
from django import forms

from core import glossary
from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import ValueField, form_helper
from organisations.models import KPI, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.services import kpi_csv

# How many past periods the result form offers: three financial years.
RECENT_PERIODS = {year_rules.MONTHLY: 36, year_rules.QUARTERLY: 12, year_rules.ANNUAL: 5}

PUBLIC_COMMENTARY_HINT = (
    "Shown on the public performance page: anyone can read it. Do not name people or "
    "teams' personal circumstances. The internal commentary and corrective action are not published."
)

# A red result needs a corrective action: checked here, shown next to the field; the
# services in services/kpis.py and services/kpi_import.py save.
RED_NEEDS_ACTION = (
    "This result is red against its target: enter a corrective action saying what is being "
    "done to bring it back on track."
)


def recent_period_ends(kpi: KPI, today: date, count: int | None = None) -> list[date]:
    """Ends of the KPI's periods that have ended by ``today``, newest first."""
    count = count or RECENT_PERIODS[kpi.frequency]
    end = year_rules.period_end_for(today, kpi.frequency, kpi.start_month)
    if end > today:
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    ends = []
    for _ in range(count):
        ends.append(end)
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return ends


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
            text = f"{year_rules.period_label(end, kpi.frequency, start)} (ending {glossary.long_date(end)})"
            return f"{text}: result recorded" if end in recorded else text

        self.fields["period"].choices = [("", "Choose a period")] + [(e.isoformat(), label(e)) for e in ends]
        unit = {
            kpi_rules.UNIT_PERCENT: "percentage",
            kpi_rules.UNIT_CURRENCY: "pounds",
            kpi_rules.UNIT_DAYS: "days",
        }.get(kpi.unit)
        if unit:
            self.fields["value"].label = f"Value ({unit})"
        self.helper = form_helper(
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
        target = self.targets.get(year_rules.financial_year_start(period, self.kpi.start_month))
        if target is None:
            return kpi_rules.GREY
        return target.status_for(value, self.kpi.polarity, period)

    def clean(self):
        cleaned = super().clean()
        if self.status() == kpi_rules.RED and not (cleaned.get("corrective_action") or "").strip():
            self.add_error("corrective_action", RED_NEEDS_ACTION)
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

    sign_off = forms.BooleanField(
        label="Sign off these results as they are imported",
        required=False,
        help_text=(
            "Only for figures you have checked: signed-off results go straight to the committee "
            "report, the public page and the API. Leave it unticked and they wait for sign-off."
        ),
    )

    def __init__(self, *args, may_sign_off: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,text/csv"})
        self.rows: Iterable[kpi_csv.CsvRow] = ()
        # The tick box only for someone who signs results off.
        if not may_sign_off:
            del self.fields["sign_off"]
        fields = [Field("file"), *([Field("sign_off")] if may_sign_off else [])]
        self.helper = form_helper(*fields, submit="Check and import")

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
