"""Forms of the collection page: return a result with a reason."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import form_helper


class ReturnForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you returning it?",
        help_text="Its owner reads this: say what to check or correct.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are returning the result."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("reason"), submit="Return the result")
