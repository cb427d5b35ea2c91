"""My skills: levels from manager and self ratings, the self-assessment, history."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import RatingSource, SkillRating
from core import clock
from organisations.models import Employee, SkillRequirement
from tests.conftest import client_for
from tests.insights.skills_data import build_skills, rate
from tests.organisations.skill_factories import SkillFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_date]
URL = "/my/skills/"


@pytest.fixture
def sw(world):
    return build_skills(world)


def rows_by_skill(response):
    return {row["requirement"].skill.name: row for row in response.context["rows"]}


def test_url_name():
    assert reverse("appraisals:my_skills") == URL


def test_manager_and_self_ratings_shown_apart_and_the_manager_sets_the_level(world, sw):
    response = client_for(world.peer).get(URL)
    rows = rows_by_skill(response)
    locata = rows["Locata case management"]
    assert locata["manager"].level == 1 and locata["self"].level == 3
    assert locata["current"] == 1 and locata["current_source"] == "manager" and locata["gap"] == 2
    calm = rows["De-escalation"]
    assert calm["manager"] is None and calm["self"].level == 2 and calm["gap"] == 0
    html = response.content.decode()
    assert "2 levels short" in html and "Not rated" in html and "Met" in html
    assert "below the required level" in html


def test_never_rated_is_level_zero(world, sw):
    rows = rows_by_skill(client_for(world.staff).get(URL))
    assert rows["De-escalation"]["current"] == 0 and rows["De-escalation"]["gap"] == 2
    assert rows["De-escalation"]["current_source"] == ""


def test_self_assessment_records_only_changed_levels(world, sw, django_capture_on_commit_callbacks):
    client = client_for(world.peer)
    data = {
        f"skill_{sw.locata.pk}": "3",  # unchanged from the last self-assessment
        f"skill_{sw.law.pk}": "2",  # first self-assessment
        f"skill_{sw.calm.pk}": "1",  # changed
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    made = SkillRating.objects.filter(employee=world.peer, rated_on=clock.today(), source=RatingSource.SELF)
    assert {(r.skill.name, r.level, r.rated_by_id) for r in made} == {
        ("Homelessness law", 2, world.peer.pk),
        ("De-escalation", 1, world.peer.pk),
    }
    assert len(callbacks) == 1
    assert "2 skill levels updated" in client.get(URL).content.decode()
    # The manager's rating still sets the level for law.
    rows = rows_by_skill(client.get(URL))
    assert rows["Homelessness law"]["current"] == 1 and rows["Homelessness law"]["self"].level == 2


def test_resubmitting_changes_nothing(world, sw):
    client = client_for(world.peer)
    data = {f"skill_{sw.locata.pk}": "3", f"skill_{sw.calm.pk}": "2"}
    client.post(URL, data)
    assert not SkillRating.objects.filter(employee=world.peer, rated_on=clock.today()).exists()
    assert "No changes to save" in client.get(URL).content.decode()


def test_the_form_starts_from_my_last_self_assessment(world, sw):
    form = client_for(world.peer).get(URL).context["form"]
    assert form[f"skill_{sw.locata.pk}"].value() == 3
    assert form[f"skill_{sw.law.pk}"].value() is None  # never self-assessed


def test_an_invalid_level_is_reported_and_other_answers_kept(world, sw):
    client = client_for(world.peer)
    response = client.post(URL, {f"skill_{sw.locata.pk}": "9", f"skill_{sw.calm.pk}": "4"})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: My skills" in html
    assert html.count("Choose a level from 0 to 4 for Locata case management.") == 2
    assert f'href="#id_skill_{sw.locata.pk}_1"' in html
    assert response.context["form"][f"skill_{sw.calm.pk}"].value() == "4"  # kept
    checked = re.search(rf'<input[^>]*name="skill_{sw.calm.pk}"[^>]*value="4"[^>]*>', html).group(0)
    assert "checked" in checked
    assert not SkillRating.objects.filter(employee=world.peer, rated_on=clock.today()).exists()


def test_a_skill_outside_my_role_cannot_be_rated(world, sw):
    other = SkillFactory(organisation=world.org, name="Not mine")
    client_for(world.peer).post(URL, {f"skill_{other.pk}": "4"})
    assert not SkillRating.objects.filter(skill=other).exists()


def test_people_without_a_role_are_told_why_there_is_nothing(world, sw):
    html = client_for(world.head).get(URL).content.decode()
    assert "You have no job role set" in html
    assert client_for(world.head).post(URL, {}).status_code == 302


def test_history_lists_every_rating_with_who_gave_it(world, sw):
    html = client_for(world.peer).get(URL).content.decode()
    assert f"{world.manager.full_name} (manager)" in html
    assert "Me (self-assessment)" in html
    assert "My rating history" in html


def test_history_is_paginated(world, sw):
    for i in range(25):
        rate(world.peer, sw.calm, i % 5, on=date(2025, 1, 1) + timedelta(days=i))
    response = client_for(world.peer).get(URL)
    assert len(response.context["page_obj"]) == 20
    assert client_for(world.peer).get(URL + "?page=2").context["page_obj"].number == 2


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_budget_is_the_same_with_more_skills_and_ratings(world, sw):
    # Session, user, viewer (employee + organisation + service + role), navigation
    # roles; then my role's requirements (one) and all my ratings (one).
    client = client_for(world.peer)
    small = _queries(client)
    role = world.peer.job_role
    for i in range(10):
        skill = SkillFactory(organisation=world.org, name=f"More {i}")
        SkillRequirement.objects.create(job_role=role, skill=skill, required_level=2)
        rate(world.peer, skill, 2)
        rate(world.peer, skill, 1, RatingSource.MANAGER, on=date(2025, 3, 1))
    Employee.objects.filter(pk=world.peer.pk).update(job_role=role)
    assert len(client.get(URL).context["rows"]) == 13
    assert _queries(client) == small
