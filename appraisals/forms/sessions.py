"""Forms for feedback sessions and appraisal cycles (GOV.UK layout via crispy-forms-gds).

The session page is one HTML form made of several Django forms, each with its own
prefix, so a row always maps to the same object whatever else changed between
showing the page and posting it:

- ``SessionForm`` (here): the session itself, its assessment, private note and next date;
- in ``appraisals.forms.session_rows``, the rows:
  - ``ActionReviewForm`` (prefix ``oa-<action pk>``): one per open earlier action;
  - ``GoalUpdateForm`` (prefix ``goal-<goal pk>``): one per open goal, blank = no check-in;
  - ``SkillRatingsForm`` (prefix ``skills``): one select per role requirement, blank = not rated;
  - ``NewActionFormSet`` (prefix ``new``): rows of new actions, grown without JavaScript.

This module also holds the date field, the error and layout helpers the row forms
share, and the acknowledgement and appraisal cycle forms. Forms validate; the
services in ``appraisals.services.sessions`` save.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from appraisals.models import Assessment, SessionKind
from core import clock, glossary
from core.text_limits import BoundedTextMixin

DATE_HINT = "For example, 27 3 2026"
_DATE_FORMATS = ("%d %m %Y", "%Y %m %d", "%d %B %Y", "%d %b %Y")


def long_date(d: date) -> str:
    """27 March 2026: the glossary's date format."""
    return glossary.long_date(d)


def parse_date(text: str) -> date | None:
    """A date typed as 27 3 2026, 27/3/2026, 27/03/2026, 27-3-2026, 27.3.2026,
    2026-03-27 or 27 March 2026; None when it is not a real date."""
    cleaned = re.sub(r"[/\-.,]", " ", text.strip())
    cleaned = re.sub(r"\s+", " ", cleaned)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1900:
            return None
        return parsed
    return None


class GovDateInput(forms.TextInput):
    """One text input for a date, shown as the hint writes dates (27 3 2026)."""

    def __init__(self, attrs=None):
        super().__init__({"spellcheck": "false", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return f"{value.day} {value.month} {value.year}"
        return super().format_value(value)


class GovDateField(forms.Field):
    """A date in a single text input: day, month and year with spaces or slashes."""

    widget = GovDateInput

    def __init__(self, *, what: str = "the date", **kwargs):
        self.what = what
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault(
            "error_messages",
            {"required": f"Enter {what}"},
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise ValidationError(f"{self.what.capitalize()} must be a real date, {DATE_HINT.lower()}")
        return parsed


def form_helper(*layout) -> FormHelper:
    """A GOV.UK layout for a form whose template writes the ``<form>`` tag itself."""
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


ASSESSMENT_CHOICES = [("", "No overall assessment this time"), *Assessment.choices]


class SessionForm(BoundedTextMixin, forms.Form):
    held_on = GovDateField(label="Date held", what="the date the session was held")
    kind = forms.ChoiceField(
        label="Kind of session",
        choices=SessionKind.choices,
        initial=SessionKind.ONE_TO_ONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of session"},
    )
    discussion = forms.CharField(
        label="What you discussed", widget=forms.Textarea, required=False, max_length=20000
    )
    achievements = forms.CharField(
        label="Achievements", widget=forms.Textarea, required=False, max_length=20000
    )
    development_areas = forms.CharField(
        label="Areas to develop", widget=forms.Textarea, required=False, max_length=20000
    )
    wellbeing = forms.CharField(
        label="Wellbeing (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=20000,
        help_text="Workload, health and anything else affecting them at work, if they chose to talk about it.",
    )
    overall_assessment = forms.ChoiceField(
        label="Overall assessment (optional)",
        choices=ASSESSMENT_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text="A word, not a score: how they are doing against what is expected in their role.",
    )
    private_note = forms.CharField(
        label="Private note (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=20000,
        help_text=(
            "Only you, their line manager and that manager's manager can read this. "
            "It is never shown or sent to the employee."
        ),
    )
    next_session_on = GovDateField(
        label="Next session (optional)", what="the date of the next session", required=False
    )
    change_reason = forms.CharField(
        label="Why are you changing this session?",
        required=False,
        max_length=500,
        help_text="The employee has been sent this session, so the reason is kept with the change.",
    )

    def __init__(self, *args, today: date | None = None, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or clock.today()
        self.reason_required = reason_required
        layout = [
            Fieldset(
                Field.text("held_on", field_width=10),
                Field.radios("kind", small=True),
                Field.textarea("discussion", rows=5),
                Field.textarea("achievements", rows=4),
                Field.textarea("development_areas", rows=4),
                Field.textarea("wellbeing", rows=3),
                legend="The session",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        ]
        if not reason_required:
            del self.fields["change_reason"]
        self.helper = form_helper(*layout)
        # The later parts are rendered after the actions, goals and skills sections.
        self.assessment_helper = form_helper(
            Fieldset(
                Field.radios("overall_assessment", small=True),
                legend="Assessment",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.textarea("private_note", rows=4),
                legend="Private note",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.text("next_session_on", field_width=10),
                *([Field.text("change_reason")] if reason_required else []),
                legend="Next session",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > self.today:
            raise ValidationError("The date held must be today or in the past")
        return held_on

    def clean_change_reason(self):
        reason = self.cleaned_data.get("change_reason", "").strip()
        if self.reason_required and not reason:
            raise ValidationError("Enter why you are changing a session that has been shared")
        return reason

    def clean(self):
        data = super().clean()
        held_on, next_on = data.get("held_on"), data.get("next_session_on")
        if held_on and next_on and next_on <= held_on:
            self.add_error("next_session_on", "The next session must be after the date this one was held")
        return data


class AcknowledgeForm(BoundedTextMixin, forms.Form):
    comment = forms.CharField(
        label="Your comments (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text="Anything you want to add or disagree with. Your manager will see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("comment", rows=4))


class CycleForm(BoundedTextMixin, forms.Form):
    financial_year = forms.IntegerField(
        label="Financial year starting in",
        min_value=2000,
        max_value=2100,
        help_text="The year the financial year starts: 2026 is 2026/27.",
        error_messages={"invalid": "Enter a year, for example 2026", "required": "Enter the year"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    mid_year_opens = GovDateField(label="Mid-year reviews open", what="the date mid-year reviews open")
    mid_year_closes = GovDateField(label="Mid-year reviews close", what="the date mid-year reviews close")
    year_end_opens = GovDateField(label="Year-end reviews open", what="the date year-end reviews open")
    year_end_closes = GovDateField(label="Year-end reviews close", what="the date year-end reviews close")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("financial_year", field_width=4),
            Fieldset(
                Field.text("mid_year_opens", field_width=10),
                Field.text("mid_year_closes", field_width=10),
                legend="Mid-year review window",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.text("year_end_opens", field_width=10),
                Field.text("year_end_closes", field_width=10),
                legend="Year-end review window",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        )
