"""Development plans: adding, changing, cancelling and completing items (the
rating a completion records), the pages and their errors, and the daily reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from celery import current_app
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals.models import DevelopmentItem, DevelopmentStatus, RatingSource, SkillRating
from appraisals.services.development import (
    DevelopmentInput,
    development_due_notify,
    development_item_cancel,
    development_item_complete,
    development_item_create,
    development_item_update,
)
from appraisals.tasks import notify_development_due
from core import clock
from organisations.models.notifications import Notification
from tests.appraisals.development_factories import DevelopmentItemFactory
from tests.conftest import client_for
from tests.organisations.skill_factories import SkillFactory, SkillRequirementFactory

pytestmark = pytest.mark.django_db


def date_fields(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


@pytest.fixture
def skill(world):
    skill = SkillFactory(organisation=world.org, name="Care Act assessments")
    SkillRequirementFactory(job_role=world.staff.job_role, skill=skill, required_level=3, essential=True)
    return skill


def values(skill, **kw):
    today = clock.today()
    base = dict(
        skill=skill,
        target_level=3,
        kind="course",
        title="Care Act in practice",
        provider="Skills for Care",
        starts_on=today,
        ends_on=today + timedelta(days=20),
        cost=Decimal("480"),
    )
    base.update(kw)
    return DevelopmentInput(**base)


def test_create_update_and_cancel_keep_history(world, skill):
    item = development_item_create(employee=world.staff, values=values(skill), by=world.manager)
    assert item.status == DevelopmentStatus.PLANNED and item.created_by == world.manager
    development_item_update(
        item=item, values=values(skill, cost=Decimal("500")), status="booked", by=world.staff
    )
    item.refresh_from_db()
    assert (item.status, item.cost) == (DevelopmentStatus.BOOKED, Decimal("500"))
    development_item_cancel(item=item, by=world.manager)
    assert item.history.count() == 3
    with pytest.raises(ValidationError):
        development_item_update(item=item, values=values(skill), status="completed", by=world.manager)


def test_dates_must_run_forwards(world, skill):
    today = clock.today()
    with pytest.raises(ValidationError) as exc:
        development_item_create(
            employee=world.staff, values=values(skill, ends_on=today - timedelta(days=1)), by=world.manager
        )
    assert "ends_on" in exc.value.error_dict


def test_completing_rates_the_skill_as_manager_or_as_self(world, skill):
    today = clock.today()
    item = DevelopmentItemFactory(employee=world.staff, skill=skill, starts_on=today - timedelta(days=5))
    development_item_complete(item=item, by=world.manager, level=3)
    rating = SkillRating.objects.get(employee=world.staff, skill=skill)
    assert (rating.source, rating.level, rating.rated_by) == (RatingSource.MANAGER, 3, world.manager)
    assert item.status == DevelopmentStatus.COMPLETED and item.completed_on == today
    with pytest.raises(ValidationError):
        development_item_cancel(item=item, by=world.manager)

    own = DevelopmentItemFactory(employee=world.staff, skill=skill, starts_on=today - timedelta(days=5))
    development_item_complete(item=own, by=world.staff, level=2)
    assert SkillRating.objects.filter(employee=world.staff, source=RatingSource.SELF, level=2).exists()
    later = DevelopmentItemFactory(employee=world.staff, skill=skill, starts_on=today - timedelta(days=5))
    development_item_complete(item=later, by=world.staff)  # no level: rate it in the next session
    assert SkillRating.objects.filter(employee=world.staff).count() == 2


def test_completion_page_prefills_the_level_aimed_for(world, skill):
    item = DevelopmentItemFactory(employee=world.staff, skill=skill, target_level=3, starts_on=clock.today())
    response = client_for(world.manager).get(reverse("appraisals:development_complete", args=[item.pk]))
    assert response.context["form"].initial["level"] == 3
    assert "Saved as your rating as their manager" in response.content.decode()


def test_plan_page_lists_gaps_with_links_to_plan(world, skill):
    response = client_for(world.manager).get(reverse("appraisals:development_plan", args=[world.staff.pk]))
    html = response.content.decode()
    create = reverse("appraisals:development_create", args=[world.staff.pk])
    assert f'href="{create}?skill={skill.pk}"' in html
    assert "0 of 3 required (3 levels short)" in html
    # An officer sees the plan but cannot add to it.
    officer = client_for(world.officer).get(reverse("appraisals:development_plan", args=[world.staff.pk]))
    assert officer.status_code == 200 and create not in officer.content.decode()


def test_form_errors_are_summarised_and_nothing_typed_is_lost(world, skill):
    url = reverse("appraisals:development_create", args=[world.staff.pk])
    today = clock.today()
    response = client_for(world.manager).post(
        url,
        {
            "skill": str(skill.pk),
            "target_level": "3",
            "kind": "course",
            "title": "Care Act in practice",
            **date_fields("starts_on", today),
            **date_fields("ends_on", today - timedelta(days=3)),
            "cost": "-5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The planned end must be on or after the planned start" in html
    assert "The cost must be 0 or more" in html
    assert 'value="Care Act in practice"' in html
    assert not DevelopmentItem.objects.exists()


def test_create_from_a_gap_prefills_the_skill_and_level(world, skill):
    url = reverse("appraisals:development_create", args=[world.staff.pk]) + f"?skill={skill.pk}"
    form = client_for(world.staff).get(url).context["form"]
    assert (form.initial["skill"], form.initial["target_level"]) == (skill.pk, 3)


def test_someone_elses_session_cannot_be_linked(world, skill):
    from tests.appraisals.session_factories import FeedbackSessionFactory

    peers = FeedbackSessionFactory(employee=world.peer, manager=world.manager, state="shared")
    url = reverse("appraisals:development_create", args=[world.staff.pk]) + f"?session={peers.pk}"
    assert client_for(world.manager).get(url).status_code == 403


def test_due_items_remind_the_person_and_their_manager_once(world, skill):
    today = clock.today()
    due = DevelopmentItemFactory(
        employee=world.staff,
        skill=skill,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=3),
    )
    DevelopmentItemFactory(employee=world.staff, skill=skill, ends_on=today + timedelta(days=60))  # not yet
    DevelopmentItemFactory(
        employee=world.staff,
        skill=skill,
        ends_on=today - timedelta(days=1),
        status=DevelopmentStatus.COMPLETED,
    )
    overdue = DevelopmentItemFactory(
        employee=world.peer,
        skill=skill,
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=2),
    )
    assert development_due_notify(organisation=world.org, today=today) == 4
    assert development_due_notify(organisation=world.org, today=today) == 0
    mine = Notification.objects.get(recipient=world.staff, kind="development_due")
    assert "is due to end" in mine.text and mine.url == reverse("appraisals:development_item", args=[due.pk])
    theirs = Notification.objects.filter(recipient=world.manager, kind="development_due")
    assert {n.url for n in theirs} == {
        reverse("appraisals:development_item", args=[due.pk]),
        reverse("appraisals:development_item", args=[overdue.pk]),
    }
    assert "was due to end" in Notification.objects.get(recipient=world.peer).text
    # A new planned end is a new reminder.
    DevelopmentItem.objects.filter(pk=due.pk).update(ends_on=today + timedelta(days=10))
    assert development_due_notify(organisation=world.org, today=today) == 2


def test_the_daily_task_is_scheduled_and_runs(world, skill):
    assert "appraisals.tasks.notify_development_due" in {
        e["task"] for e in current_app.conf.beat_schedule.values()
    }
    today = clock.today()
    DevelopmentItemFactory(employee=world.staff, skill=skill, starts_on=today, ends_on=today)
    assert notify_development_due() == 2


def test_completed_without_a_new_level_prompts_a_rating(world, skill):
    item = DevelopmentItemFactory(employee=world.staff, skill=skill, starts_on=clock.today())
    development_item_complete(item=item, by=world.manager)
    html = (
        client_for(world.staff)
        .get(reverse("appraisals:development_plan", args=[world.staff.pk]))
        .content.decode()
    )
    assert "Development completed: rate the new level in the next session." in html
