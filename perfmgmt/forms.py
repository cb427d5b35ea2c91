"""Forms for signing in and changing a password, laid out with crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from core.text_limits import BoundedTextMixin
from organisations.selectors.single_sign_on import sso_settings


class SignInForm(BoundedTextMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
        "password_sign_in_off": (
            "%(organisation)s has turned off signing in with a password here. "
            "Use the “Sign in with %(organisation)s’s account” button."
        ),
        "password_sign_in_off_no_sso": (
            "%(organisation)s has turned off signing in with a password here. "
            "Ask your organisation’s administrator how to sign in."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )

    def get_invalid_login_error(self):
        """The right password of a person whose organisation turned passwords off
        (perfmgmt.single_sign_on.backends.PasswordBackend marks the request): say
        so, and where to sign in instead."""
        organisation = getattr(self.request, "password_sign_in_refused", None)
        if organisation is None:
            return super().get_invalid_login_error()
        code = "password_sign_in_off" if sso_settings(organisation).enabled else "password_sign_in_off_no_sso"
        return ValidationError(
            self.error_messages[code], code=code, params={"organisation": organisation.name}
        )


class GdsPasswordChangeForm(BoundedTextMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Button("submit", "Change password"),
        )
