"""What the sign-in page says when single sign-on does not sign someone in: what
happened and what to do, never the technical cause (that goes to the log)."""

from __future__ import annotations

from organisations.models import Organisation
from organisations.rules.single_sign_on import SsoSettings


def _held(settings: SsoSettings) -> str:
    return "employee number" if settings.matches == "employee_number" else "work email address"


def unknown(organisation: Organisation, settings: SsoSettings, value: str) -> str:
    return (
        f"You signed in to {organisation.name}’s account as {value}, but no one in {organisation.name} "
        f"has that {_held(settings)} in this service. Ask your HR team to check your record."
    )


def ambiguous(organisation: Organisation, settings: SsoSettings, value: str) -> str:
    return (
        f"More than one person in {organisation.name} has the {_held(settings)} {value}, so we cannot "
        "tell which one you are. Ask your HR team to correct the records."
    )


def left(organisation: Organisation) -> str:
    return (
        f"You cannot sign in: {organisation.name}’s records say you have left, or your account is "
        "turned off. If you still work there, ask your HR team."
    )


def no_claim(organisation: Organisation, claim: str) -> str:
    return (
        f"{organisation.name}’s sign-in service did not say who you are (it sent no “{claim}”). "
        "Tell your IT service desk."
    )


def not_confirmed() -> str:
    return (
        "Your sign-in could not be confirmed, so you have not been signed in. Try again; "
        "if it happens again, tell your IT service desk."
    )


def unavailable(organisation: Organisation) -> str:
    return f"{organisation.name}’s sign-in service could not be reached. Try again in a few minutes."


def cancelled(organisation: Organisation) -> str:
    return f"{organisation.name}’s sign-in service did not sign you in. Try again."


def expired() -> str:
    return "Your sign-in took too long or was started in another browser. Try again."
