"""The notification settings form: one question per kind of notification, each
answered with one of the channels (GOV.UK radios)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.rules import notifications as rules


class NotificationPreferencesForm(BoundedTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in rules.KINDS:
            message = f"Choose how you hear about {kind.label[:1].lower()}{kind.label[1:]}"
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=rules.CHANNELS,
                widget=forms.RadioSelect,
                help_text=f"Unless you choose: {dict(rules.CHANNELS)[kind.default_channel].lower()}.",
                error_messages={"required": message, "invalid_choice": message},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has its token
        self.helper.layout = Layout(
            *(Field.radios(kind.code, legend_size=Size.SMALL) for kind in rules.KINDS),
            Button("save", "Save notification settings"),
        )
