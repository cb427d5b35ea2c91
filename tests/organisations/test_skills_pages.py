"""The skills framework, role profiles and the performance officer's edits."""

import pytest
from django.urls import reverse

from organisations.models import Skill, SkillCategory, SkillRequirement
from tests.conftest import client_for
from tests.insights.skills_data import build_skills
from tests.organisations.skill_factories import SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world):
    return build_skills(world)


def test_framework_shows_skills_by_category_levels_and_roles(world, sw, staff_client):
    html = staff_client.get(reverse("organisations:skills_framework")).content.decode()
    for text in (
        "Locata case management",
        "Digital",
        "Housing law",
        "3 – Practitioner",
        "Recognised authority",
    ):
        assert text in html
    assert (
        "Housing Options Officer" in html
        and reverse("organisations:role_profile", args=[sw.lettings_role.pk]) in html
    )
    assert reverse("organisations:skill_create") not in html  # staff cannot edit
    assert reverse("appraisals:my_skills") in html


def test_framework_offers_editing_and_coverage_to_officers(world, sw, officer_client):
    html = officer_client.get(reverse("organisations:skills_framework")).content.decode()
    assert reverse("organisations:skill_create") in html
    assert reverse("organisations:skill_edit", args=[sw.locata.pk]) in html
    assert reverse("organisations:role_requirements", args=[sw.lettings_role.pk]) in html
    assert reverse("insights:skills_heatmap", args=[world.root.pk]) in html


def test_framework_links_heads_to_their_services_coverage(world, sw, head_client, manager_client):
    html = head_client.get(reverse("organisations:skills_framework")).content.decode()
    assert reverse("insights:skills_heatmap", args=[world.directorate.pk]) in html
    assert reverse("insights:skills_heatmap", args=[world.root.pk]) not in html
    html = manager_client.get(reverse("organisations:skills_framework")).content.decode()
    assert reverse("insights:skills_heatmap", args=[world.team.pk]) in html
    assert reverse("insights:skills_heatmap", args=[world.service.pk]) in html


def test_role_profile_shows_requirements_with_descriptors(world, sw):
    html = client_for(world.peer).get(reverse("organisations:role_profile", args=[world.staff.job_role_id]))
    html = html.content.decode()
    assert "Locata case management" in html and "3 – Practitioner" in html
    assert "Applies it independently in complex cases" in html  # the level 3 descriptor
    assert "Essential" in html and "Desirable" in html
    assert "This is your role" in html
    assert reverse("organisations:role_requirements", args=[world.staff.job_role_id]) not in html


# --- adding and changing skills ---------------------------------------------------


def test_officer_adds_a_skill(world, officer_client):
    response = officer_client.post(
        reverse("organisations:skill_create"),
        {"name": "  Power BI ", "category": SkillCategory.DATA, "description": "Dashboards."},
    )
    skill = Skill.objects.get(organisation=world.org, name="Power BI")
    assert response.status_code == 302 and response["Location"].endswith(f"#skill-{skill.pk}")
    assert skill.history.first().history_user == world.officer.user


