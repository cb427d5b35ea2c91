"""Forms for feedback from colleagues: asking, answering or declining, releasing."""

from __future__ import annotations

import re
from collections.abc import Callable

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import conditional_escape

from appraisals.forms.sessions import form_helper
from appraisals.rules import peer_feedback as rules
from appraisals.services.peer_feedback import ANSWER_LIMIT, QUESTION_LIMIT
from core.text_limits import BoundedTextMixin
from organisations.models import Employee

Lookup = Callable[[list[str]], dict[str, list[Employee]]]


class FeedbackRequestForm(BoundedTextMixin, forms.Form):
    colleagues = forms.CharField(
        label="Which colleagues do you want to ask?",
        widget=forms.Textarea,
        max_length=3000,
        help_text=f"Their work email addresses, one on each line. Up to {rules.MAX_COLLEAGUES} colleagues.",
        error_messages={"required": "Enter the work email address of at least one colleague"},
    )
    bank = forms.MultipleChoiceField(
        label="Questions to ask",
        required=False,
        choices=[(str(i), q) for i, q in enumerate(rules.QUESTION_BANK)],
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose from these, write your own below, or both.",
    )
    message = forms.CharField(
        label="Message to your colleagues (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text="Why you are asking, and by when you would like an answer.",
    )

    def __init__(self, *args, lookup: Lookup, subject: Employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup
        self.subject = subject
        free = []
        for n in range(1, rules.FREE_QUESTIONS + 1):
            name = f"free_{n}"
            self.fields[name] = forms.CharField(
                label=f"Your own question {n} (optional)",
                required=False,
                max_length=QUESTION_LIMIT,
                error_messages={"max_length": f"Question {n} must be {QUESTION_LIMIT} characters or fewer"},
            )
            free.append(Field.text(name))
        self.helper = form_helper(
            Field.textarea("colleagues", rows=4),
            Field.checkboxes("bank", small=True),
            Fieldset(*free, legend="Your own questions", legend_size=Size.SMALL),
            Field.textarea("message", rows=3),
        )

    def clean_colleagues(self) -> list[Employee]:
        text = self.cleaned_data["colleagues"]
        emails = [e for e in re.split(r"[\s,;]+", text) if e]
        if not emails:
            raise ValidationError("Enter the work email address of at least one colleague")
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                bad.append(email)
        if bad:
            raise ValidationError(
                f"Enter email addresses like name@example.gov.uk: {', '.join(bad)} is not one"
            )
        unique = list(dict.fromkeys(e.lower() for e in emails))
        if len(unique) > rules.MAX_COLLEAGUES:
            raise ValidationError(f"Ask at most {rules.MAX_COLLEAGUES} colleagues at a time")
        found = self.lookup(unique)
        unknown = [e for e in unique if not found.get(e)]
        if unknown:
            raise ValidationError(
                f"Nobody working here has the email address {', '.join(unknown)}: check it, or ask someone else"
            )
        shared = [e for e in unique if len(found[e]) > 1]
        if shared:
            raise ValidationError(
                f"More than one person has the email address {', '.join(shared)}: ask your HR team to correct it"
            )
        people = [found[e][0] for e in unique]
        if any(p.pk == self.subject.pk for p in people):
            raise ValidationError(f"{self.subject.full_name} cannot be asked for feedback about themselves")
        return people

    def clean(self):
        data = super().clean()
        if not self.questions():
            self.add_error("bank", "Choose at least one question, or write your own")
        return data

    def questions(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        chosen = [rules.QUESTION_BANK[int(i)] for i in data.get("bank", [])]
        own = [data.get(f"free_{n}", "").strip() for n in range(1, rules.FREE_QUESTIONS + 1)]
        return chosen + [q for q in own if q]


class FeedbackAnswerForm(BoundedTextMixin, forms.Form):
    """One text box per question; at least one answered."""

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.count = len(questions)
        layout = []
        for i, question in enumerate(questions):
            name = f"answer_{i}"
            self.fields[name] = forms.CharField(
                # crispy-forms-gds writes labels unescaped: escape what people typed.
                label=conditional_escape(question),
                widget=forms.Textarea,
                required=False,
                max_length=ANSWER_LIMIT,
                error_messages={"max_length": f"Each answer must be {ANSWER_LIMIT} characters or fewer"},
            )
            layout.append(Field.textarea(name, rows=4))
        self.helper = form_helper(*layout)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(a.strip() for a in self.answers()):
            self.add_error(
                "answer_0" if self.count else None, "Answer at least one question, or decline the request"
            )
        return data

    def answers(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [data.get(f"answer_{i}", "") for i in range(self.count)]


class DeclineForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        help_text="For example, that you have not worked together enough. The person's manager sees it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("reason"))


class ReleaseForm(BoundedTextMixin, forms.Form):
    """Only where the organisation leaves it to the manager: named or anonymous."""

    named = forms.TypedChoiceField(
        label="How should they see who wrote each response?",
        choices=[("no", "Anonymously, as from a colleague"), ("yes", "With each colleague's name")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the person sees who wrote each response"},
    )

    def __init__(self, *args, choose: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = choose
        if not choose:
            del self.fields["named"]
            self.helper = form_helper()
        else:
            self.helper = form_helper(Field.radios("named", small=True, legend_size=Size.SMALL))

    def named_choice(self) -> bool | None:
        return self.cleaned_data.get("named") if self.choose else None
