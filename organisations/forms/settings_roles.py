"""The settings area's roles page: finding a person and giving them a role
(the rest of the settings area's forms are in ``organisations/forms/settings.py``)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.text_limits import BoundedTextMixin
from organisations.forms.settings import helper
from organisations.models import Employee


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        number = f" ({obj.employee_number})" if obj.employee_number else ""
        return f"{obj.last_name}, {obj.first_name}{number}"


class PersonSearchForm(BoundedTextMixin, forms.Form):
    """Find a person by name or employee number (a GET form: no JavaScript needed)."""

    q = forms.CharField(
        label="Find a person",
        help_text="Part of their name, or their employee number.",
        required=False,
        max_length=100,
    )


class RoleGrantForm(BoundedTextMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the role to give",
            "invalid_choice": "Choose a role from the list",
        },
    )
    employee = PersonChoiceField(
        label="Person",
        queryset=Employee.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to give the role to",
            "invalid_choice": "Choose a person from the list",
        },
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], people, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["employee"].queryset = people
        self.helper = helper(
            Field.select("employee"),
            Field.radios("role", legend_size=Size.SMALL),
            submit="Give the role",
            button="give_role",
        )
