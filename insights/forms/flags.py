"""Forms for the flag pages: filters, acknowledging and dismissing."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from insights.models import FlagKind, FlagSeverity

STATE_CHOICES = [
    ("attention", "Needing attention (open, not dismissed)"),
    ("new", "New (not yet acknowledged)"),
    ("acknowledged", "Acknowledged"),
    ("dismissed", "Dismissed"),
    ("resolved", "Resolved"),
    ("all", "All"),
]


SCOPE_CHOICES = [
    ("attention", "Needs your attention"),
    ("below", "For the people you manage"),
    ("all", "All you can see"),
]


class FlagFilterForm(BoundedTextMixin, forms.Form):
    """The flag list's filters (GET). Invalid values are ignored."""

    scope = forms.ChoiceField(label="Whose", required=False, choices=SCOPE_CHOICES)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *FlagKind.choices])
    severity = forms.ChoiceField(
        label="Severity", required=False, choices=[("", "All severities"), *FlagSeverity.choices]
    )
    state = forms.ChoiceField(label="State", required=False, choices=STATE_CHOICES)
    service = forms.ChoiceField(label="Service (with the services below it)", required=False)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "All services"), *services]


class FlagAcknowledgeForm(BoundedTextMixin, forms.Form):
    note = forms.CharField(
        label="What are you doing about it?",
        help_text="For example: 'Discussed at supervision on 3 March; extension agreed with the agency.'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a note saying what you are doing about this flag",
            "max_length": "The note must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field.textarea("note", rows=4), Button("submit", "Acknowledge flag"))


class FlagDismissForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you dismissing it?",
        help_text="It stays dismissed while its severity does not rise. For example: 'Contract already extended to June.'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are dismissing this flag",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4), Button.warning("submit", "Dismiss flag")
        )
