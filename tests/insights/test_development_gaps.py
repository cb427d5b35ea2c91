"""Development plans in the skills-gap job and pages: a gap becomes a development
item in a session and the service's gap page shows it; the recommendation turns
from interim cover to develop when a short course is planned and back when it is
cancelled; a person's own page never says "interim cover"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from appraisals.models import DevelopmentItem, DevelopmentStatus, RatingSource, SessionState
from appraisals.services.development import development_item_cancel
from core import clock
from insights.models import SkillGap
from insights.models.runs import Recommendation
from insights.services.recompute import run_recompute
from tests.appraisals.development_factories import DevelopmentItemFactory
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.conftest import client_for
from tests.insights.skills_data import build_skills, rate

pytestmark = pytest.mark.django_db


def date_fields(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


@pytest.fixture
def sw(world):
    """Locata (essential, level 3): staff drops to 2, so neither Options officer
    holds it; with the interim (Lettings, level 2) Housing Options has 1 of 3 at
    level, 33.3%, two people short: interim cover."""
    data = build_skills(world)
    rate(world.staff, data.locata, 2, RatingSource.MANAGER, on=clock.today())
    return data


def service_row(world, sw):
    return SkillGap.objects.get(service=world.service, employee=None, skill=sw.locata)


def recompute(world):
    run_recompute(world.org, today=clock.today())


def test_short_course_turns_interim_cover_into_develop_and_cancelling_turns_it_back(world, sw):
    recompute(world)
    assert service_row(world, sw).recommendation == Recommendation.INTERIM_COVER
    assert "An essential skill 2 people short" in service_row(world, sw).reasons

    today = clock.today()
    course = DevelopmentItemFactory(
        employee=world.peer,
        skill=sw.locata,
        target_level=3,
        starts_on=today,
        ends_on=today + timedelta(days=14),
        cost=Decimal("350"),
    )
    recompute(world)
    row = service_row(world, sw)
    assert row.recommendation == Recommendation.DEVELOP
    assert row.recovery_on == today + timedelta(days=14)
    assert "costing £350" in row.reasons and "within 42 days: develop" in row.reasons
    peer = SkillGap.objects.get(employee=world.peer, skill=sw.locata)
    assert peer.recommendation == Recommendation.DEVELOP and peer.recovery_on == course.ends_on

    development_item_cancel(item=course, by=world.manager)
    recompute(world)
    row = service_row(world, sw)
    assert row.recommendation == Recommendation.INTERIM_COVER and row.recovery_on is None


def test_a_course_below_the_required_level_does_not_count(world, sw):
    today = clock.today()
    DevelopmentItemFactory(
        employee=world.peer,
        skill=sw.locata,
        target_level=2,
        starts_on=today,
        ends_on=today + timedelta(days=7),
    )
    recompute(world)
    assert service_row(world, sw).recommendation == Recommendation.INTERIM_COVER


def test_a_persons_own_page_never_says_interim_cover(world, sw):
    recompute(world)
    assert service_row(world, sw).recommendation == Recommendation.INTERIM_COVER
    assert not SkillGap.objects.filter(
        employee__isnull=False, recommendation=Recommendation.INTERIM_COVER
    ).exists()
    for person in (world.staff, world.peer):
        html = (
            client_for(person).get(reverse("organisations:person_detail", args=[person.pk])).content.decode()
        )
        assert 'id="skills"' in html
        assert "Interim cover" not in html and "interim cover" not in html
    # Their manager sees the person's gaps as development too; cover is on the service's page.
    html = (
        client_for(world.manager)
        .get(reverse("organisations:person_detail", args=[world.peer.pk]))
        .content.decode()
    )
    assert "Interim cover" not in html


def test_a_gap_becomes_a_development_item_in_a_session_and_the_gap_page_shows_it(world, sw):
    recompute(world)
    session = FeedbackSessionFactory(employee=world.peer, manager=world.manager, state=SessionState.SHARED)
    manager = client_for(world.manager)
    page = manager.get(reverse("appraisals:session_detail", args=[session.pk])).content.decode()
    create = reverse("appraisals:development_create", args=[world.peer.pk])
    assert f'href="{create}?session={session.pk}"' in page

    today = clock.today()
    response = manager.post(
        f"{create}?session={session.pk}",
        {
            "skill": str(sw.locata.pk),
            "target_level": "3",
            "kind": "course",
            "title": "Locata advanced casework",
            "provider": "Locata Ltd",
            **date_fields("starts_on", today),
            **date_fields("ends_on", today + timedelta(days=10)),
            "cost": "420",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:session_detail", args=[session.pk]
    )
    item = DevelopmentItem.objects.get()
    assert (item.session, item.employee, item.status, item.created_by) == (
        session,
        world.peer,
        DevelopmentStatus.PLANNED,
        world.manager,
    )
    assert (
        "Locata advanced casework"
        in manager.get(reverse("appraisals:session_detail", args=[session.pk])).content.decode()
    )
    # peer sees it on the session they were given, too.
    assert (
        "Locata advanced casework"
        in client_for(world.peer)
        .get(reverse("appraisals:session_detail", args=[session.pk]))
        .content.decode()
    )

    recompute(world)
    gaps = client_for(world.service_head).get(reverse("insights:skills_gaps", args=[world.service.pk]))
    html = gaps.content.decode()
    row = next(r for r in gaps.context["service_rows"] if r.skill_id == sw.locata.pk)
    assert row.development.items == 1 and row.development.planned == Decimal("420")
    assert row.recovery_on == today + timedelta(days=10)
    assert "1 item for 1 person" in html and "£420 planned, £0 committed" in html
    assert "Locata advanced casework" in html  # against peer in the people table


def test_gap_page_counts_committed_spend_and_leaves_out_cancelled(world, sw):
    today = clock.today()
    for status, cost in (
        (DevelopmentStatus.BOOKED, "300"),
        (DevelopmentStatus.CANCELLED, "999"),
        (DevelopmentStatus.PLANNED, "50"),
    ):
        DevelopmentItemFactory(
            employee=world.staff,
            skill=sw.locata,
            status=status,
            cost=Decimal(cost),
            ends_on=today + timedelta(days=90),
        )
    recompute(world)
    response = client_for(world.service_head).get(reverse("insights:skills_gaps", args=[world.service.pk]))
    row = next(r for r in response.context["service_rows"] if r.skill_id == sw.locata.pk)
    assert (row.development.items, row.development.planned, row.development.committed) == (
        2,
        Decimal("50"),
        Decimal("300"),
    )
    assert response.context["spend_committed"] == Decimal("300")


def test_development_items_are_in_my_data_and_the_complete_export(world, sw):
    from insights.selectors.mydata import personal_data
    from insights.selectors.subject_access import subject_access_items

    item = DevelopmentItemFactory(employee=world.staff, skill=sw.locata, cost=Decimal("1250"))
    rows = personal_data(world.staff)["development_items"]
    assert [(r["id"], r["title"], r["status"]) for r in rows] == [(item.pk, item.title, "planned")]
    (entry,) = [i for i in subject_access_items(world.staff) if i.section == "Development plan"]
    assert entry.record == item.pk and "cost £1,250; planned" in entry.value
