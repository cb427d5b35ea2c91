from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from appraisals.models import Action, FeedbackSession, GoalCheckIn, RatingSource, SessionState, SkillRating
from appraisals.services.retention import session_retention_apply as apply_retention
from core import clock

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date


@pytest.fixture
def leaver_sessions(world):
    leaver = world.peer
    leaver.active = False
    leaver.left_on = date(2019, 6, 30)
    leaver.save()
    old = FeedbackSession.objects.create(
        organisation=world.org,
        employee=leaver,
        manager=world.manager,
        held_on=date(2019, 5, 1),
        discussion="Caseload discussion",
        private_note="Concerned about attendance",
        wellbeing="Stress",
        overall_assessment="developing",
        state=SessionState.ACKNOWLEDGED,
        employee_comment="Agreed",
    )
    Action.objects.create(session=old, description="Book training", owner=leaver)
    from tests.appraisals.factories import GoalCheckInFactory, GoalFactory
    from tests.appraisals.skill_factories import SkillRatingFactory

    goal = GoalFactory(owner=leaver, organisation=world.org, service=leaver.service)
    GoalCheckInFactory(goal=goal, session=old, comment="Struggling with the caseload", progress=40)
    GoalCheckInFactory(goal=goal, session=None, comment="Own check-in, not in a session", progress=50)
    SkillRatingFactory(
        employee=leaver, session=old, level=1, source=RatingSource.MANAGER, rated_by=world.manager
    )
    SkillRatingFactory(employee=leaver, session=None, level=3)  # a self-assessment outside sessions
    current = FeedbackSession.objects.create(
        organisation=world.org,
        employee=world.staff,
        manager=world.manager,
        held_on=date(2019, 5, 1),
        discussion="Still here",
        private_note="keep",
    )
    return old, current


def test_dry_run_changes_nothing(world, leaver_sessions):
    old, _ = leaver_sessions
    r = apply_retention(organisation=world.org, today=date(2026, 11, 28), dry_run=True)
    assert (r.sessions, r.actions, r.people) == (1, 1, 1)
    # The check-in and the rating of that session, and their history rows: the
    # session's 1, the action's 1, the check-in's 1 and the rating's 1.
    assert (r.check_ins, r.skill_ratings, r.history_rows) == (1, 1, 4)
    old.refresh_from_db()
    assert old.private_note == "Concerned about attendance"
    assert GoalCheckIn.objects.filter(comment="Struggling with the caseload").exists()
    assert SkillRating.objects.filter(session=old).exists()


def test_removes_content_keeps_dates_and_kind(world, leaver_sessions):
    old, current = leaver_sessions
    r = apply_retention(organisation=world.org, today=date(2026, 11, 28))
    assert r.sessions == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.discussion == old.private_note == old.wellbeing == old.overall_assessment == ""
    assert old.held_on == date(2019, 5, 1) and old.kind and old.content_removed_on == date(2026, 11, 28)
    assert old.actions.get().description == "Removed under the retention policy."
    assert not old.history.filter(private_note="Concerned about attendance").exists()
    assert current.private_note == "keep"  # still employed
    # Running again removes nothing more.
    assert apply_retention(organisation=world.org, today=date(2026, 11, 28)).sessions == 0


def test_within_retention_is_kept(world, leaver_sessions):
    old, _ = leaver_sessions
    r = apply_retention(organisation=world.org, today=date(2025, 6, 1))  # 6 years not yet passed
    assert r.sessions == 0


def test_command_says_what_it_removed(world, leaver_sessions):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Would remove the content of 1 sessions" in out.getvalue()


def test_command_without_dry_run_removes_and_says_so(world, leaver_sessions):
    old, current = leaver_sessions
    out = StringIO()
    call_command("apply_retention", "--org", "testshire", stdout=out)
    assert "testshire: Removed the content of 1 sessions and 1 actions of 1 people" in out.getvalue()
    assert "riverside" not in out.getvalue()
    old.refresh_from_db()
    assert old.discussion == "" and old.content_removed_on is not None


