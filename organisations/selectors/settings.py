"""Reads for the settings area: what each section holds now, in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db.models import Count, Q, QuerySet, Subquery

from organisations.access import ROLE_LABELS
from organisations.models import Employee, JobFamily, JobRole, Organisation
from organisations.services.settings import ROLE_FIELDS, days_words, value_words


@dataclass
class Section:
    title: str
    url_name: str
    summary: str


def families_with_roles(organisation: Organisation) -> list[JobFamily]:
    """The organisation's job families, each with ``role_count``: one query."""
    return list(
        JobFamily.objects.filter(organisation=organisation)
        .annotate(role_count=Count("job_roles"))
        .order_by("name", "pk")
    )


def job_roles(organisation: Organisation) -> list[JobRole]:
    """Every job role with its family: one query."""
    return list(
        JobRole.objects.filter(organisation=organisation).select_related("job_family").order_by("title", "pk")
    )


def role_holders_by_role(organisation: Organisation) -> dict[str, list[Employee]]:
    """{role: the people in post who hold it, by name}: one query."""
    any_role = Q()
    for field in ROLE_FIELDS.values():
        any_role |= Q(**{field: True})
    people = list(
        Employee.objects.filter(any_role, organisation=organisation, active=True)
        .select_related("job_role", "service")
        .order_by("last_name", "first_name", "pk")
    )
    return {role: [p for p in people if getattr(p, field)] for role, field in ROLE_FIELDS.items()}


PEOPLE_LISTED = 50


def people_matching(
    organisation: Organisation, text: str, *, also: int | None = None, limit: int = PEOPLE_LISTED
) -> QuerySet[Employee]:
    """People in post whose name contains each word of ``text``, or whose employee
    number is one of them, by name: the first ``limit`` (a select holds them),
    and the person ``also`` (one already chosen). A queryset, read once."""
    people = Employee.objects.filter(organisation=organisation, active=True)
    for word in text.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(employee_number__iexact=word)
        )
    first = people.order_by("last_name", "first_name", "pk").values("pk")[:limit]
    chosen = Q(pk__in=Subquery(first))
    if also:
        chosen |= Q(pk=also)
    return Employee.objects.filter(chosen, organisation=organisation, active=True).order_by(
        "last_name", "first_name", "pk"
    )


def sign_in_words(org: Organisation) -> str:
    sso = f"single sign-on through {org.oidc_issuer}" if org.oidc_issuer else "no single sign-on"
    passwords = "passwords allowed" if org.local_passwords_enabled else "no passwords"
    return f"{passwords[:1].upper()}{passwords[1:]}; {sso}"


def sections(organisation: Organisation) -> list[Section]:
    """The settings area's sections with a line on each current value: two queries
    (job families with their roles counted, and the holders of each role)."""
    org = organisation
    families = families_with_roles(org)
    with_interval = [f for f in families if f.feedback_interval_days is not None]
    family_words = (
        "; ".join(f"{f.name} {days_words(f.feedback_interval_days)}" for f in with_interval[:3])
        if with_interval
        else "no job family has its own"
    )
    if len(with_interval) > 3:
        family_words += f" and {len(with_interval) - 3} more"
    holders = role_holders_by_role(org)
    role_words = "; ".join(f"{ROLE_LABELS[role]}: {len(people)}" for role, people in holders.items())
    return [
        Section(
            "Year and thresholds",
            "organisations:settings_year",
            f"Financial year starts in {value_words('financial_year_start_month', org.financial_year_start_month)}; "
            f"interim reliance above {value_words('interim_reliance_threshold', org.interim_reliance_threshold)}; "
            f"skills coverage below {value_words('skills_coverage_threshold', org.skills_coverage_threshold)}; "
            f"interim day rate {value_words('interim_day_rate', org.interim_day_rate)}; "
            f"exceptions: {org.exception_rule_words}",
        ),
        Section(
            "Supervision cadence",
            "organisations:settings_cadence",
            f"Every {days_words(org.default_feedback_interval_days)} by default; {family_words}",
        ),
        Section(
            "Retention",
            "organisations:settings_retention",
            f"Session notes kept {value_words('session_retention_years', org.session_retention_years)} "
            f"after a person leaves; sign-in records {django_settings.SIGN_IN_LOG_RETENTION_DAYS} days",
        ),
        Section(
            "Public page",
            "organisations:settings_public",
            "Published" if org.public_page_enabled else "Not published",
        ),
        Section("Sign-in", "organisations:settings_sign_in", sign_in_words(org)),
        Section(
            "Feedback from colleagues",
            "organisations:settings_feedback",
            value_words("feedback_attribution", org.feedback_attribution),
        ),
        Section(
            "KPI results sign-off",
            "organisations:settings_results",
            value_words("results_validated_by", org.results_validated_by),
        ),
        Section("Roles", "organisations:settings_roles", role_words),
    ]
