"""The session page's row forms: earlier actions, goal check-ins, skill ratings and new actions."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.html import conditional_escape, format_html

from appraisals.forms.sessions import GovDateField, form_helper, long_date
from appraisals.models import Action, Goal
from appraisals.models.goals import CHECK_IN_STATUSES
from appraisals.rules.goal_focus import OVERDUE, UPDATED
from core.text_limits import BoundedTextMixin
from organisations.models import LEVEL_DESCRIPTORS, SkillLevel


class ActionOutcome:
    LEAVE = "leave"
    DONE = "done"
    CARRY = "carry"
    CHOICES = [(LEAVE, "Leave open"), (DONE, "Done"), (CARRY, "Carry over into this session")]


class ActionReviewForm(BoundedTextMixin, forms.Form):
    # Not required: a row missing from the post (an action that appeared after the
    # page was shown) simply stays open.
    outcome = forms.ChoiceField(
        choices=ActionOutcome.CHOICES, initial=ActionOutcome.LEAVE, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("prefix", f"oa-{action.pk}")
        super().__init__(*args, **kwargs)
        self.action = action
        field = self.fields["outcome"]
        # crispy-forms-gds writes labels and hints unescaped: escape what people typed.
        field.label = conditional_escape(action.description)
        due = f"due {long_date(action.due_on)}, " if action.due_on else ""
        owner = action.owner.full_name if action.owner else "nobody"
        field.help_text = format_html(
            "From the session on {}: {}for {}.", long_date(action.session.held_on), due, owner
        )
        self.helper = form_helper(Field.radios("outcome", small=True))


NO_CHANGE = ""


class GoalUpdateForm(BoundedTextMixin, forms.Form):
    """One goal's check-in: a fieldset named by the goal (its legend), with short
    labels inside, folded in a ``<details>`` whose summary names the goal, its
    status and progress (templates/appraisals/sessions/_goal_fieldset.html).

    ``reason`` (appraisals.rules.goal_focus) says why it is shown unfolded; a
    goal with anything typed in it, or an error, is unfolded too. "No change" of
    status with a progress figure keeps the goal's status and records the
    progress."""

    progress = forms.IntegerField(
        label="Progress (%)",
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": "Enter progress as a whole number from 0 to 100",
            "min_value": "Progress must be 0 or more",
            "max_value": "Progress must be 100 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    status = forms.ChoiceField(label="Status", required=False)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea, max_length=5000)

    def __init__(self, *args, goal: Goal, reason: str = "", **kwargs):
        kwargs.setdefault("prefix", f"goal-{goal.pk}")
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.reason = reason
        self.fields["status"].choices = [
            (NO_CHANGE, f"No change ({goal.get_status_display().lower()})"),
            *CHECK_IN_STATUSES,
        ]
        fieldset = Fieldset(
            Field.text("progress", field_width=3),
            Field.select("status"),
            Field.textarea("comment", rows=2),
            legend=goal.title,
            template="appraisals/sessions/_goal_fieldset.html",
        )
        fieldset.context["form"] = self
        self.helper = form_helper(fieldset)

    @property
    def state(self) -> str:
        """The summary line under the goal's name: "At risk, 40%, due 3 March 2027",
        and why it is unfolded where the status and date do not already say so."""
        state = (
            f"{self.goal.get_status_display()}, {self.goal.progress}%, due {long_date(self.goal.due_date)}"
        )
        return f"{state}, {self.reason}" if self.reason in (OVERDUE, UPDATED) else state

    @property
    def unfolded(self) -> bool:
        # Anything typed (so any error, every field being optional) shows the goal.
        return bool(self.reason) or (self.is_bound and self.has_changed())

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return data.get("progress") is None and not data.get("status") and not data.get("comment", "").strip()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        entered = data.get("progress") is not None or data.get("status") or data.get("comment", "").strip()
        if entered:
            if data.get("progress") is None:
                self.add_error(
                    "progress", f"Enter the progress of “{self.goal.title}”, or clear this goal's row"
                )
            if data.get("status") == NO_CHANGE:
                data["status"] = self.goal.status
        return data


SKILL_LEVEL_CHOICES = [("", "Not rated in this session")] + [
    (str(value), f"{label}: {LEVEL_DESCRIPTORS[value]}") for value, label in SkillLevel.choices
]


class SkillRatingsForm(BoundedTextMixin, forms.Form):
    """A level select for each skill the employee's role requires."""

    def __init__(self, *args, requirements: list, latest: dict[int, tuple[int, str, date]], **kwargs):
        kwargs.setdefault("prefix", "skills")
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        for req in requirements:
            name = f"skill_{req.skill_id}"
            required_label = SkillLevel(req.required_level).label
            hint = f"Role requires {required_label}{' (essential)' if req.essential else ''}."
            if req.skill_id in latest:
                level, source, on = latest[req.skill_id]
                who = "their manager" if source == "manager" else "themselves"
                hint += f" Last rated {SkillLevel(level).label} by {who} on {long_date(on)}."
            else:
                hint += " Not rated yet."
            self.fields[name] = forms.ChoiceField(
                label=conditional_escape(req.skill.name),
                choices=SKILL_LEVEL_CHOICES,
                required=False,
                help_text=hint,
            )
        self.helper = form_helper(*[Field.select(name) for name in self.fields])

    def levels(self) -> dict[int, int]:
        """{skill id: level} for the skills rated in this session."""
        out = {}
        for req in self.requirements:
            value = self.cleaned_data.get(f"skill_{req.skill_id}")
            if value not in (None, ""):
                out[req.skill_id] = int(value)
        return out


class NewActionForm(BoundedTextMixin, forms.Form):
    description = forms.CharField(label="What needs doing", required=False, max_length=500)
    owner = forms.TypedChoiceField(label="Who will do it", coerce=int, required=False)
    due_on = GovDateField(label="Due date (optional)", what="the due date", required=False)

    def __init__(self, *args, owners: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(e.pk, e.full_name) for e in owners]
        self.fields["owner"].initial = owners[0].pk if owners else None
        self.owners = {e.pk: e for e in owners}
        number = (int(self.prefix.rsplit("-", 1)[-1]) + 1) if self.prefix else 1
        self.helper = form_helper(
            Fieldset(
                Field.text("description"),
                Field.select("owner"),
                Field.text("due_on", field_width=10),
                legend=f"New action {number}",
                legend_size=Size.SMALL,
            )
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("description", "").strip():
            if data.get("due_on"):
                self.add_error("description", "Describe the action, or clear its due date")
            return data
        if data.get("owner") not in self.owners:
            self.add_error("owner", "Choose who will do the action")
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("description", "").strip()


class BaseNewActionFormSet(BaseFormSet):
    """Rows of new actions. Every row is optional (INITIAL_FORMS is always 0), so a
    blank row, however it came to be, is skipped rather than refused."""

    def initial_form_count(self):
        return 0


NEW_ACTION_ROWS = 3
NewActionFormSet = formset_factory(
    NewActionForm, formset=BaseNewActionFormSet, extra=NEW_ACTION_ROWS, max_num=50, absolute_max=50
)
