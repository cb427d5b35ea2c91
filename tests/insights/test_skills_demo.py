"""The demo's planted skills story, as demo-director and demo-staff see it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.skills import COURT_SKILLS, LOCATA
from insights.models import Flag, FlagKind, SkillGap
from insights.models.runs import Recommendation
from insights.rules.thresholds import SKILLS_GAP_HIGH_COVERAGE
from organisations.models import Employee, JobRole, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", employees=300, seed=5, password="pw-demo", force=True, stdout=StringIO())


def sign_in(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "pw-demo"})
    assert response.status_code == 302, username
    return client


def test_every_role_requires_three_to_six_skills(demo):
    for role in JobRole.objects.all():
        assert 3 <= role.requirements.count() <= 6, role.title


def test_director_sees_the_digital_gap_in_housing_with_a_recommendation(demo):
    housing = Service.objects.get(organisation__slug="northshire", name="Housing")
    client = sign_in("demo-director")
    heatmap = client.get(reverse("insights:skills_heatmap", args=[housing.pk]))
    assert heatmap.status_code == 200
    locata = next(line for line in heatmap.context["table"] if line["skill"].name == LOCATA)
    assert locata["total"]["label"] == "Gap"
    assert "Locata case management" in heatmap.content.decode()

    options = Service.objects.get(organisation__slug="northshire", name="Housing Options")
    row = SkillGap.objects.get(service=options, employee=None, skill__name=LOCATA)
    assert row.coverage < 40 and row.essential and row.recommendation == Recommendation.INTERIM_COVER
    page = client.get(reverse("insights:skills_gaps", args=[options.pk]) + "?category=digital")
    html = page.content.decode()
    assert "Locata case management" in html and "Interim cover" in html
    flag = Flag.objects.get(kind=FlagKind.SKILLS_GAP, service=options, key__endswith=f":skill:{row.skill_id}")
    # Essential and below the threshold: medium, high below 30% (the seed's draw decides which).
    expected = "high" if row.coverage < SKILLS_GAP_HIGH_COVERAGE else "medium"
    assert flag.severity == expected and flag.resolved_at is None
    assert flag.evidence["coverage"] == float(row.coverage)
    assert flag.evidence["recommendation"] == Recommendation.INTERIM_COVER
    assert options.head_id is not None and flag.owner_id == options.head_id  # its head acts on it


def test_a_long_standing_gap_recommends_recruiting(demo):
    row = SkillGap.objects.get(
        service__name="Children's Social Care", employee=None, skill__name=COURT_SKILLS
    )
    assert row.recommendation == Recommendation.RECRUIT


def test_demo_staff_sees_their_locata_gap(demo):
    staff = Employee.objects.get(user__username="demo-staff")
    client = sign_in("demo-staff")
    rows = {
        r["requirement"].skill.name: r for r in client.get(reverse("appraisals:my_skills")).context["rows"]
    }
    assert rows[LOCATA]["current"] == 1 and rows[LOCATA]["gap"] == 2
    assert rows[LOCATA]["manager"] and rows[LOCATA]["self"]
    html = client.get(reverse("organisations:person_detail", args=[staff.pk])).content.decode()
    assert "2 levels short" in html
