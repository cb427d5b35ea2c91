"""The settings area: organisation administrators change the organisation's
settings, job families and roles; each save is one audit event with every
changed field before and after; everyone else is refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from appraisals.selectors.supervision import cadence_for, most_overdue, with_cadence
from core import clock
from insights.selectors.workforce import staff_figures
from organisations.models import AuditEvent, AuditEventKind, Employee, JobFamily, JobRole, Organisation
from organisations.services.settings import role_grant
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.conftest import client_for
from tests.factories import EmployeeFactory, JobRoleFactory

SECTIONS = [
    "organisations:settings",
    "organisations:settings_year",
    "organisations:settings_cadence",
    "organisations:settings_retention",
    "organisations:settings_public",
    "organisations:settings_sign_in",
    "organisations:settings_roles",
    "organisations:settings_results",
]


@pytest.fixture
def admin(world) -> Employee:
    world.chief.is_organisation_admin = True
    world.chief.save(update_fields=["is_organisation_admin"])
    return world.chief


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


def org_of(world) -> Organisation:
    return Organisation.objects.get(pk=world.org.pk)


def events(kind=AuditEventKind.SETTINGS_CHANGED):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def errors_of(response) -> str:
    text = response.content.decode()
    assert "govuk-error-summary" in text, "no error summary"
    return text


# --- who may ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_is_for_administrators_only(world, admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200
    for persona in (world.staff, world.manager, world.head, world.officer):
        client = client_for(persona)
        assert client.get(reverse(name)).status_code == 403
        assert client.post(reverse(name), {}).status_code in (403, 405)


def test_administrators_see_the_settings_link(world, admin_client):
    url = reverse("organisations:settings")
    assert f'href="{url}"' in admin_client.get(reverse("organisations:kpi_list")).content.decode()
    assert (
        f'href="{url}"'
        not in client_for(world.officer).get(reverse("organisations:kpi_list")).content.decode()
    )


def test_another_organisations_job_family_is_not_found(world, admin_client):
    theirs = JobFamily.objects.create(organisation=world.other_org, name="Theirs", feedback_interval_days=14)
    assert admin_client.get(reverse("organisations:settings_family", args=[theirs.pk])).status_code == 404
    response = admin_client.post(reverse("organisations:settings_family_delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert JobFamily.objects.filter(pk=theirs.pk).exists()


def test_another_organisations_person_cannot_be_given_or_lose_a_role(world, admin_client):
    url = reverse("organisations:settings_roles")
    response = admin_client.post(
        url, {"action": "grant", "role": "organisation_admin", "employee": world.outsider.pk}
    )
    assert response.status_code == 200
    assert "Choose a person from the list" in errors_of(response)
    world.outsider.refresh_from_db()
    assert not world.outsider.is_organisation_admin
    response = admin_client.post(
        url, {"action": "revoke", "role": "performance_officer", "employee": world.outsider.pk}
    )
    assert response.status_code == 404


# --- the landing page -----------------------------------------------------------


def test_landing_page_says_each_value_in_words(world, admin_client):
    JobFamily.objects.create(organisation=world.org, name="Social work", feedback_interval_days=28)
    text = admin_client.get(reverse("organisations:settings")).content.decode()
    assert "Financial year starts in April" in text
    assert "Social work 28 days" in text
    assert "Published" in text
    assert "Organisation administrator: 1" in text
    for name in SECTIONS[1:]:
        assert f'href="{reverse(name)}"' in text


def test_landing_page_queries_are_bounded(world, admin, admin_client, django_assert_max_num_queries):
    # session, user, viewer's employee, job families with their roles counted,
    # the holders of every role, the service tree and whether the viewer manages
    # anyone (navigation), and the session's expiry refreshed (savepoint, update,
    # release): 10 at 2 families and administrators as at 22.
    def families_and_admins(n: int, start: int) -> None:
        for i in range(start, start + n):
            family = JobFamily.objects.create(
                organisation=world.org, name=f"Family {i}", feedback_interval_days=20
            )
            JobRoleFactory(organisation=world.org, title=f"Role {i}", job_family=family)
            EmployeeFactory(organisation=world.org, service=world.team, is_organisation_admin=True)

    families_and_admins(2, 0)
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("organisations:settings")).status_code == 200
    families_and_admins(20, 2)
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("organisations:settings")).status_code == 200


# --- year and thresholds --------------------------------------------------------


def test_year_and_thresholds_save_and_are_audited(world, admin, admin_client):
    url = reverse("organisations:settings_year")
    response = admin_client.post(
        url,
        {
            "financial_year_start_month": "1",
            "interim_reliance_threshold": "25",
            "skills_coverage_threshold": "60",
            "interim_day_rate": "525.50",
            "exception_rule": "red",
        },
        follow=True,
    )
    assert "Settings saved." in response.content.decode()
    org = org_of(world)
    assert org.financial_year_start_month == 1
    assert org.interim_reliance_threshold == Decimal("25")
    assert org.interim_day_rate == Decimal("525.50")
    assert org.exception_rule == "red"
    (event,) = events()
    assert event.actor == admin and event.subject is None
    assert event.changes == [
        ["Financial year starts", "April", "January"],
        ["Interim reliance threshold", "20%", "25%"],
        ["Interim day rate", "£450", "£525.50"],
        ["What counts as an exception", "Red, or amber and worsening", "Red only"],
    ]
    assert "Financial year starts: April → January" in event.detail


def test_year_and_thresholds_errors_are_next_to_their_fields(world, admin_client):
    url = reverse("organisations:settings_year")
    response = admin_client.post(
        url,
        {
            "financial_year_start_month": "13",
            "interim_reliance_threshold": "150",
            "skills_coverage_threshold": "sixty",
            "interim_day_rate": "-1",
            "exception_rule": "red",
        },
    )
    assert response.status_code == 200
    text = errors_of(response)
    assert "Choose a month from the list, January to December" in text
    assert "The interim day rate must be 0 or more" in text
    assert "must be 100 or less: it is a percentage" in text
    assert "as a number, like 20" in text
    assert 'href="#id_interim_reliance_threshold"' in text
    assert 'id="id_interim_reliance_threshold-error"' in text or "govuk-error-message" in text
    assert 'value="150"' in text  # what was typed is kept
    assert "<title>Error: " in text
    assert org_of(world).interim_reliance_threshold == Decimal("20")
    assert not events()


def test_saving_unchanged_settings_records_nothing(world, admin_client):
    org = org_of(world)
    response = admin_client.post(
        reverse("organisations:settings_year"),
        {
            "financial_year_start_month": str(org.financial_year_start_month),
            "interim_reliance_threshold": str(org.interim_reliance_threshold),
            "skills_coverage_threshold": str(org.skills_coverage_threshold),
            "interim_day_rate": str(org.interim_day_rate),
            "exception_rule": org.exception_rule,
        },
        follow=True,
    )
    assert "Nothing changed" in response.content.decode()
    assert not events()


# --- retention and the public page --------------------------------------------------


def test_retention_saves_and_refuses_zero(world, admin_client):
    url = reverse("organisations:settings_retention")
    assert "at least 1 year" in errors_of(admin_client.post(url, {"session_retention_years": "0"}))
    admin_client.post(url, {"session_retention_years": "7"})
    assert org_of(world).session_retention_years == 7
    assert events()[0].changes == [["Session notes kept after a person leaves", "6 years", "7 years"]]


def test_public_page_is_not_found_when_turned_off(world, admin_client):
    from tests.insights.factories import KPIFactory, KPIResultFactory

    kpi = KPIFactory(service=world.service, name="Homes let", published=True)
    KPIResultFactory(kpi=kpi, period_end=clock.today().replace(day=1) - timedelta(days=1))
    public = reverse("insights:public_performance", args=[world.org.slug])
    service_page = reverse("insights:public_service", args=[world.org.slug, world.service.pk])
    anonymous = Client()
    assert anonymous.get(public).status_code == 200
    assert anonymous.get(service_page).status_code == 200

    settings_page = admin_client.get(reverse("organisations:settings_public")).content.decode()
    assert f"http://testserver{public}" in settings_page
    assert (
        "choose yes or no"
        in errors_of(admin_client.post(reverse("organisations:settings_public"), {})).lower()
    )
    admin_client.post(reverse("organisations:settings_public"), {"public_page_enabled": "no"})
    assert not org_of(world).public_page_enabled
    assert anonymous.get(public).status_code == 404
    assert anonymous.get(service_page).status_code == 404
    assert events()[0].changes == [["Public performance page", "On", "Off"]]

    admin_client.post(reverse("organisations:settings_public"), {"public_page_enabled": "yes"})
    assert anonymous.get(public).status_code == 200


def test_who_signs_off_results_is_chosen_and_lets_heads_of_service_sign_off(world, admin_client):
    from organisations.access import Viewer
    from tests.insights.factories import KPIFactory

    kpi = KPIFactory(service=world.service, name="Homes let")
    url = reverse("organisations:settings_results")
    assert "Choose who signs off KPI results" in errors_of(admin_client.post(url, {}))
    assert not Viewer(world.service_head).can_sign_off_kpi(kpi)
    admin_client.post(url, {"results_validated_by": "head"})
    assert org_of(world).results_validated_by == "head"
    assert events()[0].changes == [
        [
            "Who signs off KPI results",
            "A performance officer",
            "The head of the KPI's service (or a performance officer)",
        ]
    ]
    world.service_head.refresh_from_db()
    assert Viewer(world.service_head).can_sign_off_kpi(kpi)
    assert not Viewer(world.staff).can_sign_off_kpi(kpi)


# --- sign-in ----------------------------------------------------------------------

SIGN_IN = {
    "local_passwords_enabled": "yes",
    "oidc_issuer": "https://login.example.org/tenant/v2.0",
    "oidc_client_id": "perf-client",
    "oidc_client_secret": "s3cret-value",
    "oidc_claim": "email",
    "oidc_matches": "email",
}


def test_sign_in_stores_the_secret_and_never_shows_it(world, admin_client):
    url = reverse("organisations:settings_sign_in")
    admin_client.post(url, SIGN_IN)
    org = org_of(world)
    assert org.oidc_client_secret == "s3cret-value"
    assert org.oidc_issuer == SIGN_IN["oidc_issuer"]
    page = admin_client.get(url).content.decode()
    assert "s3cret-value" not in page
    assert "A secret is stored" in page
    (event,) = events()
    assert ["Client secret set", "", ""] in event.changes
    assert "s3cret-value" not in event.detail + str(event.changes)

    # Blank keeps the stored secret.
    admin_client.post(url, {**SIGN_IN, "oidc_client_secret": "", "oidc_claim": "preferred_username"})
    assert org_of(world).oidc_client_secret == "s3cret-value"
    assert events()[-1].changes == [["Claim that identifies a person", "email", "preferred_username"]]

    # A new one replaces it: recorded as changed, without either value.
    admin_client.post(url, {**SIGN_IN, "oidc_client_secret": "n3w-value"})
    assert org_of(world).oidc_client_secret == "n3w-value"
    assert ["Client secret changed", "", ""] in events()[-1].changes
    assert "n3w-value" not in events()[-1].detail

    # Remove.
    admin_client.post(url, {**SIGN_IN, "oidc_client_secret": "", "remove_client_secret": "on"})
    assert org_of(world).oidc_client_secret == ""
    assert ["Client secret removed", "", ""] in events()[-1].changes


def test_passwords_cannot_be_turned_off_without_an_identity_provider(world, admin_client):
    url = reverse("organisations:settings_sign_in")
    response = admin_client.post(
        url, {**SIGN_IN, "local_passwords_enabled": "no", "oidc_issuer": "", "oidc_client_id": ""}
    )
    text = errors_of(response)
    assert "before turning sign-in with a password off" in text
    assert 'href="#id_local_passwords_enabled_1"' in text
    assert org_of(world).local_passwords_enabled
    assert not events()
    # With an issuer, they can.
    admin_client.post(url, {**SIGN_IN, "local_passwords_enabled": "no"})
    assert not org_of(world).local_passwords_enabled


def test_sign_in_refuses_a_bad_issuer(world, admin_client):
    response = admin_client.post(
        reverse("organisations:settings_sign_in"), {**SIGN_IN, "oidc_issuer": "not a url"}
    )
    assert "Enter the issuer as a web address" in errors_of(response)


# --- supervision cadence by job family ------------------------------------------------


def test_cadence_page_says_where_the_28_day_standard_applies(world, admin_client):
    text = admin_client.get(reverse("organisations:settings_cadence")).content.decode()
    assert "applies to social work and to newly qualified social workers, not to everyone" in text


def test_job_families_added_renamed_and_deleted_when_unused(world, admin_client):
    url = reverse("organisations:settings_cadence")
    response = admin_client.post(
        url, {"action": "add_family", "name": "Social work", "feedback_interval_days": "28"}
    )
    assert response.status_code == 302
    family = JobFamily.objects.get(organisation=world.org)
    assert family.feedback_interval_days == 28
    assert "already a job family" in errors_of(
        admin_client.post(url, {"action": "add_family", "name": "social work", "feedback_interval_days": ""})
    )
    assert "366 days or fewer" in errors_of(
        admin_client.post(url, {"action": "add_family", "name": "Other", "feedback_interval_days": "400"})
    )

    edit = reverse("organisations:settings_family", args=[family.pk])
    admin_client.post(edit, {"name": "Social work (adults)", "feedback_interval_days": ""})
    family.refresh_from_db()
    assert (family.name, family.feedback_interval_days) == ("Social work (adults)", None)
    kinds = events(AuditEventKind.JOB_FAMILIES_CHANGED)
    assert kinds[-1].changes == [
        ["Job family Social work: name", "Social work", "Social work (adults)"],
        [
            "Job family Social work (adults): days between supervision sessions",
            "28 days",
            "the organisation's default",
        ],
    ]

    # In use: not deleted.
    world.staff.job_role.job_family = family
    world.staff.job_role.save()
    response = admin_client.post(
        reverse("organisations:settings_family_delete", args=[family.pk]), follow=True
    )
    assert "still has job roles" in response.content.decode()
    assert JobFamily.objects.filter(pk=family.pk).exists()
    JobRole.objects.filter(pk=world.staff.job_role_id).update(job_family=None)
    admin_client.post(reverse("organisations:settings_family_delete", args=[family.pk]))
    assert not JobFamily.objects.filter(pk=family.pk).exists()
    assert "deleted" in events(AuditEventKind.JOB_FAMILIES_CHANGED)[-1].detail


def test_roles_are_put_in_families_in_one_form(world, admin_client):
    social = JobFamily.objects.create(organisation=world.org, name="Social work", feedback_interval_days=28)
    other_role = JobRoleFactory(organisation=world.org, title="Social Worker")
    url = reverse("organisations:settings_cadence")
    roles = {f"role_{r.pk}": "" for r in JobRole.objects.filter(organisation=world.org)}
    theirs = JobFamily.objects.create(organisation=world.other_org, name="Theirs")
    response = admin_client.post(url, {"action": "roles", **roles, f"role_{other_role.pk}": str(theirs.pk)})
    assert "Choose a job family from the list for Social Worker" in errors_of(response)
    admin_client.post(url, {"action": "roles", **roles, f"role_{other_role.pk}": str(social.pk)})
    other_role.refresh_from_db()
    assert other_role.job_family == social
    (event,) = events(AuditEventKind.JOB_FAMILIES_CHANGED)
    assert event.changes == [["Social Worker: job family", "None", "Social work"]]


def test_default_interval_errors_and_saves(world, admin_client):
    url = reverse("organisations:settings_cadence")
    text = errors_of(admin_client.post(url, {"action": "default", "default_feedback_interval_days": "0"}))
    assert "must be at least 1 day" in text
    admin_client.post(url, {"action": "default", "default_feedback_interval_days": "42"})
    assert org_of(world).default_feedback_interval_days == 42
    assert events()[0].changes == [
        ["Days between supervision sessions (organisation default)", "28 days", "42 days"]
    ]


def test_supervision_cadence_follows_the_job_family(world):
    """A social work family at 28 days and an organisation default of 42: a social
    worker last seen 35 days ago is overdue, a housing officer seen as long ago is
    not; the person's own interval still wins."""
    today = clock.today()
    org = org_of(world)
    org.default_feedback_interval_days = 42
    org.save()
    social = JobFamily.objects.create(organisation=org, name="Social work", feedback_interval_days=28)
    social_role = JobRoleFactory(organisation=org, title="Social Worker", job_family=social)
    social_worker = EmployeeFactory(
        organisation=org, service=world.team, job_role=social_role, line_manager=world.manager
    )
    own_interval = EmployeeFactory(
        organisation=org,
        service=world.team,
        job_role=social_role,
        line_manager=world.manager,
        feedback_interval_days=60,
    )
    people = [social_worker, own_interval, world.staff]  # staff: a housing options officer, no family
    held = today - timedelta(days=35)
    for person in people:
        FeedbackSessionFactory(employee=person, held_on=held)

    ids = [p.pk for p in people]
    cadences = cadence_for(Employee.objects.filter(pk__in=ids), org, today)
    assert cadences[social_worker.pk].interval_days == 28
    assert cadences[social_worker.pk].next_due == held + timedelta(days=28)
    assert cadences[social_worker.pk].days_overdue == 7
    assert cadences[world.staff.pk].interval_days == 42
    assert cadences[world.staff.pk].next_due == held + timedelta(days=42)
    assert not cadences[world.staff.pk].overdue
    assert cadences[own_interval.pk].interval_days == 60

    # The database's rule agrees: due dates, the overdue list and the counts.
    annotated = {e.pk: e for e in with_cadence(Employee.objects.filter(pk__in=ids), org, today)}
    assert {pk: e.due for pk, e in annotated.items()} == {pk: c.next_due for pk, c in cadences.items()}
    overdue = most_overdue(Employee.objects.filter(pk__in=ids), org, today, limit=10)
    assert [c.employee.pk for c in overdue] == [social_worker.pk]
    _workforce, supervision = staff_figures(Employee.objects.filter(pk__in=ids), org, today)
    assert supervision[world.team.pk].total == 3
    assert supervision[world.team.pk].in_date == 2

    # Blank the family's interval: the organisation's default applies again.
    social.feedback_interval_days = None
    social.save()
    assert (
        cadence_for(Employee.objects.filter(pk=social_worker.pk), org, today)[social_worker.pk].interval_days
        == 42
    )


