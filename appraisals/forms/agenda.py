"""Forms for the shared agenda: adding a topic, and marking one in a session."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape

from appraisals.forms.sessions import form_helper, long_date
from appraisals.models import AgendaTopic
from appraisals.services.agenda import CARRY, DISCUSSED
from core.text_limits import BoundedTextMixin


class AgendaTopicForm(BoundedTextMixin, forms.Form):
    text = forms.CharField(
        label="Add a topic",
        max_length=500,
        help_text="Something you want to talk about at the next one-to-one. Your manager sees it when they log the session.",
        error_messages={
            "required": "Enter the topic you want to talk about",
            "max_length": "The topic must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("text"))


class AgendaReviewForm(BoundedTextMixin, forms.Form):
    """One topic in the session form: discussed, or carried over to the next session.
    Not required: a topic added after the page was shown stays on the agenda."""

    CHOICES = [(DISCUSSED, "Discussed"), (CARRY, "Carry over to the next session")]
    outcome = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)

    def __init__(self, *args, topic: AgendaTopic, session=None, **kwargs):
        kwargs.setdefault("prefix", f"topic-{topic.pk}")
        discussed_here = session is not None and topic.discussed_in_id == session.pk
        kwargs.setdefault("initial", {"outcome": DISCUSSED if discussed_here else CARRY})
        super().__init__(*args, **kwargs)
        self.topic = topic
        field = self.fields["outcome"]
        # crispy-forms-gds writes labels and hints unescaped: escape what people typed.
        field.label = conditional_escape(topic.text)
        who = topic.added_by.full_name if topic.added_by else "someone who has left"
        hint = f"Added by {who} on {long_date(timezone.localtime(topic.added_at).date())}."
        if topic.times_carried_over:
            times = "once" if topic.times_carried_over == 1 else f"{topic.times_carried_over} times"
            hint += f" Carried over {times}."
        field.help_text = conditional_escape(hint)
        self.helper = form_helper(Field.radios("outcome", small=True, inline=True))
