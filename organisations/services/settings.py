"""The organisation's settings, changed by its administrators in the settings area.

Each save validates, writes and records one audit event naming every field it
changed, before and after in words ("Financial year starts: April → January"),
never the client secret's value ("Client secret changed"). A change that moves
flags or figures (a threshold, the year, a supervision interval, which family a
role is in) asks for a recompute of the whole organisation.
"""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import glossary
from core.queueing import request_recompute
from organisations.access import (
    DATA_PROTECTION_OFFICER,
    HR_OFFICER,
    ORGANISATION_ADMIN,
    PERFORMANCE_OFFICER,
    ROLE_LABELS,
)
from organisations.models import AuditEventKind, Employee, JobFamily, JobRole, Organisation
from organisations.services.audit import Change, organisation_event_record

# --- words ---------------------------------------------------------------------

SECRET_FIELDS = frozenset({"oidc_client_secret"})

# Fields whose change moves flags, gaps or stored figures.
RECOMPUTE_FIELDS = frozenset(
    {
        "financial_year_start_month",
        "interim_reliance_threshold",
        "skills_coverage_threshold",
        "interim_day_rate",
        "exception_rule",
        "default_feedback_interval_days",
    }
)

FIELD_LABELS = {
    "financial_year_start_month": "Financial year starts",
    "interim_reliance_threshold": "Interim reliance threshold",
    "skills_coverage_threshold": "Skills coverage threshold",
    "interim_day_rate": "Interim day rate",
    "exception_rule": "What counts as an exception",
    "default_feedback_interval_days": "Days between supervision sessions (organisation default)",
    "session_retention_years": "Session notes kept after a person leaves",
    "public_page_enabled": "Public performance page",
    "local_passwords_enabled": "Sign-in with a password",
    "oidc_issuer": "Identity provider (issuer URL)",
    "oidc_client_id": "Client ID",
    "oidc_client_secret": "Client secret",
    "oidc_claim": "Claim that identifies a person",
    "oidc_matches": "The claim holds",
    "officers_may_export_subject_access": "Performance officers may produce subject access exports",
    "feedback_attribution": "How feedback from colleagues is released",
    "results_validated_by": "Who signs off KPI results",
}


def month_name(month: int) -> str:
    return calendar.month_name[month]


def days_words(days: int | None, blank: str = "the organisation's default") -> str:
    if days is None:
        return blank
    return "1 day" if days == 1 else f"{days} days"


def percent_words(value: Decimal | None) -> str:
    return "(blank)" if value is None else f"{value.normalize():f}%"


def money_words(value: Decimal | None, blank: str = "(blank)") -> str:
    """£450 or £450.50: pounds, with pence only when there are some."""
    return blank if value is None else glossary.money(value)


def value_words(name: str, value: Any) -> str:
    """A setting's value as the settings pages and the audit trail say it."""
    if name == "financial_year_start_month":
        return month_name(value)
    if name in ("interim_reliance_threshold", "skills_coverage_threshold"):
        return percent_words(value)
    if name == "exception_rule":
        label = str(dict(glossary.EXCEPTION_RULE_CHOICES).get(value, value))
        return label.removesuffix(" (the default)")
    if name == "default_feedback_interval_days":
        return days_words(value)
    if name == "interim_day_rate":
        return money_words(value)
    if name == "session_retention_years":
        return "1 year" if value == 1 else f"{value} years"
    if name in ("public_page_enabled", "local_passwords_enabled"):
        return "On" if value else "Off"
    if name == "officers_may_export_subject_access":
        return "Yes" if value else "No"
    if name == "feedback_attribution":
        return dict(Organisation._meta.get_field("feedback_attribution").choices).get(value, value)
    if name == "results_validated_by":
        return dict(Organisation._meta.get_field("results_validated_by").choices).get(value, value)
    if name == "oidc_matches":
        return dict(Organisation._meta.get_field("oidc_matches").choices).get(value, value)
    if value in (None, ""):
        return "(blank)"
    return str(value)


