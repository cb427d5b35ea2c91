"""Goal forms. They validate (through Goal.clean, so errors land on their
fields); the views hand the cleaned data to ``appraisals.services.goals``."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from appraisals.models import Goal, GoalHorizon, GoalLevel, GoalStatus
from appraisals.models.goals import CHECK_IN_STATUSES
from core import clock
from core.text_limits import BoundedTextMixin
from organisations.models import KPI, Employee, Organisation, Service
from organisations.rules import years as year_rules

DATE_HELP = "For example, 31 3 2027"


class GovDateField(DateInputField):
    """Day, month and year boxes, with a plain message for a date that does not exist."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None


def _date_field(label: str) -> GovDateField:
    field = GovDateField(label=label, help_text=DATE_HELP, require_all_fields=False)
    field.error_messages.update(
        {"required": f"Enter the {label.lower()}", "incomplete": f"Enter the {label.lower()} in full"}
    )
    return field


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal: Goal) -> str:
        where = f" ({goal.service.name})" if goal.service_id and goal.level != GoalLevel.ORGANISATION else ""
        return f"{goal.get_level_display()}{where}: {goal.title}"


class KPIChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, kpi: KPI) -> str:
        return f"{kpi.code} {kpi.name}"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Employee) -> str:
        role = f", {person.job_role.title}" if person.job_role_id else ""
        return f"{person.full_name}{role} ({person.service.name})"


