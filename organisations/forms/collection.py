"""Forms of the collection page: sign off results from the queue, return a result with a reason."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.forms.kpi_fields import form_helper
from organisations.services.kpi_sign_off import result_name


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


class SignOffForm(BoundedTextMixin, forms.Form):
    # Rendered by hand in the queue's table (id_result_1, id_result_2...), where
    # the error summary links to the first, as it does for crispy-forms-gds's checkboxes.
    result = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the results to sign off."},
    )

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [(str(r.result.pk), result_name(r.result)) for r in queue]
