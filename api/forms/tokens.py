"""The form that creates an API token, laid out with crispy-forms-gds."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from api.rules import tokens as token_rules
from core.text_limits import BoundedTextMixin


class ApiTokenForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What will use it, so you can tell tokens apart: for example, 'Power BI performance report'.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What may it read?",
        help_text="Choose the people scope only for a system that must hold personal data.",
        choices=list(token_rules.SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=[token_rules.AGGREGATES],
        error_messages={"required": "Choose what the token may read"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("name"),
            Field.checkboxes("scopes", legend_size=Size.SMALL),
            Button("submit", "Create token"),
        )
