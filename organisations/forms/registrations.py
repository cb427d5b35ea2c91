"""Forms for registrations, training records, mandatory courses, what a role
requires, and the learning system's file; laid out with crispy-forms-gds."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.form_layout import small_form_helper
from core.text_limits import BoundedTextMixin
from organisations.forms.risks import date_field
from organisations.models import MandatoryCourse, RegistrationBody
from organisations.services import kpi_csv
from organisations.services.training_import import COLUMNS, iter_training_csv


class RegistrationForm(BoundedTextMixin, forms.Form):
    body = forms.ChoiceField(
        label="Registration body",
        choices=RegistrationBody.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the registration body"},
    )
    number = forms.CharField(
        label="Registration number",
        max_length=30,
        help_text="As on the body's register, for example SW123456.",
        error_messages={"required": "Enter the registration number"},
    )
    expires_on = date_field("Expiry", "For example, 30 11 2027. The last day the registration is in date.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = small_form_helper(
            Field.radios("body", legend_size=Size.SMALL),
            Field.text("number", field_width=10),
            Field("expires_on"),
            submit="Save registration",
        )


class TrainingRecordForm(BoundedTextMixin, forms.Form):
    course = forms.ModelChoiceField(
        label="Course",
        queryset=MandatoryCourse.objects.none(),
        empty_label="Select a course",
        error_messages={"required": "Select the course"},
    )
    completed_on = date_field("Completed", "For example, 14 3 2026. The expiry date follows from the course.")

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["completed_on"].error_messages.update(
            {"required": "Enter the date completed", "incomplete": "Enter the date completed"}
        )
        self.helper = small_form_helper(Field.select("course"), Field("completed_on"), submit="Save training")


class CourseForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="As the learning system names it, so its file matches.",
        error_messages={"required": "Enter the course's name"},
    )
    renewal_months = forms.IntegerField(
        label="Renew every (months)",
        min_value=1,
        max_value=120,
        help_text="For example, 12 for every year, 36 for every three years.",
        error_messages={
            "required": "Enter how many months a completion stays in date",
            "invalid": "Enter the months as a whole number, like 12",
            "min_value": "Enter at least 1 month",
            "max_value": "Enter no more than 120 months",
        },
    )
    description = forms.CharField(label="What it covers (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renewal_months"].widget.attrs.update({"inputmode": "numeric"})
        self.helper = small_form_helper(
            Field.text("name"),
            Field.text("renewal_months", field_width=3),
            Field.textarea("description", rows=3),
            submit="Save course",
        )


class RoleComplianceForm(BoundedTextMixin, forms.Form):
    body = forms.ChoiceField(
        label="Registration the role requires",
        choices=[("", "None"), *RegistrationBody.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    courses = forms.ModelMultipleChoiceField(
        label="Mandatory courses the role requires",
        queryset=MandatoryCourse.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = courses
        self.helper = small_form_helper(
            Field.radios("body", legend_size=Size.SMALL),
            Field.checkboxes("courses", legend_size=Size.SMALL, small=True),
            submit="Save requirements",
        )


class TrainingImportForm(BoundedTextMixin, forms.Form):
    file = forms.FileField(
        label="CSV file from the learning system",
        help_text=(
            f"Columns: {', '.join(COLUMNS)}. Dates as YYYY-MM-DD or DD/MM/YYYY. "
            f"Smaller than {kpi_csv.MAX_UPLOAD_LABEL}."
        ),
        error_messages={"required": "Select a CSV file of completed training"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,text/csv"})
        self.rows: Iterable[kpi_csv.CsvRow] = ()
        self.helper = small_form_helper(Field("file"), submit="Check and import")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > kpi_csv.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {kpi_csv.MAX_UPLOAD_LABEL}. Split it into smaller files."
            )
        try:
            rows = iter_training_csv(upload, filename=upload.name or "")
            first = next(rows, None)
            if first is None:
                raise kpi_csv.CsvFileError("The file has a header row but no completions.")
            self.rows = itertools.chain([first], rows)
        except kpi_csv.CsvFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
