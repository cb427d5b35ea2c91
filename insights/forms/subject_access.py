"""Producing a complete subject access export."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin


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
