"""The daily reminders and the session shared through notify(): each reaches its
person once, in their channel, and stops when the thing is done."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from appraisals import tasks
from appraisals.models import GoalCheckIn, GoalStatus
from appraisals.services.reminders import check_in_due_on, reminders_send
from appraisals.services.sessions import feedback_session_acknowledge, feedback_session_share
from core import clock
from core.models import OutboxMessage
from organisations.models import Notification, NotificationPreference
from organisations.rules import notifications as rules
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.insights.factories import GoalFactory, RiskFactory

pytestmark = pytest.mark.django_db


def notes(person, kind=None):
    qs = Notification.objects.filter(recipient=person)
    return list(qs.filter(kind=kind) if kind else qs)


def shared(world, days_ago: int):
    session = FeedbackSessionFactory(employee=world.staff)
    with time_machine.travel(clock.now() - timedelta(days=days_ago)):
        feedback_session_share(session=session, by=world.manager)
    return session


def test_sharing_notifies_the_employee_in_their_channel_without_the_record(
    world, django_capture_on_commit_callbacks
):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    session = FeedbackSessionFactory(employee=world.staff, discussion="SAID-IN-THE-ROOM")
    with django_capture_on_commit_callbacks(execute=True):
        feedback_session_share(session=session, by=world.manager)
    [n] = notes(world.staff, "session_shared")
    assert n.url == reverse("appraisals:session_detail", args=[session.pk]) and n.emailed_at
    [message] = mail.outbox
    assert message.to == ["sol@example.gov.uk"]
    assert rules.BY_CODE["session_shared"].email_note in message.body
    assert "SAID-IN-THE-ROOM" not in message.body + n.text and session.private_note not in message.body


def test_sharing_respects_a_person_who_chose_the_product_only(world, django_capture_on_commit_callbacks):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    NotificationPreference.objects.create(employee=world.staff, kind="session_shared", channel=rules.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_session_share(session=FeedbackSessionFactory(employee=world.staff), by=world.manager)
    assert mail.outbox == [] and len(notes(world.staff, "session_shared")) == 1


def test_a_session_waiting_a_week_is_reminded_once_and_acknowledging_settles_it(world):
    waiting = shared(world, days_ago=rules.ACKNOWLEDGE_REMINDER_DAYS)
    recent = shared(world, days_ago=rules.ACKNOWLEDGE_REMINDER_DAYS - 1)
    assert reminders_send(today=clock.today())["session_shared"] == 1
    assert reminders_send(today=clock.today())["session_shared"] == 0
    keys = sorted(n.key for n in notes(world.staff, "session_shared"))
    assert keys == sorted([f"session:{waiting.pk}", f"session:{waiting.pk}:reminder", f"session:{recent.pk}"])
    feedback_session_acknowledge(session=waiting, by=world.staff)
    unread = {n.key for n in notes(world.staff) if n.read_at is None}
    assert unread == {f"session:{recent.pk}"}  # "session:1" does not settle "session:12"
    with time_machine.travel(clock.now() + timedelta(days=3)):
        reminders_send(today=clock.today())
    keys = sorted(n.key for n in notes(world.staff, "session_shared"))
    assert keys == sorted(
        [
            f"session:{waiting.pk}",
            f"session:{waiting.pk}:reminder",
            f"session:{recent.pk}",
            f"session:{recent.pk}:reminder",
        ]
    )  # the acknowledged one is not reminded again


def test_check_in_due_from_the_last_check_in_else_from_agreement_or_start():
    start = date(2026, 4, 1)
    every = timedelta(days=rules.CHECK_IN_INTERVAL_DAYS)
    assert check_in_due_on(last_check_in=None, agreed_on=None, start=start) == start + every
    assert (
        check_in_due_on(last_check_in=None, agreed_on=date(2026, 5, 1), start=start)
        == date(2026, 5, 1) + every
    )
    assert (
        check_in_due_on(last_check_in=date(2026, 6, 2), agreed_on=date(2026, 5, 1), start=start)
        == date(2026, 6, 2) + every
    )


def test_a_check_in_due_is_notified_once_until_the_next_check_in(world):
    today = clock.today()
    start = today - timedelta(days=rules.CHECK_IN_INTERVAL_DAYS + 5)
    due = GoalFactory(
        organisation=world.org, owner=world.staff, start_date=start, due_date=today + timedelta(days=90)
    )
    GoalFactory(  # checked in last week: not due
        organisation=world.org, owner=world.peer, start_date=start, due_date=today + timedelta(days=90)
    ).check_ins.create(date=today - timedelta(days=7), progress=40, status=GoalStatus.ON_TRACK)
    GoalFactory(  # achieved: nothing to check in on
        organisation=world.org,
        owner=world.manager,
        start_date=start,
        due_date=today + timedelta(days=90),
        status=GoalStatus.ACHIEVED,
    )
    assert reminders_send(today=today)["check_in_due"] == 1
    assert reminders_send(today=today)["check_in_due"] == 0
    [n] = notes(world.staff, "check_in_due")
    assert n.url == reverse("appraisals:goal_check_in", args=[due.pk]) and due.title in n.text
    assert notes(world.peer) == [] and notes(world.manager) == []
    GoalCheckIn.objects.create(goal=due, date=today, progress=60, status=GoalStatus.ON_TRACK)
    later = today + timedelta(days=rules.CHECK_IN_INTERVAL_DAYS)
    reminders_send(today=later - timedelta(days=1))
    assert len(notes(world.staff, "check_in_due")) == 1  # checked in today: not due again yet
    reminders_send(today=later)
    assert len(notes(world.staff, "check_in_due")) == 2  # a new check-in makes a new due date


def test_a_risk_review_due_within_a_week_or_overdue_reaches_its_owner_once(world):
    today = clock.today()
    soon = RiskFactory(organisation=world.org, owner=world.head, review_due=today + timedelta(days=3))
    overdue = RiskFactory(organisation=world.org, owner=world.head, review_due=today - timedelta(days=10))
    RiskFactory(organisation=world.org, owner=world.head, review_due=today + timedelta(days=30))  # not yet
    RiskFactory(organisation=world.org, owner=world.head, review_due=today, is_open=False)  # closed
    RiskFactory(organisation=world.org, owner=None, review_due=today)  # nobody to tell
    assert reminders_send(today=today)["risk_review_due"] == 2
    assert reminders_send(today=today)["risk_review_due"] == 0
    texts = {n.url: n.text for n in notes(world.head, "risk_review_due")}
    assert "is due on" in texts[reverse("organisations:risk_detail", args=[soon.pk])]
    assert "it is overdue" in texts[reverse("organisations:risk_detail", args=[overdue.pk])]
    soon.review_due = today + timedelta(days=5)  # moved: a new review date, a new reminder
    soon.save()
    assert reminders_send(today=today)["risk_review_due"] == 1


def test_the_daily_task_and_its_beat_entry(world, django_assert_max_num_queries):
    from celery import current_app

    names = {entry["task"] for entry in current_app.conf.beat_schedule.values()}
    assert "appraisals.tasks.send_daily_reminders" in names
    today = clock.today()
    for i in range(5):
        RiskFactory(organisation=world.org, owner=world.head, review_due=today - timedelta(days=i))
    with django_assert_max_num_queries(12):
        counts = tasks.send_daily_reminders.delay().get()
    assert counts["risk_review_due"] == 5
    assert OutboxMessage.objects.filter(kind="email").count() == 0  # risk reviews default to the summary
