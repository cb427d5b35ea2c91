"""Pieces the KPI forms share: the GOV.UK form layout and the field for a KPI value."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms

from organisations.services import kpi_csv


def form_helper(*fields, submit: str) -> FormHelper:
    """The GOV.UK layout every KPI form uses: small labels, no form tag, one submit button."""
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
