"""Forms for benchmarks: a file of other councils' figures, and the
organisation's own area code."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import form_helper
from organisations.models import ComparatorGroup
from organisations.services import benchmark_csv
from organisations.services.benchmark_import import clean_measure, measure_problem


class BenchmarkImportForm(BoundedTextMixin, forms.Form):
    comparator_group = forms.ChoiceField(
        label="Which councils does the file compare?",
        choices=ComparatorGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the comparator group the figures are for."},
    )
    measure = forms.CharField(
        label="Measure code (if the file has no measure column)",
        required=False,
        max_length=60,
        help_text="LG Inform's metric ID or another code, like 1234. Link KPIs to it on each KPI's Edit page.",
    )
    measure_name = forms.CharField(
        label="Measure name (optional)",
        required=False,
        max_length=200,
        help_text="For a file without a measure_name column, like 'Household waste recycled (%)'.",
    )
    source = forms.CharField(
        label="Where were the figures published? (optional)",
        required=False,
        max_length=300,
        help_text="For example: LG Inform, downloaded 3 November 2026.",
    )
    file = forms.FileField(
        label="CSV file of figures",
        help_text=(
            f"Columns: {', '.join(benchmark_csv.REQUIRED_COLUMNS)}, and optionally area_name, measure and "
            f"measure_name. Smaller than {benchmark_csv.MAX_UPLOAD_LABEL}."
        ),
        error_messages={"required": "Select a CSV file of figures."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,text/csv"})
        self.fields["measure"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.rows: Iterable[benchmark_csv.CsvRow] = ()
        self.helper = form_helper(
            Field.radios("comparator_group", legend_size=Size.SMALL),
            Field.text("measure", field_width=10),
            Field.text("measure_name"),
            Field.text("source"),
            Field("file"),
            submit="Check and import",
        )

    def clean_measure(self) -> str:
        measure = clean_measure(self.cleaned_data.get("measure", ""))
        if measure:
            problem = measure_problem(measure)
            if problem:
                raise forms.ValidationError(problem)
        return measure

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or "measure" not in cleaned:
            return cleaned
        if upload.size > benchmark_csv.MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                f"The file must be smaller than {benchmark_csv.MAX_UPLOAD_LABEL}. Split it into smaller files.",
            )
            return cleaned
        try:
            rows = benchmark_csv.iter_benchmark_csv(
                upload, filename=upload.name or "", measure_given=bool(cleaned["measure"])
            )
            first = next(rows, None)
            if first is None:
                raise benchmark_csv.CsvFileError("The file has a header row but no figures.")
            self.rows = itertools.chain([first], rows)
        except benchmark_csv.CsvFileError as exc:
            self.add_error("file", str(exc))
        return cleaned


class AreaCodeForm(BoundedTextMixin, forms.Form):
    area_code = forms.CharField(
        label="Your organisation's area code",
        required=False,
        max_length=12,
        help_text=(
            "The ONS code benchmark files use for your organisation, like E06000023. Its row in a "
            "file is its figure; without one, its own result for the same period is used."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = form_helper(Field.text("area_code", field_width=10), submit="Save area code")

    def clean_area_code(self) -> str:
        code = self.cleaned_data.get("area_code", "").strip().upper()
        if code and not (code.isalnum() and code.isascii()):
            raise forms.ValidationError("Enter the area code in letters and numbers only, like E06000023.")
        return code