# --- roles ------------------------------------------------------------------------


def test_a_role_is_given_and_taken_away_with_an_audit_event(world, admin, admin_client):
    url = reverse("organisations:settings_roles")
    # Find by name, without JavaScript: the select lists who was found.
    found = admin_client.get(url, {"q": "Peer"}).content.decode()
    assert f'value="{world.peer.pk}"' in found
    assert f'value="{world.staff.pk}"' not in found
    response = admin_client.post(
        url, {"action": "grant", "role": "hr_officer", "employee": world.peer.pk}, follow=True
    )
    assert "Pat Peer is now an HR officer." in response.content.decode()
    world.peer.refresh_from_db()
    assert world.peer.is_hr_officer
    (event,) = events(AuditEventKind.ROLE_GRANTED)
    assert event.subject == world.peer and event.actor == admin
    assert event.changes == [["HR officer: Pat Peer", "No", "Yes"]]

    admin_client.post(url, {"action": "revoke", "role": "hr_officer", "employee": world.peer.pk})
    world.peer.refresh_from_db()
    assert not world.peer.is_hr_officer
    assert events(AuditEventKind.ROLE_REVOKED)[0].changes == [["HR officer: Pat Peer", "Yes", "No"]]


def test_grant_errors_are_next_to_the_fields(world, admin_client):
    response = admin_client.post(reverse("organisations:settings_roles"), {"action": "grant"})
    text = errors_of(response)
    assert "Choose the person to give the role to" in text
    assert "Choose the role to give" in text


