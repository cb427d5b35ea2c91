"""A service's ValidationError shown on the form that called it, GOV.UK style:
next to its field when the form has that field, else at the top of the error
summary. One rule for every view and form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put ``exc`` on ``form``; the error codes are kept."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)
