"""The session services: workflow, refusals, what a session records, notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from appraisals.models import Action, FeedbackSession, GoalCheckIn, GoalStatus, SessionState, SkillRating
from appraisals.services.sessions import (
    ActionReview,
    GoalUpdate,
    NewAction,
    SessionContent,
    SessionRecord,
    action_complete,
    feedback_session_acknowledge,
    feedback_session_create,
    feedback_session_share,
    feedback_session_update,
)
from core import clock, queueing
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillRequirementFactory,
)

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

PRIVATE = "Private: worried about sickness absence"


def content(**kw) -> SessionContent:
    today = clock.today()
    values = {
        "held_on": today - timedelta(days=1),
        "kind": "one_to_one",
        "discussion": "Caseload review",
        "private_note": PRIVATE,
        "next_session_on": today + timedelta(days=27),
    }
    values.update(kw)
    return SessionContent(**values)


@pytest.fixture
def recomputes(monkeypatch):
    """Organisation ids whose recompute was requested (and committed)."""
    seen = []
    monkeypatch.setattr(queueing, "_handler", seen.append)
    return seen


# --- create ---------------------------------------------------------------------------


def test_create_draft_records_author_and_history(world, recomputes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = feedback_session_create(author=world.manager, employee=world.staff, content=content())
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT
    assert session.manager == world.manager and session.organisation == world.org
    assert session.private_note == PRIVATE
    first = session.history.earliest()
    assert first.history_user == world.manager.user and first.history_change_reason == "Logged"
    assert recomputes == [world.org.pk]
    assert mail.outbox == []  # a draft tells nobody


def test_create_and_share_emails_the_employee_on_commit_without_content(
    world, django_capture_on_commit_callbacks
):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = feedback_session_create(
            author=world.manager, employee=world.staff, content=content(), share=True
        )
    assert mail.outbox == []  # nothing is sent before the transaction commits
    assert callbacks
    for callback in callbacks:
        callback()
    assert session.state == SessionState.SHARED and session.shared_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sol@example.gov.uk"]
    assert f"/sessions/{session.pk}/" in message.body
    for secret in (PRIVATE, "Caseload review"):
        assert secret not in message.body and secret not in message.subject


def test_employee_without_email_gets_no_message(world, django_capture_on_commit_callbacks):
    world.staff.email = ""
    world.staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_session_create(author=world.manager, employee=world.staff, content=content(), share=True)
    assert mail.outbox == []


@pytest.mark.parametrize("author", ["staff", "peer", "officer", "interim"])
def test_only_someone_above_the_employee_can_log_a_session(world, author):
    with pytest.raises(ValidationError) as exc:
        feedback_session_create(author=world.persona(author), employee=world.staff, content=content())
    assert "employee" in exc.value.message_dict
    assert not FeedbackSession.objects.exists()


def test_a_grandmanager_may_log_a_session(world):
    session = feedback_session_create(author=world.service_head, employee=world.staff, content=content())
    assert session.manager == world.service_head


def test_cannot_log_for_another_organisation(world):
    with pytest.raises(ValidationError):
        feedback_session_create(author=world.manager, employee=world.outsider, content=content())


def test_not_held_in_the_future(world):
    with pytest.raises(ValidationError) as exc:
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(held_on=clock.today() + timedelta(days=1), next_session_on=None),
        )
    assert "held_on" in exc.value.message_dict


def test_next_session_after_the_date_held(world):
    today = clock.today()
    with pytest.raises(ValidationError) as exc:
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(held_on=today, next_session_on=today),
        )
    assert "next_session_on" in exc.value.message_dict


# --- share and acknowledge -----------------------------------------------------------


def test_share_twice_is_refused(world):
    session = FeedbackSessionFactory(employee=world.staff)
    feedback_session_share(session=session, by=world.manager)
    with pytest.raises(ValidationError, match="already been shared"):
        feedback_session_share(session=FeedbackSession.objects.get(pk=session.pk), by=world.manager)


def test_acknowledge_by_the_employee_locks_it(world):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    feedback_session_acknowledge(session=session, by=world.staff, comment="  I agree  ")
    session.refresh_from_db()
    assert session.state == SessionState.ACKNOWLEDGED and session.is_locked
    assert session.employee_comment == "I agree" and session.acknowledged_at is not None
    assert session.history.latest().history_change_reason == "Acknowledged by the employee"


@pytest.mark.parametrize("who", ["manager", "peer", "head", "officer"])
def test_acknowledge_by_someone_else_is_refused(world, who):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    with pytest.raises(PermissionDenied):
        feedback_session_acknowledge(session=session, by=world.persona(who))
    session.refresh_from_db()
    assert session.state == SessionState.SHARED


def test_acknowledge_a_draft_or_twice_is_refused(world):
    draft = FeedbackSessionFactory(employee=world.staff)
    with pytest.raises(ValidationError, match="not been shared"):
        feedback_session_acknowledge(session=draft, by=world.staff)
    done = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    with pytest.raises(ValidationError, match="already acknowledged"):
        feedback_session_acknowledge(session=done, by=world.staff)


# --- update ------------------------------------------------------------------------------


def test_update_a_draft_needs_no_reason_and_can_share(world, django_capture_on_commit_callbacks):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    session = FeedbackSessionFactory(employee=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_session_update(
            session=session, editor=world.manager, content=content(discussion="Changed"), share=True
        )
    session.refresh_from_db()
    assert session.discussion == "Changed" and session.state == SessionState.SHARED
    assert len(mail.outbox) == 1


def test_update_after_share_without_a_reason_is_refused(world):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    with pytest.raises(ValidationError) as exc:
        feedback_session_update(session=session, editor=world.manager, content=content(discussion="New"))
    assert "change_reason" in exc.value.message_dict
    session.refresh_from_db()
    assert session.discussion == "We discussed the caseload."


def test_update_after_share_keeps_the_reason_in_history(world):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    feedback_session_update(
        session=session,
        editor=world.manager,
        content=content(discussion="Corrected"),
        reason="Typo in the discussion",
    )
    session.refresh_from_db()
    assert session.discussion == "Corrected"
    assert session.change_reason == "Typo in the discussion"
    latest = session.history.latest()
    assert latest.history_change_reason == "Typo in the discussion"
    assert latest.history_user == world.manager.user
    assert session.state == SessionState.SHARED  # still waiting for the employee


def test_edit_after_acknowledge_is_refused(world):
    session = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    with pytest.raises(ValidationError, match="acknowledged"):
        feedback_session_update(session=session, editor=world.manager, content=content(), reason="Because")


# --- what a session records ----------------------------------------------------------


def test_open_actions_marked_done_or_carried_over(world):
    earlier = FeedbackSessionFactory(
        employee=world.staff, acknowledged=True, held_on=clock.today() - timedelta(30)
    )
    done, carried, left = (ActionFactory(session=earlier) for _ in range(3))
    session = feedback_session_create(
        author=world.manager,
        employee=world.staff,
        content=content(),
        record=SessionRecord(
            action_reviews=[
                ActionReview(action=done, outcome="done"),
                ActionReview(action=carried, outcome="carry"),
                ActionReview(action=left, outcome="leave"),
            ]
        ),
    )
    done.refresh_from_db()
    assert done.done_on == session.held_on
    copy = session.actions.get()
    assert copy.carried_over_from == carried
    assert (copy.description, copy.owner, copy.due_on) == (carried.description, carried.owner, carried.due_on)
    open_ids = set(Action.objects.open().values_list("pk", flat=True))
    assert open_ids == {copy.pk, left.pk}  # the original of a carried action is no longer open


def test_an_action_carried_over_cannot_be_reviewed_again(world):
    earlier = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    action = ActionFactory(session=earlier)
    feedback_session_create(
        author=world.manager,
        employee=world.staff,
        content=content(),
        record=SessionRecord(action_reviews=[ActionReview(action=action, outcome="carry")]),
    )
    with pytest.raises(ValidationError, match="no longer open"):
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(action_reviews=[ActionReview(action=action, outcome="done")]),
        )


def test_another_persons_action_cannot_be_reviewed(world):
    other = FeedbackSessionFactory(employee=world.peer, acknowledged=True)
    action = ActionFactory(session=other)
    with pytest.raises(ValidationError):
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(action_reviews=[ActionReview(action=action, outcome="done")]),
        )
    assert not FeedbackSession.objects.filter(employee=world.staff).exists()  # all or nothing


def test_goal_check_ins_from_a_session(world):
    goal = GoalFactory(owner=world.staff, progress=20)
    session = feedback_session_create(
        author=world.manager,
        employee=world.staff,
        content=content(),
        record=SessionRecord(
            goal_updates=[GoalUpdate(goal=goal, progress=55, status=GoalStatus.AT_RISK, comment="Behind")]
        ),
    )
    check_in = GoalCheckIn.objects.get()
    assert (check_in.session, check_in.author, check_in.progress, check_in.status, check_in.date) == (
        session,
        world.manager,
        55,
        GoalStatus.AT_RISK,
        session.held_on,
    )
    # A draft's goal update is its author's alone: the goal moves when it is shared.
    before = goal.status
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (20, before)
    feedback_session_share(session=session, by=world.manager)
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (55, GoalStatus.AT_RISK)


def test_saving_a_draft_again_replaces_its_goal_update(world):
    goal = GoalFactory(owner=world.staff, progress=20)
    session = feedback_session_create(
        author=world.manager,
        employee=world.staff,
        content=content(),
        record=SessionRecord(goal_updates=[GoalUpdate(goal=goal, progress=40, status=GoalStatus.ON_TRACK)]),
    )
    feedback_session_update(
        session=session,
        editor=world.manager,
        content=content(),
        record=SessionRecord(goal_updates=[GoalUpdate(goal=goal, progress=60, status=GoalStatus.ON_TRACK)]),
    )
    assert list(GoalCheckIn.objects.values_list("progress", flat=True)) == [60]


def test_a_session_with_nothing_said_cannot_be_shared(world):
    session = feedback_session_create(
        author=world.manager, employee=world.staff, content=content(discussion="")
    )
    with pytest.raises(ValidationError) as raised:
        feedback_session_share(session=session, by=world.manager)
    assert "empty record" in str(raised.value)
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT


def test_someone_elses_goal_is_refused(world):
    goal = GoalFactory(owner=world.peer)
    with pytest.raises(ValidationError):
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(
                goal_updates=[GoalUpdate(goal=goal, progress=10, status=GoalStatus.ON_TRACK)]
            ),
        )
    assert not GoalCheckIn.objects.exists()


def test_manager_skill_ratings_from_a_session(world, recomputes, django_capture_on_commit_callbacks):
    requirement = SkillRequirementFactory(job_role=world.staff.job_role)
    with django_capture_on_commit_callbacks(execute=True):
        session = feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(skill_levels={requirement.skill_id: 2}),
        )
    rating = SkillRating.objects.get()
    assert (rating.employee, rating.skill, rating.level, rating.source, rating.rated_by, rating.session) == (
        world.staff,
        requirement.skill,
        2,
        "manager",
        world.manager,
        session,
    )
    assert rating.rated_on == session.held_on
    assert recomputes == [world.org.pk]


def test_rating_a_skill_the_role_does_not_require_is_refused(world):
    other_role_requirement = SkillRequirementFactory(job_role=world.staff.job_role)
    other_role_requirement.delete()
    with pytest.raises(ValidationError, match="role requires"):
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(skill_levels={other_role_requirement.skill_id: 2}),
        )


def test_new_actions_belong_to_the_employee_or_their_manager(world):
    session = feedback_session_create(
        author=world.manager,
        employee=world.staff,
        content=content(),
        record=SessionRecord(
            new_actions=[
                NewAction(description=" Book training ", owner=world.staff),
                NewAction(description="Find a mentor", owner=world.manager, due_on=clock.today()),
            ]
        ),
    )
    assert sorted(session.actions.values_list("description", "owner")) == [
        ("Book training", world.staff.pk),
        ("Find a mentor", world.manager.pk),
    ]
    with pytest.raises(ValidationError):
        feedback_session_create(
            author=world.manager,
            employee=world.staff,
            content=content(),
            record=SessionRecord(new_actions=[NewAction(description="Do it", owner=world.peer)]),
        )


def test_action_complete(world):
    action = ActionFactory(session=FeedbackSessionFactory(employee=world.staff, shared=True))
    action_complete(action=action, by=world.staff)
    action.refresh_from_db()
    assert action.done_on == clock.today()
    with pytest.raises(ValidationError, match="already done"):
        action_complete(action=action, by=world.staff)


def test_a_failing_broker_never_fails_the_save(world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(_org_id):
        raise ConnectionError("redis down")

    monkeypatch.setattr(queueing, "_handler", broken)
    with django_capture_on_commit_callbacks(execute=True):
        session = feedback_session_create(author=world.manager, employee=world.staff, content=content())
    assert FeedbackSession.objects.filter(pk=session.pk).exists()
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None


def test_only_the_chain_or_the_author_may_review_an_action(world):
    earlier = FeedbackSessionFactory(employee=world.staff, manager=world.manager, acknowledged=True)
    action = ActionFactory(session=earlier)
    with pytest.raises(ValidationError, match="line management above"):
        feedback_session_create(
            author=world.head,
            employee=world.staff,
            content=content(),
            record=SessionRecord(action_reviews=[ActionReview(action=action, outcome="done")]),
        )
    feedback_session_create(
        author=world.service_head,
        employee=world.staff,
        content=content(),
        record=SessionRecord(action_reviews=[ActionReview(action=action, outcome="done")]),
    )
    action.refresh_from_db()
    assert action.done_on is not None
