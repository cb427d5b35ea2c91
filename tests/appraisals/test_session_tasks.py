"""Celery tasks: the shared-session email, the weekly digest, retention."""

from datetime import timedelta

import pytest
from celery import current_app
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals import tasks
from appraisals.models import Action, FeedbackSession
from appraisals.services.notifications import weekly_digest_messages
from appraisals.services.retention import REMOVED
from core import clock
from tests.appraisals.session_factories import ActionFactory, FeedbackSessionFactory
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date


def test_beat_names_the_tasks():
    names = {entry["task"] for entry in current_app.conf.beat_schedule.values()}
    assert {"appraisals.tasks.send_weekly_digests", "appraisals.tasks.apply_retention"} <= names
    assert tasks.send_weekly_digests.name == "appraisals.tasks.send_weekly_digests"
    assert tasks.apply_retention.name == "appraisals.tasks.apply_retention"


def test_shared_email_task_for_a_missing_session_does_nothing(db):
    assert tasks.send_session_shared_email.delay(999999).get() is False
    assert mail.outbox == []


def test_weekly_digest(world):
    today = clock.today()
    world.manager.email = "mo@example.gov.uk"
    world.manager.save()
    # staff: overdue by 12 days; peer: due in 3 days; interim (another manager): in date
    FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=40), private_note="SECRET")
    peer_session = FeedbackSessionFactory(employee=world.peer, held_on=today - timedelta(days=25))
    ActionFactory(session=peer_session, description="Due this week", due_on=today + timedelta(days=5))
    ActionFactory(session=peer_session, description="Due next month", due_on=today + timedelta(days=30))
    ActionFactory(session=peer_session, description="Already done", due_on=today, done_on=today)
    FeedbackSessionFactory(employee=world.interim, held_on=today - timedelta(days=1))

    messages = {m.to[0]: m for m in weekly_digest_messages(today=today)}
    body = messages["mo@example.gov.uk"].body
    assert "Sol Staff: overdue by 12 days" in body
    assert f"Pat Peer: due {(today + timedelta(days=3)).day}" in body
    assert "Due this week" in body
    assert "Due next month" not in body and "Already done" not in body
    assert "SECRET" not in body
    assert "Ira Interim" not in body


def test_weekly_digest_queries_do_not_grow_with_the_organisation(world):
    today = clock.today()

    def run():
        with CaptureQueriesContext(connection) as ctx:
            weekly_digest_messages(today=today)
        return len(ctx.captured_queries)

    small = run()
    for _ in range(12):
        e = EmployeeFactory(
            organisation=world.org, service=world.team, line_manager=world.manager, email="x@e.gov.uk"
        )
        s = FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=30))
        ActionFactory(session=s, due_on=today)
    assert run() == small


def test_send_weekly_digests_sends(world, django_capture_on_commit_callbacks):
    world.manager.email = "mo@example.gov.uk"
    world.manager.save()
    FeedbackSessionFactory(employee=world.staff, held_on=clock.today() - timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):  # sent through the outbox on commit
        assert tasks.send_weekly_digests.delay().get() >= 1
    assert any(m.to == ["mo@example.gov.uk"] for m in mail.outbox)


def test_retention_removes_content_of_people_long_gone(world, caplog):
    world.org.session_retention_years = 6
    world.org.save()
    world.peer.active = False
    world.peer.left_on = clock.today() - timedelta(days=365 * 7)
    world.peer.save()
    world.staff.left_on = clock.today() - timedelta(days=365)  # left recently: kept
    world.staff.save()
    old = FeedbackSessionFactory(employee=world.peer, discussion="Old words", overall_assessment="developing")
    action = ActionFactory(session=old, description="Old action")
    old.discussion = "Edited old words"
    old.save()  # a second history row holding content
    kept = FeedbackSessionFactory(employee=world.staff, discussion="Recent words")

    with caplog.at_level("INFO", logger="appraisals.tasks"):
        result = tasks.apply_retention.delay().get()
    assert (result["sessions"], result["actions"], result["people"]) == (1, 1, 1)
    assert any(
        "testshire: Removed the content of 1 sessions and 1 actions of 1 people" in m for m in caplog.messages
    )
    assert any(
        "riverside: Removed the content of 0 sessions" in m for m in caplog.messages
    )  # every organisation
    old.refresh_from_db()
    assert old.discussion == "" and old.private_note == "" and old.overall_assessment == ""
    assert old.content_removed_on == clock.today() and old.held_on and old.kind
    assert not FeedbackSession.history.filter(id=old.pk).exclude(discussion="").exists()
    assert Action.objects.get(pk=action.pk).description == REMOVED
    assert not Action.history.filter(id=action.pk, description="Old action").exists()
    kept.refresh_from_db()
    assert kept.discussion == "Recent words"
    assert tasks.apply_retention.delay().get()["sessions"] == 0  # idempotent


def test_monday_sends_one_email_per_person_joining_the_team_summary_and_what_waits(world):
    """A manager with a team summary and notifications on the weekly summary channel
    gets one email holding both; someone with only notifications gets those; each
    notification is carried once (a second Monday run adds nothing of it)."""
    from core.models import OutboxMessage
    from organisations.models import Notification
    from organisations.services.notifications import notify

    world.manager.email = "mo@example.gov.uk"
    world.manager.save()
    world.peer.email = "pat@example.gov.uk"
    world.peer.save()
    FeedbackSessionFactory(employee=world.staff, held_on=clock.today() - timedelta(days=40))
    notify(world.manager, "flag_owned", key="flag:1", text="A new flag for you to act on: X", url="/flags/1/")
    notify(world.peer, "check_in_due", key="goal:1", text="A check-in is due on Y", url="/goals/1/check-in/")
    read = notify(world.peer, "check_in_due", key="goal:2", text="Already opened Z", url="/goals/2/")
    Notification.objects.filter(pk=read.pk).update(read_at=clock.now())

    assert tasks.send_weekly_digests.delay().get() == 2
    sent = {m.payload["to"][0]: m.payload for m in OutboxMessage.objects.filter(kind="email")}
    assert set(sent) == {"mo@example.gov.uk", "pat@example.gov.uk"}
    mo = sent["mo@example.gov.uk"]
    assert "Sol Staff: overdue" in mo["body"] and "A new flag for you to act on: X" in mo["body"]
    assert mo["body"].count("Dear Mo") == 1 and "what is waiting for you" in mo["subject"]
    pat = sent["pat@example.gov.uk"]
    assert pat["subject"] == "What is waiting for you this week" and pat["body"].startswith("Dear Pat,")
    assert "A check-in is due on Y" in pat["body"] and "Already opened Z" not in pat["body"]

    OutboxMessage.objects.all().delete()
    assert tasks.send_weekly_digests.delay().get() == 1  # the team summary again, nothing carried twice
    [again] = OutboxMessage.objects.filter(kind="email")
    assert again.payload["to"] == ["mo@example.gov.uk"] and "A new flag" not in again.payload["body"]