def test_an_employee_number_finds_the_person(world, admin_client):
    world.staff.employee_number = "E1234"
    world.staff.save()
    found = admin_client.get(reverse("organisations:settings_roles"), {"q": "E1234"}).content.decode()
    assert f'value="{world.staff.pk}"' in found
    assert f'value="{world.peer.pk}"' not in found


def test_the_last_organisation_administrator_cannot_be_revoked(world, admin, admin_client):
    url = reverse("organisations:settings_roles")
    response = admin_client.post(
        url, {"action": "revoke", "role": "organisation_admin", "employee": admin.pk}
    )
    assert response.status_code == 400
    assert "the only organisation administrator" in errors_of(response)
    admin.refresh_from_db()
    assert admin.is_organisation_admin
    assert not events(AuditEventKind.ROLE_REVOKED)

    # With a second administrator, the first may step down.
    role_grant(employee=world.head, role="organisation_admin", by=admin)
    admin_client.post(url, {"action": "revoke", "role": "organisation_admin", "employee": admin.pk})
    admin.refresh_from_db()
    assert not admin.is_organisation_admin
    assert client_for(admin).get(url).status_code == 403


def test_officers_subject_access_option(world, admin_client):
    url = reverse("organisations:settings_roles")
    admin_client.post(url, {"action": "option", "officers_may_export_subject_access": "yes"})
    assert org_of(world).officers_may_export_subject_access
    assert events()[0].changes == [["Performance officers may produce subject access exports", "No", "Yes"]]