def test_a_leaver_rehired_is_never_touched(world, leaver_sessions):
    old, _ = leaver_sessions
    world.peer.active = True  # came back: their history is current again
    world.peer.save()
    assert apply_retention(organisation=world.org, today=date(2026, 11, 28)).sessions == 0


def test_the_organisation_setting_decides(world, leaver_sessions):
    world.org.session_retention_years = 10
    world.org.save()
    assert apply_retention(organisation=world.org, today=date(2026, 11, 28)).sessions == 0
    world.org.session_retention_years = 3
    world.org.save()
    assert apply_retention(organisation=world.org, today=date(2026, 11, 28)).sessions == 1


def test_the_weekly_task_removes_old_sign_in_records(world, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt, AccessLog

    from appraisals import tasks

    settings.SIGN_IN_LOG_RETENTION_DAYS = 365
    old = AccessLog.objects.create(username="staff", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=clock.now() - timedelta(days=400))
    recent = AccessLog.objects.create(username="staff", ip_address="10.0.0.1", user_agent="x")
    attempt = AccessAttempt.objects.create(
        username="peer", ip_address="10.0.0.2", user_agent="x", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=clock.now() - timedelta(days=500))
    assert tasks.apply_retention.delay().get()["sign_in_records"] == 2
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessAttempt.objects.exists()


def test_check_in_comments_of_the_session_are_blanked_in_the_record_and_its_history(world, leaver_sessions):
    old, _ = leaver_sessions
    apply_retention(organisation=world.org, today=date(2026, 11, 28))
    in_session = GoalCheckIn.objects.get(session=old)
    assert in_session.comment == "" and in_session.progress == 40  # progress still reads
    assert not GoalCheckIn.history.filter(comment="Struggling with the caseload").exists()
    # A check-in the person wrote outside any session is not session content.
    assert GoalCheckIn.objects.filter(comment="Own check-in, not in a session").exists()


def test_skill_ratings_of_the_session_are_deleted_with_their_history(world, leaver_sessions):
    old, _ = leaver_sessions
    r = apply_retention(organisation=world.org, today=date(2026, 11, 28))
    assert r.skill_ratings == 1
    assert not SkillRating.objects.filter(session=old).exists()
    assert not SkillRating.history.filter(session_id=old.pk).exists()
    assert not SkillRating.history.filter(level=1).exists()
    assert SkillRating.objects.filter(employee=world.peer, session=None, level=3).exists()


def test_action_history_and_the_change_reason_in_history_go(world, leaver_sessions):
    old, _ = leaver_sessions
    old.discussion = "Changed after the meeting"
    old._change_reason = "Corrected a sensitive detail"
    old.save()
    apply_retention(organisation=world.org, today=date(2026, 11, 28))
    assert not Action.history.filter(description="Book training").exists()
    assert not old.history.exclude(history_change_reason=None).exists()
    assert not old.history.exclude(discussion="").exists()


def test_sessions_emptied_earlier_have_their_check_ins_and_ratings_removed_next_time(world, leaver_sessions):
    old, _ = leaver_sessions
    FeedbackSession.objects.filter(pk=old.pk).update(content_removed_on=date(2026, 1, 1))
    r = apply_retention(organisation=world.org, today=date(2026, 11, 28))
    assert (r.sessions, r.check_ins, r.skill_ratings) == (0, 1, 1)
    assert not GoalCheckIn.objects.filter(comment="Struggling with the caseload").exists()
    again = apply_retention(organisation=world.org, today=date(2026, 11, 28))
    assert (again.sessions, again.check_ins, again.skill_ratings, again.history_rows) == (0, 0, 0, 0)


def test_command_dry_run_reports_each_kind(world, leaver_sessions):
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--org", "testshire", stdout=out)
    text = out.getvalue()
    assert "Would remove the content of 1 sessions and 1 actions of 1 people" in text
    assert "Goal check-in comments: 1; skill ratings would delete: 1; history rows would clear: 4." in text
    assert GoalCheckIn.objects.filter(comment="Struggling with the caseload").exists()


def test_command_with_an_unknown_organisation_is_an_error(world):
    with pytest.raises(CommandError, match="no organisation with the slug 'nowhere'"):
        call_command("apply_retention", "--org", "nowhere", stdout=StringIO())
