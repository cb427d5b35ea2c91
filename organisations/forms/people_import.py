"""The form for uploading a people file from the HR system."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import form_helper
from organisations.models import HRSystem
from organisations.services import hr_files

DETECT = ""


class PeopleImportForm(BoundedTextMixin, forms.Form):
    file = forms.FileField(
        label="People file from your HR system",
        help_text=(
            "A CSV (UTF-8 or Windows-1252) or Excel (.xlsx) file with one row per person. "
            f"Smaller than {hr_files.size_label(hr_files.DEFAULT_MAX_BYTES)}."
        ),
        error_messages={"required": "Select the people file exported from your HR system."},
    )
    system = forms.ChoiceField(
        label="HR system",
        choices=[(DETECT, "Work it out from the column names"), *HRSystem.choices],
        required=False,
        help_text="Which system's column names the file uses.",
    )
    complete = forms.BooleanField(
        label="This file lists everyone who works here",
        required=False,
        help_text=(
            "Tick only for a full export: anyone with an employee number who is not in the file "
            "will be marked as having left."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx,text/csv"})
        self.fields["file"].help_text = (
            "A CSV (UTF-8 or Windows-1252) or Excel (.xlsx) file with one row per person. "
            f"Smaller than {hr_files.size_label(hr_files.max_bytes())}."
        )
        self.helper = form_helper(Field("file"), Field("system"), Field("complete"), submit="Check the file")
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > hr_files.max_bytes():
            raise forms.ValidationError(
                f"The file must be smaller than {hr_files.size_label(hr_files.max_bytes())}."
            )
        self.data_bytes = upload.read()
        return upload