# --- the audit trail --------------------------------------------------------------


def test_the_settings_history_shows_each_change_before_and_after(world, admin, admin_client):
    admin_client.post(reverse("organisations:settings_retention"), {"session_retention_years": "8"})
    admin_client.post(
        reverse("organisations:settings_roles"),
        {"action": "grant", "role": "hr_officer", "employee": world.peer.pk},
    )
    history = reverse("insights:history", args=["organisations.organisation", world.org.pk])
    text = admin_client.get(history).content.decode()
    assert "Organisation settings changed" in text
    assert "Session notes kept after a person leaves" in text
    assert "6 years" in text and "8 years" in text
    assert "HR officer: Pat Peer" in text
    assert client_for(world.officer).get(history).status_code == 403
    other = reverse("insights:history", args=["organisations.organisation", world.other_org.pk])
    assert admin_client.get(other).status_code == 404


@pytest.mark.parametrize("name", SECTIONS)
def test_no_id_is_used_twice_on_a_page(world, admin_client, name):
    """Pages of several forms (supervision cadence, roles) keep every id unique,
    so each label and error link reaches its own field."""
    import re
    from collections import Counter

    JobFamily.objects.create(organisation=world.org, name="Social work", feedback_interval_days=28)
    text = admin_client.get(reverse(name)).content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', text)).items() if n > 1]
    assert not repeated
