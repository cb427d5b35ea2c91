"""The layout most forms share: crispy-forms-gds fields with small labels and
legends, one submit button, no <form> tag (the template writes it, with its
CSRF token and action)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size


def small_form_helper(*fields: Any, submit: str = "Save", button: str = "submit") -> FormHelper:
    """``button`` names the submit button (its id too): unique on a page of several forms."""
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Button(button, submit))
    return helper
