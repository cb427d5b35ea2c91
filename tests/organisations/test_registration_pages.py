"""Registration and mandatory training on the pages: the service dashboard's
compliance figures for a small fixture, the person's section, the forms, the
role's requirements and the course list."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core import clock
from organisations.models import (
    MandatoryCourse,
    ProfessionalRegistration,
    RoleCourseRequirement,
    RoleRegistrationRequirement,
    TrainingRecord,
)
from organisations.rules import registrations as rules
from organisations.selectors.registrations import service_compliance
from tests.conftest import client_for
from tests.factories import EmployeeFactory, JobRoleFactory

pytestmark = pytest.mark.django_db


def _reg(person, days):
    return ProfessionalRegistration.objects.create(
        organisation=person.organisation,
        employee=person,
        body="swe",
        number=f"SW{person.pk}",
        expires_on=clock.today() + timedelta(days=days),
    )


def _done(person, course, days_ago):
    completed = clock.today() - timedelta(days=days_ago)
    return TrainingRecord.objects.create(
        organisation=person.organisation,
        employee=person,
        course=course,
        completed_on=completed,
        expires_on=rules.training_expires_on(completed, course.renewal_months),
    )


@pytest.fixture
def social_work(world):
    """Four social workers in Housing Options' teams (staff, peer, Lee, Nia), one
    in Resources (outside the service) and a leaver; Social Work England and two
    courses required.

    Registration: staff in date, peer expiring in 20 days, Lee lapsed 5 days ago,
    Nia none: 2 of 4 in date. Safeguarding adults (36 months): staff and Nia in
    date, peer lapsed (done four years ago), Lee none: 2 of 4. Information
    governance (12 months): staff only (a lapsed older record and a new one): 1 of 4."""
    w = world
    role = JobRoleFactory(organisation=w.org, title="Social Worker")
    lee = EmployeeFactory(organisation=w.org, service=w.other_team, first_name="Lee", last_name="Lapsed")
    nia = EmployeeFactory(
        organisation=w.org, service=w.team, first_name="Nia", last_name="None", line_manager=w.manager
    )
    outside = EmployeeFactory(organisation=w.org, service=w.corporate, first_name="Out", last_name="Side")
    leaver = EmployeeFactory(organisation=w.org, service=w.team, active=False, first_name="Gone")
    for p in (w.staff, w.peer, lee, nia, outside, leaver):
        p.job_role = role
        p.save()
    RoleRegistrationRequirement.objects.create(job_role=role, body="swe")
    safeguarding = MandatoryCourse.objects.create(
        organisation=w.org, name="Safeguarding adults", renewal_months=36
    )
    ig = MandatoryCourse.objects.create(organisation=w.org, name="Information governance", renewal_months=12)
    for course in (safeguarding, ig):
        RoleCourseRequirement.objects.create(job_role=role, course=course)
    _reg(w.staff, 400)
    _reg(w.peer, 20)
    _reg(lee, -5)
    _reg(outside, -100)
    _reg(leaver, -100)
    _done(w.staff, safeguarding, 100)
    _done(nia, safeguarding, 10)
    _done(w.peer, safeguarding, 4 * 365)
    _done(w.staff, ig, 500)
    _done(w.staff, ig, 30)
    return {"role": role, "lee": lee, "nia": nia, "safeguarding": safeguarding, "ig": ig}


def test_the_compliance_figures_for_a_small_fixture(world, social_work, django_assert_max_num_queries):
    ids = {world.service.pk, world.team.pk, world.other_team.pk}
    with django_assert_max_num_queries(2):
        c = service_compliance(world.org, ids, clock.today())
    assert (c.registration_required, c.registration_in_date, c.registration_percent) == (4, 2, 50.0)
    assert [line.employee.first_name for line in c.lapsed] == ["Lee"]
    assert [line.employee.first_name for line in c.expiring] == [world.peer.first_name]
    assert [line.employee.first_name for line in c.not_recorded] == ["Nia"]
    figures = {f.course.name: (f.required, f.in_date, f.lapsed, f.not_recorded) for f in c.courses}
    assert figures == {"Information governance": (4, 1, 0, 3), "Safeguarding adults": (4, 2, 1, 1)}
    assert [(line.employee.first_name, line.what) for line in c.training_lapsed] == [
        (world.peer.first_name, "Safeguarding adults")
    ]


def test_the_service_dashboard_shows_them_and_lapsed_people_first(world, social_work):
    response = client_for(world.head).get(reverse("insights:service_dashboard", args=[world.service.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "50% (2 of 4 who must be registered)" in html
    warning = html.split('data-testid="lapsed-registrations"')[1].split("</div>")[0]
    assert "Lee Lapsed" in warning and "must not practise" in warning and "Out Side" not in warning
    assert "Safeguarding adults</dt>" in html and "50% in date (2 of 4)" in html
    assert "25% in date (1 of 4)" in html
    assert "Nia None" in html


def test_the_person_page_shows_registration_and_training_to_their_manager(world, social_work):
    html = (
        client_for(world.manager)
        .get(reverse("organisations:person_detail", args=[world.peer.pk]))
        .content.decode()
    )
    assert "Registration and mandatory training" in html
    assert 'govuk-tag--orange">Expiring soon' in html and 'govuk-tag--red">Lapsed' in html
    assert reverse("organisations:registration_add", args=[world.peer.pk]) in html
    # A colleague sees none of it.
    other = (
        client_for(world.staff)
        .get(reverse("organisations:person_detail", args=[world.peer.pk]))
        .content.decode()
    )
    assert "Registration and mandatory training" not in other


def test_a_missing_required_registration_is_a_warning_on_the_person_page(world, social_work):
    html = (
        client_for(world.manager)
        .get(reverse("organisations:person_detail", args=[social_work["nia"].pk]))
        .content.decode()
    )
    assert "requires registration with Social Work England, and none is recorded" in html


def test_a_manager_adds_and_changes_a_registration(world, social_work):
    client = client_for(world.manager)
    url = reverse("organisations:registration_add", args=[social_work["nia"].pk])
    form = " ".join(client.get(url).content.decode().split())
    assert 'value="swe" checked="checked"' in form  # the role's body first
    data = {
        "body": "swe",
        "number": "SW999",
        "expires_on_0": "30",
        "expires_on_1": "11",
        "expires_on_2": "2027",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("#registrations")
    registration = ProfessionalRegistration.objects.get(employee=social_work["nia"])
    assert registration.number == "SW999" and registration.history.first().history_user == world.manager.user
    # A second Social Work England registration is refused next to the field, nothing typed lost.
    again = client.post(url, {**data, "number": "SW1000"})
    html = again.content.decode()
    assert again.status_code == 200 and "already has a Social Work England registration" in html
    assert 'value="SW1000"' in html and "govuk-error-summary" in html
    edit = reverse("organisations:registration_edit", args=[registration.pk])
    client.post(edit, {**data, "expires_on_2": "2028"})
    registration.refresh_from_db()
    assert registration.expires_on.year == 2028
    client.post(edit, {"remove": "1"})
    assert not ProfessionalRegistration.objects.filter(pk=registration.pk).exists()


def test_training_is_recorded_with_its_expiry_and_not_in_the_future(world, social_work):
    client = client_for(world.officer)
    url = reverse("organisations:training_add", args=[social_work["lee"].pk])
    today = clock.today()
    data = {
        "course": social_work["ig"].pk,
        "completed_on_0": today.day,
        "completed_on_1": today.month,
        "completed_on_2": today.year,
    }
    assert client.post(url, data).status_code == 302
    record = TrainingRecord.objects.get(employee=social_work["lee"])
    assert record.expires_on == rules.training_expires_on(today, 12)
    future = client.post(url, {**data, "completed_on_2": today.year + 1})
    assert "must be today or in the past" in future.content.decode()


def test_a_new_renewal_period_moves_every_expiry(world, social_work):
    client = client_for(world.officer)
    course = social_work["safeguarding"]
    response = client.post(
        reverse("organisations:course_edit", args=[course.pk]), {"name": course.name, "renewal_months": "24"}
    )
    assert response.status_code == 302
    for record in TrainingRecord.objects.filter(course=course):
        assert record.expires_on == rules.training_expires_on(record.completed_on, 24)


def test_role_requirements_are_edited_from_the_role_page(world, social_work):
    client = client_for(world.officer)
    role = social_work["role"]
    profile = client.get(reverse("organisations:role_profile", args=[role.pk])).content.decode()
    assert "Social Work England" in profile and "Safeguarding adults (renew every 36 months)" in profile
    response = client.post(
        reverse("organisations:role_compliance", args=[role.pk]),
        {"body": "hcpc", "courses": [social_work["ig"].pk]},
    )
    assert response.status_code == 302
    assert RoleRegistrationRequirement.objects.get(job_role=role).body == "hcpc"
    assert list(
        RoleCourseRequirement.objects.filter(job_role=role).values_list("course__name", flat=True)
    ) == ["Information governance"]
    client.post(reverse("organisations:role_compliance", args=[role.pk]), {"body": "", "courses": []})
    assert not RoleRegistrationRequirement.objects.filter(job_role=role).exists()


def test_the_course_list_names_the_roles_in_two_queries_after_the_page(
    world, social_work, django_assert_max_num_queries
):
    client = client_for(world.staff)
    client.get(reverse("organisations:course_list"))  # warm the session
    with django_assert_max_num_queries(10):
        html = client.get(reverse("organisations:course_list")).content.decode()
    assert "Safeguarding adults" in html and "Social Worker" in html and "36 months" in html
    assert reverse("organisations:course_create") not in html  # staff may read, not change
