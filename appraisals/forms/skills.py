"""The self-assessment form: a level for each skill the person's role requires."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.models import LEVEL_DESCRIPTORS, SkillLevel, SkillRequirement

LEVEL_CHOICES = [Choice(value, label, hint=LEVEL_DESCRIPTORS[value]) for value, label in SkillLevel.choices]


def field_name(skill_id: int) -> str:
    return f"skill_{skill_id}"


class SelfAssessmentForm(BoundedTextMixin, forms.Form):
    def __init__(self, *args, requirements: list[SkillRequirement], current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        layout = []
        for r in requirements:
            name = field_name(r.skill_id)
            self.fields[name] = forms.TypedChoiceField(
                label=f"{r.skill.name}: your level",
                choices=LEVEL_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=current.get(r.skill_id),
                help_text=f"Your role requires {r.get_required_level_display().lower()}.",
                error_messages={"invalid_choice": f"Choose a level from 0 to 4 for {r.skill.name}."},
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, Button("submit", "Save my self-assessment"))

    def levels(self) -> dict:
        """{Skill: level} for every skill given a level."""
        result = {}
        for r in self.requirements:
            value = self.cleaned_data.get(field_name(r.skill_id))
            if value not in (None, ""):
                result[r.skill] = value
        return result