def test_a_duplicate_name_is_refused_next_to_the_field_keeping_what_was_typed(world, sw, officer_client):
    response = officer_client.post(
        reverse("organisations:skill_create"),
        {"name": "locata CASE management", "category": SkillCategory.DIGITAL, "description": "My words"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("The framework already has a skill with this name.") == 2  # summary and field
    assert 'href="#id_name"' in html and "<title>Error: " in html
    assert 'value="locata CASE management"' in html and "My words" in html
    assert Skill.objects.filter(organisation=world.org).count() == 4


def test_missing_fields_are_explained(world, officer_client):
    html = officer_client.post(
        reverse("organisations:skill_create"), {"name": "", "category": ""}
    ).content.decode()
    assert "Enter the skill&#x27;s name." in html and "Choose a category." in html


def test_only_officers_may_add_or_change_skills(world, sw):
    for persona in ("staff", "manager", "head", "chief"):
        client = client_for(world.persona(persona))
        assert (
            client.post(reverse("organisations:skill_create"), {"name": "X", "category": "data"}).status_code
            == 403
        )
        edit = reverse("organisations:skill_edit", args=[sw.locata.pk])
        assert client.post(edit, {"name": "X", "category": "data"}).status_code == 403
    assert not Skill.objects.filter(name="X").exists()


def test_an_officer_of_another_organisation_adds_to_their_own_framework(world, sw):
    client = client_for(world.outsider)
    client.post(
        reverse("organisations:skill_create"), {"name": "Locata case management", "category": "digital"}
    )
    assert Skill.objects.filter(organisation=world.other_org, name="Locata case management").exists()
    edit = reverse("organisations:skill_edit", args=[sw.locata.pk])
    assert client.post(edit, {"name": "Hijacked", "category": "data"}).status_code == 404


def test_officer_renames_a_skill(world, sw, officer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = officer_client.post(
            reverse("organisations:skill_edit", args=[sw.locata.pk]),
            {"name": "Locata", "category": SkillCategory.DIGITAL, "description": ""},
        )
    assert response.status_code == 302
    sw.locata.refresh_from_db()
    assert sw.locata.name == "Locata"
    assert len(callbacks) == 1  # flag titles name the skill: recompute
    page = officer_client.get(reverse("organisations:skill_edit", args=[sw.law.pk])).content.decode()
    assert 'value="Homelessness law"' in page


# --- a role's requirements ----------------------------------------------------------


def _management(total, initial):
    return {
        "req-TOTAL_FORMS": str(total),
        "req-INITIAL_FORMS": str(initial),
        "req-MIN_NUM_FORMS": "0",
        "req-MAX_NUM_FORMS": "1000",
    }


def test_requirements_page_lists_current_rows_and_three_blank_ones(world, sw, officer_client):
    html = officer_client.get(
        reverse("organisations:role_requirements", args=[sw.lettings_role.pk])
    ).content.decode()
    assert "Requirement 1" in html and "New requirement 2" in html and "New requirement 4" in html
    assert 'name="req-TOTAL_FORMS" value="4"' in html
    assert 'name="req-0-DELETE"' in html and 'name="req-1-DELETE"' not in html


def test_officer_changes_removes_and_adds_several_requirements_at_once(
    world, sw, officer_client, django_capture_on_commit_callbacks
):
    role = world.staff.job_role  # Locata 3 E, law 2 E, de-escalation 2 (ordered by skill name)
    data = {
        **_management(5, 3),
        # initial rows, by skill name: De-escalation, Homelessness law, Locata
        "req-0-skill": sw.calm.pk,
        "req-0-required_level": "2",
        "req-0-DELETE": "on",
        "req-1-skill": sw.law.pk,
        "req-1-required_level": "3",
        "req-1-essential": "on",
        "req-2-skill": sw.locata.pk,
        "req-2-required_level": "3",
        "req-2-essential": "on",
        # two new rows
        "req-3-skill": sw.people.pk,
        "req-3-required_level": "1",
        "req-4-skill": "",
        "req-4-required_level": "",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = officer_client.post(reverse("organisations:role_requirements", args=[role.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "organisations:role_profile", args=[role.pk]
    )
    got = {
        (r.skill.name, r.required_level, r.essential) for r in SkillRequirement.objects.filter(job_role=role)
    }
    assert got == {
        ("Homelessness law", 3, True),
        ("Locata case management", 3, True),
        ("People management", 1, False),
    }
    assert len(callbacks) == 1
    follow = officer_client.get(response["Location"])
    assert "1 added, 1 changed, 1 removed" in follow.content.decode()


def test_save_and_add_more_comes_back_with_new_blank_rows(world, sw, officer_client):
    role = sw.lettings_role
    data = {
        **_management(2, 1),
        "req-0-skill": sw.locata.pk,
        "req-0-required_level": "2",
        "req-0-essential": "on",
        "req-1-skill": sw.law.pk,
        "req-1-required_level": "1",
        "add_more": "1",
    }
    response = officer_client.post(reverse("organisations:role_requirements", args=[role.pk]), data)
    assert response["Location"] == reverse("organisations:role_requirements", args=[role.pk])
    assert SkillRequirement.objects.filter(job_role=role).count() == 2


def test_requirement_errors_are_shown_and_nothing_typed_is_lost(world, sw, officer_client):
    role = sw.lettings_role
    data = {
        **_management(4, 1),
        "req-0-skill": sw.locata.pk,
        "req-0-required_level": "4",
        "req-0-essential": "on",
        "req-1-skill": sw.locata.pk,  # the same skill twice
        "req-1-required_level": "1",
        "req-2-skill": "",
        "req-2-required_level": "2",  # a level without a skill
        "req-3-skill": sw.law.pk,
        "req-3-required_level": "9",  # not a level
    }
    response = officer_client.post(reverse("organisations:role_requirements", args=[role.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert html.count("Locata case management is already required above") == 2
    assert html.count("Choose a skill for new requirement 3.") == 2
    assert html.count("Choose a level from 1 to 4 for new requirement 4.") == 2
    assert 'href="#id_req-2-skill"' in html
    assert '<option value="4" selected>' in html  # the first row's new level is kept
    assert SkillRequirement.objects.get(job_role=role).required_level == 2  # unchanged


def test_only_officers_may_change_requirements(world, sw):
    url = reverse("organisations:role_requirements", args=[sw.lettings_role.pk])
    data = {**_management(1, 0), "req-0-skill": sw.law.pk, "req-0-required_level": "1"}
    for persona in ("staff", "manager", "head", "chief"):
        assert client_for(world.persona(persona)).post(url, data).status_code == 403
    assert not SkillRequirement.objects.filter(job_role=sw.lettings_role, skill=sw.law).exists()


def test_a_skill_of_another_organisation_cannot_be_required(world, sw, officer_client):
    foreign = SkillFactory(organisation=world.other_org, name="Foreign")
    data = {**_management(1, 0), "req-0-skill": foreign.pk, "req-0-required_level": "1"}
    response = officer_client.post(
        reverse("organisations:role_requirements", args=[sw.lettings_role.pk]), data
    )
    assert response.status_code == 200
    assert "Choose a skill from the list for new requirement 1." in response.content.decode()
    assert not SkillRequirement.objects.filter(skill=foreign).exists()


def test_framework_pages_cost_the_same_queries_with_more_skills(
    world, sw, officer_client, django_assert_max_num_queries
):
    # viewer, session, nav roles; skills with role counts; roles with counts.
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            officer_client.get(reverse("organisations:skills_framework"))
            officer_client.get(reverse("organisations:role_profile", args=[world.staff.job_role_id]))
        return len(ctx.captured_queries)

    before = count()
    for i in range(15):
        s = SkillFactory(organisation=world.org, name=f"Extra {i}")
        SkillRequirement.objects.create(job_role=world.staff.job_role, skill=s, required_level=2)
    assert count() == before
