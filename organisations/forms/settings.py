"""Forms of the settings area, one per section, laid out with crispy-forms-gds.

They check what a person typed and say what is wrong next to the field in words;
the services in ``organisations/services/settings.py`` check what needs more
than one field (no password sign-in without an identity provider) and save."""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from core import glossary
from core.form_layout import small_form_helper
from core.text_limits import BoundedTextMixin
from organisations.models import JobFamily, JobRole, Organisation

MONTH_CHOICES = [(m, calendar.month_name[m]) for m in range(1, 13)]
YES_NO = [("yes", "Yes"), ("no", "No")]


def _days_field(label: str, help_text: str, *, required: bool = True) -> forms.IntegerField:
    what = label[:1].lower() + label[1:]
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=1,
        max_value=366,
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a whole number of days, like 28",
            "min_value": f"The {what} must be at least 1 day",
            "max_value": f"The {what} must be 366 days or fewer",
        },
    )


def _percent_field(label: str, help_text: str) -> forms.DecimalField:
    what = label[:1].lower() + label[1:]
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a number, like 20",
            "min_value": f"The {what} must be 0 or more",
            "max_value": f"The {what} must be 100 or less: it is a percentage",
            "max_decimal_places": f"The {what} can have at most 2 decimal places",
            "max_digits": f"The {what} must be 100 or less: it is a percentage",
        },
    )


def _yes_no_field(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no", "invalid_choice": "Choose yes or no"},
    )


def yes_no_initial(value: bool) -> str:
    return "yes" if value else "no"


def helper(*fields: Any, submit: str = "Save", button: str = "save") -> FormHelper:
    """The settings area's forms: each page has several, so the button is named."""
    return small_form_helper(*fields, submit=submit, button=button)


class YearForm(BoundedTextMixin, forms.Form):
    financial_year_start_month = forms.TypedChoiceField(
        label="Month the financial year starts",
        help_text="Most councils' financial year starts in April.",
        choices=MONTH_CHOICES,
        coerce=int,
        error_messages={
            "required": "Choose the month the financial year starts",
            "invalid_choice": "Choose a month from the list, January to December",
        },
    )
    interim_reliance_threshold = _percent_field(
        "Interim reliance threshold (per cent of FTE)",
        "A service with more of its full-time equivalent staff on interim or agency contracts than this "
        "is flagged. For example, 20.",
    )
    skills_coverage_threshold = _percent_field(
        "Skills coverage threshold (per cent of people)",
        "Below this share of people meeting a required skill, interim cover is recommended. For example, 60.",
    )
    interim_day_rate = forms.DecimalField(
        label="Interim day rate (£)",
        help_text="A day of interim cover, for roles with no rate of their own. For example, 450.",
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the interim day rate",
            "invalid": "Enter the interim day rate as an amount in pounds, like 450",
            "min_value": "The interim day rate must be 0 or more",
            "max_digits": "The interim day rate must be less than £1,000,000",
            "max_decimal_places": "The interim day rate can have at most 2 decimal places (pence)",
        },
    )
    exception_rule = forms.ChoiceField(
        label="What counts as an exception",
        help_text="Which KPIs reports and dashboards list first. Overdue data is shown on its own.",
        choices=glossary.EXCEPTION_RULE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what counts as an exception"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.select("financial_year_start_month"),
            Field.text("interim_reliance_threshold", field_width=5),
            Field.text("skills_coverage_threshold", field_width=5),
            Field.text("interim_day_rate", field_width=5),
            Field.radios("exception_rule", legend_size=Size.SMALL),
        )


class CadenceDefaultForm(BoundedTextMixin, forms.Form):
    default_feedback_interval_days = _days_field(
        "Days between supervision sessions",
        "For everyone whose job role is in no family with its own interval, and who has no interval "
        "of their own. For example, 42 for every six weeks.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("default_feedback_interval_days", field_width=3), button="save_default"
        )


class JobFamilyForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label="Name of the job family",
        help_text="For example, Social work.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the job family",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    feedback_interval_days = _days_field(
        "Days between supervision sessions (optional)",
        "Leave blank to use the organisation's default. For example, 28 for social work.",
        required=False,
    )

    def __init__(self, *args: Any, submit: str = "Save job family", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("name", field_width=20),
            Field.text("feedback_interval_days", field_width=3),
            submit=submit,
            button="save_family",
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the job family")
        return name


class RoleFamiliesForm(BoundedTextMixin, forms.Form):
    """One select per job role: which family it is in. Rendered as a table."""

    def __init__(self, *args: Any, roles: list[JobRole], families: list[JobFamily], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.roles = roles
        choices = [("", "None (the organisation's default)")] + [
            (str(f.pk), f"{f.name} ({_family_days(f)})") for f in families
        ]
        for role in roles:
            self.fields[f"role_{role.pk}"] = forms.TypedChoiceField(
                label=f"Job family of {role.title}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(role.job_family_id or ""),
                error_messages={"invalid_choice": f"Choose a job family from the list for {role.title}"},
            )
            self.fields[f"role_{role.pk}"].widget.attrs["class"] = "govuk-select"

    def rows(self) -> list[tuple[JobRole, forms.BoundField]]:
        return [(role, self[f"role_{role.pk}"]) for role in self.roles]

    def families(self) -> dict[int, int | None]:
        return {role.pk: self.cleaned_data.get(f"role_{role.pk}") for role in self.roles}


def _family_days(family: JobFamily) -> str:
    days = family.feedback_interval_days
    return "the organisation's default" if days is None else f"every {days} days"


class RetentionForm(BoundedTextMixin, forms.Form):
    session_retention_years = forms.IntegerField(
        label="Years session notes are kept after a person leaves",
        help_text="After this, the content of a leaver's sessions is removed; dates and kinds are kept.",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter how many years session notes are kept",
            "invalid": "Enter the number of years as a whole number, like 6",
            "min_value": "Session notes must be kept for at least 1 year",
            "max_value": "Session notes can be kept for at most 50 years",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.text("session_retention_years", field_width=2))


class PublicPageForm(BoundedTextMixin, forms.Form):
    public_page_enabled = _yes_no_field(
        "Publish the public performance page?",
        "When it is not published its address says the page is not found.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("public_page_enabled", legend_size=Size.SMALL, inline=True))


class FeedbackAttributionForm(BoundedTextMixin, forms.Form):
    feedback_attribution = forms.ChoiceField(
        label="How do people see feedback from colleagues?",
        help_text="What a colleague writes goes to the person's line manager, who releases it to the person.",
        choices=Organisation._meta.get_field("feedback_attribution").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how people see feedback from colleagues"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("feedback_attribution", legend_size=Size.SMALL))


class ResultsSignOffForm(BoundedTextMixin, forms.Form):
    results_validated_by = forms.ChoiceField(
        label="Who signs off KPI results?",
        help_text=(
            "A result an owner submits reaches the committee report, the public page and the API once "
            "signed off. Nobody signs off a KPI they own."
        ),
        choices=Organisation._meta.get_field("results_validated_by").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who signs off KPI results"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.radios("results_validated_by", legend_size=Size.SMALL))


class SignInForm(BoundedTextMixin, forms.Form):
    local_passwords_enabled = _yes_no_field(
        "Allow sign-in with a password?",
        "Turn it off once single sign-on works, so everyone signs in through the identity provider.",
    )
    oidc_issuer = forms.URLField(
        label="Identity provider (issuer URL)",
        help_text="The OpenID Connect issuer, for example https://login.microsoftonline.com/<tenant>/v2.0. "
        "Leave blank for no single sign-on.",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter the issuer as a web address starting https://"},
    )
    oidc_client_id = forms.CharField(
        label="Client ID", required=False, max_length=200, help_text="From the identity provider."
    )
    oidc_client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    remove_client_secret = forms.BooleanField(label="Remove the stored client secret", required=False)
    oidc_claim = forms.CharField(
        label="Claim that identifies a person",
        help_text="The ID token claim read at sign-in, for example email, preferred_username or employee_id.",
        max_length=100,
        error_messages={"required": "Enter the claim that identifies a person, for example email"},
    )
    oidc_matches = forms.ChoiceField(
        label="The claim holds",
        choices=Organisation._meta.get_field("oidc_matches").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the claim holds"},
    )

    def __init__(self, *args: Any, secret_stored: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.secret_stored = secret_stored
        secret = self.fields["oidc_client_secret"]
        secret.help_text = (
            "A secret is stored; it is never shown. Leave blank to keep it, or type a new one to replace it."
            if secret_stored
            else "No secret is stored. It is never shown once saved."
        )
        fields: list[Any] = [
            Field.radios("local_passwords_enabled", legend_size=Size.SMALL, inline=True),
            Fieldset(
                Field.text("oidc_issuer"),
                Field.text("oidc_client_id", field_width=20),
                Field.text("oidc_client_secret", field_width=20),
                *([Field.checkbox("remove_client_secret")] if secret_stored else []),
                Field.text("oidc_claim", field_width=20),
                Field.radios("oidc_matches", legend_size=Size.SMALL),
                legend="Single sign-on (OpenID Connect)",
                legend_size=Size.MEDIUM,
            ),
        ]
        if not secret_stored:
            del self.fields["remove_client_secret"]
        self.helper = helper(*fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("remove_client_secret") and data.get("oidc_client_secret"):
            self.add_error(
                "oidc_client_secret", "Either type a new client secret or remove the stored one, not both"
            )
        return data

    def values(self, current_secret: str) -> dict[str, Any]:
        """The settings to save: a blank secret keeps the stored one."""
        data = self.cleaned_data
        secret = data["oidc_client_secret"] or current_secret
        if data.get("remove_client_secret"):
            secret = ""
        return {
            "local_passwords_enabled": data["local_passwords_enabled"],
            "oidc_issuer": data["oidc_issuer"],
            "oidc_client_id": data["oidc_client_id"].strip(),
            "oidc_client_secret": secret,
            "oidc_claim": data["oidc_claim"].strip(),
            "oidc_matches": data["oidc_matches"],
        }


class SubjectAccessOptionForm(BoundedTextMixin, forms.Form):
    officers_may_export_subject_access = _yes_no_field(
        "May performance officers produce subject access exports?",
        "Data protection officers always may. When yes, performance officers may produce a complete "
        "export about anyone in the organisation too.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("officers_may_export_subject_access", legend_size=Size.SMALL, inline=True),
            button="save_option",
        )