def supportable_goals(
    organisation: Organisation, *, near: Service | None = None, keep: int | None = None
) -> QuerySet[Goal]:
    """Goals one may align to: organisation, service and team goals not dropped,
    the closest level first and the given service's own goals before others'.
    ``keep``: a goal id offered whatever its level or status (the current parent)."""
    rank = Case(
        When(level=GoalLevel.TEAM, then=Value(0)),
        When(level=GoalLevel.SERVICE, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    mine = (
        Case(When(service_id=near.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
        if near is not None
        else Value(1)
    )
    offered = ~Q(level=GoalLevel.INDIVIDUAL) & ~Q(status=GoalStatus.DROPPED)
    if keep is not None:
        offered |= Q(pk=keep)
    return (
        Goal.objects.filter(organisation=organisation)
        .filter(offered)
        .select_related("service")
        .annotate(_mine=mine, _rank=rank)
        .order_by("_mine", "_rank", "service__name", "title")
    )


def organisation_kpis(organisation: Organisation) -> QuerySet[KPI]:
    return KPI.objects.filter(organisation=organisation, active=True).order_by("code")


def default_dates(organisation: Organisation) -> dict[str, date]:
    """Start today, due at the end of this financial year (of the next one when
    fewer than 30 days are left)."""
    today = clock.today()
    month = organisation.financial_year_start_month
    year = year_rules.financial_year_start(today, month)
    _, end = year_rules.fy_bounds(year, month)
    if (end - today).days < 30:
        _, end = year_rules.fy_bounds(year + 1, month)
    return {"start_date": today, "due_date": end}


TEXT_FIELDS = ["title", "description", "success_measure"]
DATE_FIELDS = ["start_date", "due_date"]


class _GoalForm(BoundedTextMixin, forms.ModelForm):
    """Shared by every goal form: dates as GOV.UK date inputs, the parent and KPI
    limited to the organisation."""

    start_date = _date_field("Start date")
    due_date = _date_field("Due date")

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "success_measure",
            "parent",
            "kpi",
            "start_date",
            "due_date",
            "horizon",
        ]
        labels = {
            "title": "Goal",
            "parent": "Goal it supports",
            "kpi": "KPI it contributes to (optional)",
            "success_measure": "Success measure",
            "horizon": "Horizon",
        }
        help_texts = {
            "title": "What will be achieved, in a sentence.",
            "parent": "The team, service or organisation goal this one helps to achieve.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "success_measure": forms.Textarea(attrs={"rows": 2}),
            "horizon": forms.RadioSelect,
            "weight": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        }
        field_classes = {"parent": GoalChoiceField, "kpi": KPIChoiceField}

    submit_label = "Save goal"

    def __init__(self, *args, near: Service | None = None, **kwargs):
        if kwargs.get("instance") is not None and kwargs["instance"].pk is None:
            kwargs["initial"] = {
                **default_dates(kwargs["instance"].organisation),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        org = self.instance.organisation
        # The current parent stays selectable even if it is an individual goal or dropped.
        parents = supportable_goals(org, near=near, keep=self.instance.parent_id)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None: it supports no other goal"
        self.fields["kpi"].queryset = organisation_kpis(org)
        self.fields["kpi"].empty_label = "None"
        self.fields["horizon"].choices = GoalHorizon.choices
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form>, its CSRF token and novalidate
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self) -> list:
        fields = []
        for name in self.fields:
            if name in ("description", "success_measure"):
                fields.append(Field.textarea(name, rows=3))
            elif name in ("horizon", "level"):
                fields.append(Field.radios(name, legend_size=Size.SMALL, small=True))
            elif name in ("parent", "kpi", "service"):
                fields.append(Field.select(name))
            elif name == "weight":
                fields.append(Field.text(name, field_width=4))
            elif name in DATE_FIELDS:
                fields.append(Field(name))
            else:
                fields.append(Field.text(name))
        return fields


class ProposeGoalForm(_GoalForm):
    submit_label = "Propose goal"


class OwnDraftForm(_GoalForm):
    """The owner changes their proposal before it is agreed."""


class IndividualGoalForm(_GoalForm):
    """A manager sets or edits a report's objective."""

    class Meta(_GoalForm.Meta):
        fields = [*_GoalForm.Meta.fields, "weight"]
        help_texts = {
            **_GoalForm.Meta.help_texts,
            "weight": "How much it counts towards the goal it supports, relative to others (1 is usual).",
        }


class SharedGoalForm(_GoalForm):
    """Organisation priorities, service and team goals."""

    class Meta(_GoalForm.Meta):
        fields = ["level", "service", *_GoalForm.Meta.fields, "weight"]
        labels = {**_GoalForm.Meta.labels, "level": "Kind of goal", "service": "Service or team"}
        help_texts = {
            **_GoalForm.Meta.help_texts,
            "service": "Not needed for an organisation priority.",
            "weight": "How much it counts towards the goal it supports, relative to others (1 is usual).",
        }
        widgets = {**_GoalForm.Meta.widgets, "level": forms.RadioSelect}

    def __init__(self, *args, levels: list[str], services: QuerySet[Service], **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].choices = [(v, label) for v, label in GoalLevel.choices if v in levels]
        if "service" in self.fields:
            self.fields["service"].queryset = services.order_by("name")
            self.fields["service"].empty_label = "None (organisation priority)"

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level", self.instance.level)
        service = cleaned.get("service")
        if "service" in self.fields:
            if level == GoalLevel.ORGANISATION and service is not None:
                self.add_error("service", "An organisation priority belongs to no one service: choose None.")
            elif level == GoalLevel.TEAM and service is not None and service.kind != "team":
                self.add_error("service", "Choose a team for a team goal.")
            elif level == GoalLevel.SERVICE and service is not None and service.kind == "team":
                self.add_error("service", "Choose a service or directorate for a service goal.")
        return cleaned


class SharedGoalEditForm(SharedGoalForm):
    class Meta(SharedGoalForm.Meta):
        fields = [f for f in SharedGoalForm.Meta.fields if f not in ("level", "service")]


class CheckInForm(BoundedTextMixin, forms.Form):
    progress = forms.IntegerField(
        label="Progress (%)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=0,
        max_value=100,
        help_text="How far towards the goal, from 0 to 100.",
        error_messages={
            "required": "Enter the progress, from 0 to 100",
            "invalid": "Enter the progress as a whole number, from 0 to 100",
            "min_value": "Progress must be 0 or more",
            "max_value": "Progress must be 100 or less",
        },
    )
    status = forms.ChoiceField(
        label="How is it going?",
        choices=CHECK_IN_STATUSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the goal is going"},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened since the last check-in; what is in the way. Needed when dropping a goal.",
    )

    def __init__(self, *args, derived_progress: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.derived_progress = derived_progress
        layout = []
        if derived_progress is not None:
            # Progress of a goal with supporting goals is theirs, rolled up.
            del self.fields["progress"]
        else:
            layout.append(Field.text("progress", field_width=3))
        layout += [
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("comment", rows=4),
            Button("submit", "Save check-in"),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form>, its CSRF token and novalidate
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == GoalStatus.DROPPED and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say why the goal is being dropped")
        if cleaned.get("status") == GoalStatus.ACHIEVED and cleaned.get("progress") not in (None, 100):
            self.add_error("progress", "An achieved goal is at 100%: enter 100 or choose another status")
        return cleaned


class BulkAssignForm(BoundedTextMixin, forms.Form):
    parent = GoalChoiceField(
        label="Goal it supports",
        queryset=Goal.objects.none(),
        help_text="Each person gets their own objective supporting this goal.",
        error_messages={"required": "Choose the goal it supports"},
    )
    people = PersonChoiceField(
        label="People",
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one person",
            "invalid_choice": "Choose only people you manage",
            "invalid_pk_value": "Choose only people you manage",
        },
    )
    title = forms.CharField(
        label="Goal", max_length=200, error_messages={"required": "Enter the goal"}, help_text=""
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    success_measure = forms.CharField(
        label="Success measure", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kpi = KPIChoiceField(
        label="KPI it contributes to (optional)", queryset=KPI.objects.none(), required=False
    )
    start_date = _date_field("Start date")
    due_date = _date_field("Due date")
    horizon = forms.ChoiceField(
        label="Horizon", choices=GoalHorizon.choices, initial=GoalHorizon.SHORT, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisation: Organisation, people: QuerySet[Employee], near=None, **kwargs):
        kwargs["initial"] = {**default_dates(organisation), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = supportable_goals(organisation, near=near)
        self.fields["parent"].empty_label = "Choose a goal"
        self.fields["people"].queryset = people
        self.fields["kpi"].queryset = organisation_kpis(organisation)
        self.fields["kpi"].empty_label = "None"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form>, its CSRF token and novalidate
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("parent"),
            Field.checkboxes("people", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.textarea("description", rows=3),
            Field.textarea("success_measure", rows=3),
            Field.select("kpi"),
            Field("start_date"),
            Field("due_date"),
            Field.radios("horizon", legend_size=Size.SMALL, small=True),
            Button("submit", "Assign goal"),
        )

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due <= start:
            self.add_error("due_date", "The due date must be after the start date.")
        return cleaned
