"""Forms for the skills framework: a skill, and a role's requirements (a formset)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.models import Organisation, Skill, SkillCategory, SkillLevel

REQUIRED_LEVEL_CHOICES = [(value, label) for value, label in SkillLevel.choices if value > 0]


class SkillForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the skill's name."}
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *SkillCategory.choices],
        error_messages={
            "required": "Choose a category.",
            "invalid_choice": "Choose a category from the list.",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the skill covers, in a sentence or two.",
    )
    statutory = forms.BooleanField(
        label="Statutory: a legal or regulatory duty needs it",
        required=False,
        help_text="A gap in a statutory skill is covered (interim cover) rather than left while people train.",
    )

    def __init__(self, *args, organisation: Organisation, instance: Skill | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "category": instance.category,
                "description": instance.description,
                "statutory": instance.statutory,
            }
        super().__init__(*args, **kwargs)
        self.organisation, self.instance = organisation, instance
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("name", field_width=30),
            Field.select("category"),
            Field.textarea("description"),
            Field.checkbox("statutory", small=True),
            Button("submit", "Save skill"),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the skill's name.")
        clash = Skill.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("The framework already has a skill with this name.")
        return name


class RequirementForm(BoundedTextMixin, forms.Form):
    skill = forms.ModelChoiceField(
        label="Skill",
        queryset=Skill.objects.none(),
        empty_label="Choose a skill",
        error_messages={"required": "Choose a skill.", "invalid_choice": "Choose a skill from the list."},
    )
    required_level = forms.TypedChoiceField(
        label="Required level",
        coerce=int,
        choices=[("", "Choose a level"), *REQUIRED_LEVEL_CHOICES],
        error_messages={
            "required": "Choose the required level.",
            "invalid_choice": "Choose a level from 1 to 4.",
        },
    )
    essential = forms.BooleanField(label="Essential for the role", required=False)

    def __init__(self, *args, skills=None, **kwargs):
        super().__init__(*args, **kwargs)
        if skills is not None:
            self.fields["skill"].queryset = skills


class BaseRequirementFormSet(forms.BaseFormSet):
    def __init__(self, *args, skills, **kwargs):
        self.skills = skills
        self.skill_list = list(skills)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"skills": self.skills}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Reuse the one skill list for every row's select and validation.
        field = form.fields["skill"]
        field.choices = [("", field.empty_label), *[(s.pk, s.name) for s in self.skill_list]]
        field.to_python = _skill_lookup({s.pk: s for s in self.skill_list}, field)
        number = i + 1
        legend = f"Requirement {number}" if i < self.initial_form_count() else f"New requirement {number}"
        # The summary lists every row's errors together: say which row each is about.
        row = legend[0].lower() + legend[1:]
        field.error_messages = {
            "required": f"Choose a skill for {row}.",
            "invalid_choice": f"Choose a skill from the list for {row}.",
        }
        form.fields["required_level"].error_messages = {
            "required": f"Choose the required level for {row}.",
            "invalid_choice": f"Choose a level from 1 to 4 for {row}.",
        }
        form.helper = FormHelper()
        form.helper.form_tag = False
        form.helper.disable_csrf = True
        form.helper.label_size = Size.SMALL
        fields = [
            Field.select("skill"),
            Field.select("required_level"),
            Field.checkbox("essential", small=True),
        ]
        if self.can_delete and i < self.initial_form_count():
            fields.append(Field.checkbox("DELETE", small=True))
        form.helper.layout = Layout(Fieldset(*fields, legend=legend, legend_size=Size.SMALL))
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this requirement"

    def clean(self):
        # Checked even when other rows have errors, so every problem shows at once.
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (
                not form.has_changed() and form not in self.initial_forms
            ):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen:
                form.add_error("skill", f"{skill.name} is already required above: change that row instead.")
            seen.add(skill.pk)


def _skill_lookup(by_id: dict[int, Skill], field: forms.ModelChoiceField):
    def to_python(value):
        if value in field.empty_values:
            return None
        try:
            return by_id[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    return to_python


RequirementFormSet = forms.formset_factory(
    RequirementForm, formset=BaseRequirementFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


class RoleDayRateForm(BoundedTextMixin, forms.Form):
    interim_day_rate = forms.DecimalField(
        label="Interim day rate for this role (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="What a day of interim or agency cover for this role costs. Leave it blank to use the "
        "organisation's rate.",
        error_messages={
            "invalid": "Enter the interim day rate as an amount in pounds, like 520",
            "min_value": "The interim day rate must be 0 or more",
            "max_digits": "The interim day rate must be less than £1,000,000",
            "max_decimal_places": "The interim day rate can have at most 2 decimal places (pence)",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("interim_day_rate", field_width=5), Button("submit", "Save rate")
        )
