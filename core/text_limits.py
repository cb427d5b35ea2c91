"""Limits on what people type, so no form or import takes unbounded text.

Text fields backed by a model ``TextField`` have no length of their own; every
form here gets one (``MAX_TEXT_LENGTH``) and every length limit a GOV.UK-style
message: "Description must be 10,000 characters or fewer".
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

# Room for a long supervision note (about 1,500 words); far beyond it is a paste
# gone wrong or an attempt to fill the database.
MAX_TEXT_LENGTH = 10_000


def too_long_message(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


def bound_text_fields(form: forms.BaseForm, limit: int = MAX_TEXT_LENGTH) -> None:
    """Give each text field of ``form`` a maximum length (``limit`` where it has
    none) and a clear message naming the field and the limit."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        if field.max_length is None:
            field.max_length = limit
        message = field.error_messages.get("max_length")  # a form may name the field its own way
        if message is None:
            label = str(field.label or name.replace("_", " ")).strip().rstrip(":")
            if label.endswith("?"):  # a question: "What are you doing about it?"
                label = "Your answer"
            message = too_long_message(label[:1].upper() + label[1:], field.max_length)
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(field.max_length, message=message))


class BoundedTextMixin:
    """For every form: text fields are bounded before the form is cleaned, so fields
    a form adds in its own ``__init__`` are bounded too."""

    text_limit = MAX_TEXT_LENGTH

    def full_clean(self) -> None:
        bound_text_fields(self, self.text_limit)
        super().full_clean()
