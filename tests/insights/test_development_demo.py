"""The demo's development plans: items against its gaps, with costs, seen on the
gap page; the Locata gap's recommendation explains itself."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from appraisals.models import DevelopmentItem, DevelopmentStatus
from demo.skills import COURT_SKILLS, LOCATA
from insights.models import SkillGap
from insights.models.runs import Recommendation
from organisations.models import Employee, JobRole, Service, Skill

pytestmark = pytest.mark.django_db


def test_demo_plans_development_against_its_gaps():
    call_command("seed_demo", employees=300, seed=5, password="pw-demo", force=True, stdout=StringIO())
    items = DevelopmentItem.objects.filter(employee__organisation__slug="northshire")
    assert items.count() >= 10
    assert set(items.values_list("status", flat=True)) == set(DevelopmentStatus.values)
    assert items.filter(cost__gt=0).exists()
    assert not items.filter(skill__name=COURT_SKILLS).exists()
    assert Skill.objects.filter(organisation__slug="northshire", statutory=True).count() == 2
    assert JobRole.objects.filter(organisation__slug="northshire", interim_day_rate__isnull=False).exists()

    staff = Employee.objects.get(user__username="demo-staff")
    assert items.filter(employee=staff, skill__name=LOCATA).exists()
    options = Service.objects.get(organisation__slug="northshire", name="Housing Options")
    row = SkillGap.objects.get(service=options, employee=None, skill__name=LOCATA)
    assert row.recommendation == Recommendation.INTERIM_COVER
    assert "not enough" in row.reasons and "Interim cover for a quarter would cost £" in row.reasons

    client = Client()
    client.post("/accounts/login/", {"username": "demo-director", "password": "pw-demo"})
    html = client.get(
        reverse("insights:skills_gaps", args=[options.pk]) + "?category=digital"
    ).content.decode()
    assert "Locata casework" in html and "committed" in html
    mine = Client()
    mine.post("/accounts/login/", {"username": "demo-staff", "password": "pw-demo"})
    page = mine.get(reverse("organisations:person_detail", args=[staff.pk])).content.decode()
    assert "Locata casework" in page and "Interim cover" not in page
