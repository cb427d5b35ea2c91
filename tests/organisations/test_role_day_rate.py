"""A role's interim day rate (blank: the organisation's) and statutory skills:
what the train-cover-recruit recommendation weighs, edited by performance officers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from organisations.models import AuditEvent, JobRole, Skill, SkillCategory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_officer_sets_and_clears_a_roles_day_rate_and_it_is_audited(world):
    role = world.staff.job_role
    url = reverse("organisations:role_day_rate", args=[role.pk])
    officer = client_for(world.officer)
    profile = reverse("organisations:role_profile", args=[role.pk])
    assert url in officer.get(profile).content.decode()
    assert "The organisation's rate, £450 a day" in officer.get(profile).content.decode()

    response = officer.post(url, {"interim_day_rate": "520"})
    assert response.status_code == 302
    assert JobRole.objects.get(pk=role.pk).interim_day_rate == Decimal("520")
    event = AuditEvent.objects.get(organisation=world.org)
    assert event.changes == [[f"Interim day rate for {role.title}", "the organisation's rate", "£520"]]
    assert "£520 a day" in client_for(world.staff).get(profile).content.decode()
    assert url not in client_for(world.staff).get(profile).content.decode()

    officer.post(url, {"interim_day_rate": ""})
    assert JobRole.objects.get(pk=role.pk).interim_day_rate is None


def test_a_bad_rate_is_shown_next_to_the_field(world):
    url = reverse("organisations:role_day_rate", args=[world.staff.job_role_id])
    response = client_for(world.officer).post(url, {"interim_day_rate": "lots"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter the interim day rate as an amount in pounds, like 520" in html
    assert 'value="lots"' in html


def test_a_skill_can_be_marked_statutory(world):
    officer = client_for(world.officer)
    officer.post(
        reverse("organisations:skill_create"),
        {"name": "Safeguarding adults", "category": SkillCategory.SAFEGUARDING, "statutory": "on"},
    )
    skill = Skill.objects.get(name="Safeguarding adults")
    assert skill.statutory
    html = officer.get(reverse("organisations:skills_framework")).content.decode()
    assert "Safeguarding adults <span" in html and "(statutory)" in html
    officer.post(
        reverse("organisations:skill_edit", args=[skill.pk]),
        {"name": "Safeguarding adults", "category": SkillCategory.SAFEGUARDING},
    )
    skill.refresh_from_db()
    assert not skill.statutory
