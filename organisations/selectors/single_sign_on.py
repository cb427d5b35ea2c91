"""Reads for single sign-on: which organisations offer it, an organisation's
settings (its fields, overridden by the environment: see
``organisations/rules/single_sign_on.py``) and the people a claim names."""

from __future__ import annotations

import os

from django.db.models import Q

from organisations.models import Employee, Organisation
from organisations.rules.single_sign_on import (
    Candidate,
    SsoSettings,
    environment_name,
    environment_slugs,
    sso_settings_from,
)


def _environment() -> dict[str, str]:
    """The one place the OIDC_* environment variables are read (at each call, so a
    change to the environment needs no restart of anything but the process)."""
    return {key: value for key, value in os.environ.items() if key.startswith("OIDC_")}


def sso_settings(organisation: Organisation) -> SsoSettings:
    """The organisation's single sign-on settings. No query."""
    fields = {
        "issuer": organisation.oidc_issuer,
        "client_id": organisation.oidc_client_id,
        "client_secret": organisation.oidc_client_secret,
        "claim": organisation.oidc_claim,
        "matches": organisation.oidc_matches,
    }
    return sso_settings_from(organisation.slug, fields, _environment())


def organisations_with_sso() -> list[tuple[Organisation, SsoSettings]]:
    """The organisations whose people may sign in through their identity provider,
    by name: those with an issuer in their settings or in the environment, and a
    client. One query."""
    environ = _environment()
    named = environment_slugs(environ)
    candidates = Organisation.objects.only(
        "name", "slug", "oidc_issuer", "oidc_client_id", "oidc_client_secret", "oidc_claim", "oidc_matches"
    ).order_by("name")
    if not named:
        candidates = candidates.exclude(oidc_issuer="")
    found = []
    for organisation in candidates:
        if not organisation.oidc_issuer and environment_name(organisation.slug) not in named:
            continue
        settings = sso_settings(organisation)
        if settings.enabled:
            found.append((organisation, settings))
    return found


def organisation_with_sso(slug: str) -> tuple[Organisation, SsoSettings] | None:
    """The organisation of that slug and its settings, when it offers single sign-on. One query."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None
    settings = sso_settings(organisation)
    return (organisation, settings) if settings.enabled else None


def people_named_by(organisation: Organisation, settings: SsoSettings, value: str) -> list[Candidate]:
    """The organisation's people whose work email (ignoring case) or employee
    number, as the settings say, is ``value``. One query."""
    if not value:
        return []
    if settings.matches == "employee_number":
        match = Q(employee_number__iexact=value)
    else:
        match = Q(email__iexact=value)
    rows = (
        Employee.objects.filter(organisation=organisation)
        .filter(match)
        .order_by("-active", "pk")
        .values_list("pk", "active", "user__is_active")
    )
    return [Candidate(pk=pk, active=active, user_active=user_active) for pk, active, user_active in rows]


def person_signing_in(pk: int) -> Employee:
    """The person a sign-in matched, with their account and organisation. One query."""
    return Employee.objects.select_related("user", "organisation").get(pk=pk)


def organisation_of_account(user) -> Organisation | None:
    """The organisation of the person the account belongs to; None for an account
    that is nobody's (an operator's). One query."""
    return Organisation.objects.filter(employees__user=user).first()