def _field_change(name: str, old: Any, new: Any) -> Change:
    label = FIELD_LABELS.get(name, name)
    if name in SECRET_FIELDS:
        if not new:
            return (f"{label} removed", "", "")
        return (f"{label} {'changed' if old else 'set'}", "", "")
    return (label, value_words(name, old), value_words(name, new))


# --- the organisation's own fields ------------------------------------------------


def _check_sign_in(org: Organisation) -> None:
    errors: dict[str, str] = {}
    if not org.local_passwords_enabled and not org.oidc_issuer:
        errors["local_passwords_enabled"] = (
            "Single sign-on is not set up: enter the identity provider's issuer URL before turning "
            "sign-in with a password off, or nobody could sign in"
        )
    if org.oidc_issuer and not org.oidc_client_id:
        errors["oidc_client_id"] = "Enter the client ID the identity provider gave you"
    if org.oidc_issuer and not org.oidc_claim:
        errors["oidc_claim"] = "Enter the claim that identifies a person, for example email"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_settings_update(
    *, organisation: Organisation, by: Employee, values: dict[str, Any]
) -> list[Change]:
    """Set ``values`` (field name → new value) on ``organisation`` and record what
    changed; returns the changes (none: nothing saved, nothing recorded)."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed: list[str] = []
    changes: list[Change] = []
    for name, new in values.items():
        if name not in FIELD_LABELS:
            raise ValueError(f"{name} is not a setting")
        old = getattr(org, name)
        if old != new:
            changed.append(name)
            changes.append(_field_change(name, old, new))
            setattr(org, name, new)
    if not changed:
        return []
    org.full_clean()
    _check_sign_in(org)
    org.save(update_fields=changed)
    for name in changed:
        setattr(organisation, name, getattr(org, name))
    organisation_event_record(
        kind=AuditEventKind.SETTINGS_CHANGED, actor=by, organisation=organisation, changes=changes
    )
    if RECOMPUTE_FIELDS.intersection(changed):
        request_recompute(organisation.pk)
    return changes


# --- job families -----------------------------------------------------------------


def _family_record(*, by: Employee, organisation: Organisation, changes: list[Change]) -> None:
    organisation_event_record(
        kind=AuditEventKind.JOB_FAMILIES_CHANGED, actor=by, organisation=organisation, changes=changes
    )


def _name_taken(organisation: Organisation, name: str, exclude: int | None = None) -> bool:
    qs = JobFamily.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def job_family_create(
    *, organisation: Organisation, by: Employee, name: str, feedback_interval_days: int | None
) -> JobFamily:
    name = name.strip()
    if _name_taken(organisation, name):
        raise ValidationError({"name": f"There is already a job family called {name}"})
    family = JobFamily(organisation=organisation, name=name, feedback_interval_days=feedback_interval_days)
    family.full_clean()
    family.save()
    _family_record(
        by=by,
        organisation=organisation,
        changes=[(f"Job family {name} added", "", days_words(feedback_interval_days))],
    )
    return family


@transaction.atomic
def job_family_update(
    *, family: JobFamily, by: Employee, name: str, feedback_interval_days: int | None
) -> list[Change]:
    name = name.strip()
    if _name_taken(family.organisation, name, exclude=family.pk):
        raise ValidationError({"name": f"There is already a job family called {name}"})
    changes: list[Change] = []
    if family.name != name:
        changes.append((f"Job family {family.name}: name", family.name, name))
    if family.feedback_interval_days != feedback_interval_days:
        changes.append(
            (
                f"Job family {name}: days between supervision sessions",
                days_words(family.feedback_interval_days),
                days_words(feedback_interval_days),
            )
        )
    if not changes:
        return []
    interval_changed = family.feedback_interval_days != feedback_interval_days
    family.name, family.feedback_interval_days = name, feedback_interval_days
    family.full_clean()
    family.save()
    _family_record(by=by, organisation=family.organisation, changes=changes)
    if interval_changed and family.job_roles.exists():
        request_recompute(family.organisation_id)
    return changes


def job_family_in_use(family: JobFamily) -> bool:
    return family.job_roles.exists()


@transaction.atomic
def job_family_delete(*, family: JobFamily, by: Employee) -> None:
    """Delete a family no job role belongs to (move its roles out first)."""
    if job_family_in_use(family):
        raise ValidationError(
            f"{family.name} still has job roles: move them to another family, or to none, before deleting it"
        )
    _family_record(
        by=by,
        organisation=family.organisation,
        changes=[(f"Job family {family.name} deleted", days_words(family.feedback_interval_days), "")],
    )
    family.delete()


@transaction.atomic
def job_role_families_set(
    *, organisation: Organisation, by: Employee, families: dict[int, int | None]
) -> list[Change]:
    """Put each job role (by id) in a family (by id, or None for none): one audit
    event for the lot, naming each role that moved."""
    roles = {r.pk: r for r in JobRole.objects.filter(organisation=organisation, pk__in=families)}
    names = dict(JobFamily.objects.filter(organisation=organisation).values_list("pk", "name"))
    changes: list[Change] = []
    moved: list[JobRole] = []
    for pk, family_id in families.items():
        role = roles.get(pk)
        if role is None:
            raise ValidationError("One of the job roles is not in this organisation")
        if family_id is not None and family_id not in names:
            raise ValidationError(f"Choose a job family of this organisation for {role.title}")
        if role.job_family_id != family_id:
            changes.append(
                (
                    f"{role.title}: job family",
                    names.get(role.job_family_id, "None"),
                    names.get(family_id, "None"),
                )
            )
            role.job_family_id = family_id
            moved.append(role)
    if not moved:
        return []
    JobRole.objects.bulk_update(moved, ["job_family"])
    _family_record(by=by, organisation=organisation, changes=changes)
    request_recompute(organisation.pk)
    return changes


# --- roles ------------------------------------------------------------------------

# The roles the settings area gives and takes away, and the employee field of each.
ROLE_FIELDS = {
    ORGANISATION_ADMIN: "is_organisation_admin",
    PERFORMANCE_OFFICER: "is_performance_officer",
    DATA_PROTECTION_OFFICER: "is_data_protection_officer",
    HR_OFFICER: "is_hr_officer",
}


def role_holders(organisation: Organisation, role: str):
    return Employee.objects.filter(organisation=organisation, active=True, **{ROLE_FIELDS[role]: True})


@transaction.atomic
def role_grant(*, employee: Employee, role: str, by: Employee) -> bool:
    """Give ``employee`` the role; False when they already hold it."""
    field = ROLE_FIELDS[role]
    if not employee.active:
        raise ValidationError({"employee": f"{employee.full_name} has left: choose someone still in post"})
    if getattr(employee, field):
        return False
    setattr(employee, field, True)
    employee.save(update_fields=[field])
    organisation_event_record(
        kind=AuditEventKind.ROLE_GRANTED,
        actor=by,
        organisation=employee.organisation,
        subject=employee,
        changes=[(f"{ROLE_LABELS[role]}: {employee.full_name}", "No", "Yes")],
    )
    return True


@transaction.atomic
def role_revoke(*, employee: Employee, role: str, by: Employee) -> bool:
    """Take the role away; False when they do not hold it. The last organisation
    administrator keeps theirs: without one nobody could change the settings."""
    field = ROLE_FIELDS[role]
    if not getattr(employee, field):
        return False
    if role == ORGANISATION_ADMIN:
        # Lock the administrators so two revocations at once cannot leave none.
        others = list(
            role_holders(employee.organisation, role).exclude(pk=employee.pk).select_for_update().values("pk")
        )
        if not others:
            raise ValidationError(
                f"{employee.full_name} is the only organisation administrator: give someone else the role "
                "before taking it away, or nobody could change the settings"
            )
    setattr(employee, field, False)
    employee.save(update_fields=[field])
    organisation_event_record(
        kind=AuditEventKind.ROLE_REVOKED,
        actor=by,
        organisation=employee.organisation,
        subject=employee,
        changes=[(f"{ROLE_LABELS[role]}: {employee.full_name}", "Yes", "No")],
    )
    return True
