"""Forms for development plans: an item (what, provider, dates, cost, the skill
and level it aims for, and on change its status) and completing one."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.layout import Field, Size
from django import forms

from appraisals.forms.goals import _date_field
from appraisals.models import DevelopmentKind, DevelopmentStatus
from appraisals.services.development import DevelopmentInput
from core.form_layout import small_form_helper
from core.text_limits import BoundedTextMixin
from organisations.models import Skill, SkillLevel

TARGET_CHOICES = [(value, label) for value, label in SkillLevel.choices if value > 0]
# Completing goes through its own form; a change sets any other status.
EDIT_STATUSES = [(v, label) for v, label in DevelopmentStatus.choices if v != DevelopmentStatus.COMPLETED]


class DevelopmentItemForm(BoundedTextMixin, forms.Form):
    skill = forms.TypedChoiceField(
        label="Skill it develops",
        coerce=int,
        error_messages={"required": "Choose the skill", "invalid_choice": "Choose a skill from the list"},
    )
    target_level = forms.TypedChoiceField(
        label="Level it aims for",
        coerce=int,
        choices=[("", "Choose a level"), *TARGET_CHOICES],
        error_messages={
            "required": "Choose the level it aims for",
            "invalid_choice": "Choose a level from 1 to 4",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of development",
        choices=DevelopmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of development it is"},
    )
    title = forms.CharField(
        label="What it is",
        max_length=200,
        help_text="For example, Care Act 2014 assessments, two-day course.",
        error_messages={"required": "Enter what the development is"},
    )
    provider = forms.CharField(
        label="Provider (optional)",
        max_length=200,
        required=False,
        help_text="Who runs it: a training company, a college, a colleague.",
    )
    starts_on = _date_field("Planned start")
    ends_on = _date_field("Planned end")
    cost = forms.DecimalField(
        label="Cost (£)",
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        help_text="What it costs the organisation. 0 for in-house coaching or shadowing.",
        error_messages={
            "required": "Enter the cost, or 0",
            "invalid": "Enter the cost as an amount in pounds, like 350",
            "min_value": "The cost must be 0 or more",
            "max_digits": "The cost must be less than £10,000,000",
            "max_decimal_places": "The cost can have at most 2 decimal places (pence)",
        },
    )

    def __init__(self, *args, skills: list[Skill], with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = {s.pk: s for s in skills}
        self.fields["skill"].choices = [("", "Choose a skill"), *[(s.pk, s.name) for s in skills]]
        fields = [
            Field.select("skill"),
            Field.select("target_level"),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.text("provider"),
            Field("starts_on"),
            Field("ends_on"),
            Field.text("cost", field_width=5),
        ]
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=EDIT_STATUSES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the status",
                    "invalid_choice": "Choose a status from the list",
                },
            )
            fields.append(Field.radios("status", legend_size=Size.SMALL, small=True))
        self.helper = small_form_helper(*fields, submit="Save development item")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The planned end must be on or after the planned start")
        return data

    def values(self) -> DevelopmentInput:
        d = self.cleaned_data
        return DevelopmentInput(
            skill=self.skills[d["skill"]],
            target_level=d["target_level"],
            kind=d["kind"],
            title=d["title"],
            provider=d["provider"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            cost=d["cost"],
        )


class CompleteForm(BoundedTextMixin, forms.Form):
    completed_on = _date_field("Date completed")
    level = forms.TypedChoiceField(
        label="Rate the skill now (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a level from 0 to 4"},
    )

    def __init__(self, *args, skill_name: str, own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Not now: rate it in the next session"), *SkillLevel.choices]
        self.fields["level"].label = f"{skill_name}: {'your' if own else 'their'} level now (optional)"
        self.fields["level"].help_text = (
            "Saved as your self-assessment."
            if own
            else "Saved as your rating as their manager, which sets their level for skills gaps."
        )
        self.helper = small_form_helper(
            Field("completed_on"),
            Field.radios("level", legend_size=Size.SMALL, small=True),
            submit="Mark as completed",
        )
