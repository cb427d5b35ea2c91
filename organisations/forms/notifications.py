"""The notification settings form: one question per kind of notification, each
answered with one of the channels (GOV.UK radios)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from organisations.rules import notifications as rules


class NotificationPreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in rules.KINDS:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=rules.CHANNELS,
                widget=forms.RadioSelect,
                help_text=f"Unless you choose: {dict(rules.CHANNELS)[kind.default_channel].lower()}.",
                error_messages={"required": f"Choose how you want to hear about: {kind.label.lower()}"},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(Field.radios(kind.code, legend_size=Size.SMALL, inline=True) for kind in rules.KINDS),
            Button("save", "Save notification settings"),
        )
