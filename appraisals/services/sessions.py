"""Writes for feedback sessions: log, change, share, acknowledge; actions and
what a session records about goals and skills.

Workflow: draft -> shared (the employee is notified) -> acknowledged (the employee
confirms, may comment) -> locked. A change after sharing needs a reason, kept in
the session's history (simple-history's change reason and ``change_reason``).
Every write queues a recompute of the organisation's flags on commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from appraisals.models import Action, FeedbackSession, Goal, RatingSource, SessionState, SkillRating
from appraisals.models.goals import CHECK_IN_STATUSES
from appraisals.models.sessions import SAID_FIELDS
from appraisals.services.agenda import AgendaReview, agenda_topics_review
from appraisals.services.goals import goal_check_in_record, goal_check_ins_apply_session
from appraisals.services.notifications import session_shared_notify
from core import clock
from core.queueing import request_recompute
from organisations.models import Employee, SkillRequirement
from organisations.services.notification_reads import notifications_settle

LOCKED_MESSAGE = "This session has been acknowledged by the employee, so it can no longer be changed."


@dataclass(frozen=True)
class SessionContent:
    held_on: date
    kind: str
    discussion: str = ""
    achievements: str = ""
    development_areas: str = ""
    wellbeing: str = ""
    overall_assessment: str = ""
    private_note: str = ""
    next_session_on: date | None = None


CONTENT_FIELDS = [f for f in SessionContent.__dataclass_fields__]


@dataclass(frozen=True)
class ActionReview:
    """What became of an open action from an earlier session."""

    action: Action
    outcome: str  # "done", "carry" or "leave"


@dataclass(frozen=True)
class GoalUpdate:
    goal: Goal
    progress: int
    status: str
    comment: str = ""


@dataclass(frozen=True)
class NewAction:
    description: str
    owner: Employee
    due_on: date | None = None


@dataclass
class SessionRecord:
    """Everything a session form records beside the session itself."""

    action_reviews: Iterable[ActionReview] = ()
    goal_updates: Iterable[GoalUpdate] = ()
    skill_levels: Mapping[int, int] = field(default_factory=dict)  # {skill id: level}
    new_actions: Iterable[NewAction] = ()
    agenda_reviews: Iterable[AgendaReview] = ()  # topics on the shared agenda: discussed or carried over


def _with_history(instance, *, by: Employee | None, reason: str) -> None:
    # simple-history reads these when the instance is saved.
    instance._history_user = by.user if by is not None else None
    instance._change_reason = reason[:100]


def _check_held_on(held_on: date) -> None:
    if held_on > clock.today():
        raise ValidationError({"held_on": "The date held must be today or in the past."})


def open_actions_for(employee: Employee, *, exclude_session: FeedbackSession | None = None):
    """Open actions from the employee's sessions (not carried into a later one)."""
    qs = Action.objects.open().filter(session__employee=employee)
    if exclude_session is not None and exclude_session.pk:
        qs = qs.exclude(session=exclude_session)
    return qs


def _apply_record(session: FeedbackSession, *, by: Employee, record: SessionRecord) -> None:
    employee = session.employee
    action_reviews = list(record.action_reviews)
    # Who may read an earlier session's actions: its author, the line manager and
    # that manager's manager, so only they may review them.
    content_chain = Employee.objects.chain_ids(employee.pk)[:2] if action_reviews else []
    for review in action_reviews:
        action = review.action
        if action.session.employee_id != employee.pk or action.session_id == session.pk:
            raise ValidationError("Only open actions from this person's earlier sessions can be reviewed.")
        if by.pk not in content_chain and action.session.manager_id != by.pk:
            raise ValidationError(
                "Only the manager who agreed an action, or the line management above, can review it."
            )
        if review.outcome == "leave":
            continue
        if not Action.objects.open().filter(pk=action.pk).exists():
            raise ValidationError(f"“{action.description}” is no longer open.")
        if review.outcome == "done":
            action.done_on = max(session.held_on, action.session.held_on)
            _with_history(action, by=by, reason="Done")
            action.full_clean()
            action.save()
        elif review.outcome == "carry":
            carried = Action(
                session=session,
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
                carried_over_from=action,
            )
            _with_history(carried, by=by, reason="Carried over")
            carried.full_clean()
            carried.save()
        else:
            raise ValidationError(f"Unknown outcome {review.outcome!r} for an action.")

    allowed_statuses = {value for value, _ in CHECK_IN_STATUSES}
    for update in record.goal_updates:
        goal = update.goal
        if goal.owner_id != employee.pk or not goal.is_open:
            raise ValidationError(f"“{goal.title}” is not one of this person's open goals.")
        # "No change": the goal keeps its status (agreed, on track, at risk or off track).
        if update.status not in allowed_statuses and update.status != goal.status:
            raise ValidationError({"status": "Choose a status for the goal."})
        goal_check_in_record(
            goal=goal,
            author=by,
            progress=update.progress,
            status=update.status,
            comment=update.comment,
            on=session.held_on,
            session=session,
        )

    if record.skill_levels:
        required = set(
            SkillRequirement.objects.filter(job_role_id=employee.job_role_id).values_list(
                "skill_id", flat=True
            )
        )
        for skill_id, level in record.skill_levels.items():
            if skill_id not in required:
                raise ValidationError("Rate only the skills this person's role requires.")
            if session.state == SessionState.DRAFT:
                # Saving a draft again replaces what it said, it does not add to it.
                SkillRating.objects.filter(session=session, skill_id=skill_id).delete()
            rating = SkillRating(
                employee=employee,
                skill_id=skill_id,
                level=level,
                source=RatingSource.MANAGER,
                rated_by=by,
                rated_on=session.held_on,
                session=session,
            )
            _with_history(rating, by=by, reason="Rated in a feedback session")
            rating.full_clean()
            rating.save()

    agenda_topics_review(session=session, reviews=record.agenda_reviews, by=by)

    owners_allowed = {employee.pk, by.pk, session.manager_id}
    for new in record.new_actions:
        if new.owner.pk not in owners_allowed:
            raise ValidationError({"owner": "An action belongs to the employee or their manager."})
        if new.due_on and new.due_on < session.held_on:
            raise ValidationError(
                {"due_on": "The due date must be on or after the date the session was held."}
            )
        action = Action(
            session=session, description=new.description.strip(), owner=new.owner, due_on=new.due_on
        )
        _with_history(action, by=by, reason="Added")
        action.full_clean()
        action.save()


EMPTY_SESSION_MESSAGE = (
    "Enter what was discussed, add an action or update a goal before sharing: "
    "the employee would otherwise be sent an empty record."
)


def _check_has_content(session: FeedbackSession) -> None:
    """A shared session must say something: a note, an action or a goal update."""
    if any(getattr(session, name).strip() for name in SAID_FIELDS):
        return
    if session.actions.exists() or session.check_ins.exists():
        return
    raise ValidationError({"discussion": EMPTY_SESSION_MESSAGE})


def feedback_session_create(
    *,
    author: Employee,
    employee: Employee,
    content: SessionContent,
    record: SessionRecord | None = None,
    share: bool = False,
) -> FeedbackSession:
    """Log a session held by ``author`` with someone below them in line management,
    as a draft or shared straight away."""
    if employee.organisation_id != author.organisation_id or employee.pk not in Employee.objects.report_ids(
        author.pk
    ):
        raise ValidationError(
            {"employee": "You can only log sessions for people below you in line management."}
        )
    _check_held_on(content.held_on)
    with transaction.atomic():
        session = FeedbackSession(
            organisation_id=employee.organisation_id,
            employee=employee,
            manager=author,
            state=SessionState.DRAFT,
            **{name: getattr(content, name) for name in CONTENT_FIELDS},
        )
        _with_history(session, by=author, reason="Logged")
        session.full_clean()
        session.save()
        _apply_record(session, by=author, record=record or SessionRecord())
        if share:
            feedback_session_share(session=session, by=author)
        request_recompute(employee.organisation_id, employees=[employee.pk])
    return session


def feedback_session_update(
    *,
    session: FeedbackSession,
    editor: Employee,
    content: SessionContent,
    reason: str = "",
    record: SessionRecord | None = None,
    share: bool = False,
) -> FeedbackSession:
    """Change a session. Once shared, a change needs a reason; once acknowledged it is locked."""
    reason = reason.strip()
    with transaction.atomic():
        session = FeedbackSession.objects.select_for_update().select_related("employee").get(pk=session.pk)
        if session.state == SessionState.ACKNOWLEDGED:
            raise ValidationError(LOCKED_MESSAGE)
        if session.state == SessionState.SHARED and not reason:
            raise ValidationError(
                {"change_reason": "Enter why you are changing a session that has been shared."}
            )
        _check_held_on(content.held_on)
        for name in CONTENT_FIELDS:
            setattr(session, name, getattr(content, name))
        if session.state == SessionState.SHARED:
            session.change_reason = reason[:500]
        _with_history(session, by=editor, reason=reason or "Draft saved")
        session.full_clean()
        session.save()
        _apply_record(session, by=editor, record=record or SessionRecord())
        if share and session.state == SessionState.DRAFT:
            feedback_session_share(session=session, by=editor)
        request_recompute(session.organisation_id, employees=[session.employee_id])
    return session


def feedback_session_share(*, session: FeedbackSession, by: Employee) -> FeedbackSession:
    """Share a draft with the employee, who is told (``session_shared``: by email
    through the outbox in this transaction, unless they chose otherwise)."""
    with transaction.atomic():
        # Changed and saved as re-read under the lock, so a concurrent edit survives.
        locked = (
            FeedbackSession.objects.select_for_update(of=("self",))
            .select_related("employee", "manager")
            .get(pk=session.pk)
        )
        if locked.state != SessionState.DRAFT:
            raise ValidationError("This session has already been shared.")
        _check_has_content(locked)
        locked.state = SessionState.SHARED
        locked.shared_at = clock.now()
        _with_history(locked, by=by, reason="Shared with the employee")
        locked.full_clean()
        locked.save()
        # What the draft recorded about goals takes effect now that it is shared.
        goal_check_ins_apply_session(session=locked, by=by)
        # Waiting for the employee, in the channel they chose (an email straight
        # away by default, through the outbox in this transaction).
        session_shared_notify(locked)
        request_recompute(locked.organisation_id, employees=[locked.employee_id])
    session.state, session.shared_at = locked.state, locked.shared_at
    return locked


def feedback_session_acknowledge(
    *, session: FeedbackSession, by: Employee, comment: str = ""
) -> FeedbackSession:
    """The employee confirms they have read a shared session; it is then locked."""
    if by.pk != session.employee_id:
        raise PermissionDenied("Only the employee can acknowledge their session.")
    with transaction.atomic():
        # Changed and saved as re-read under the lock, so a concurrent edit survives.
        locked = FeedbackSession.objects.select_for_update().get(pk=session.pk)
        if locked.state == SessionState.DRAFT:
            raise ValidationError("This session has not been shared yet.")
        if locked.state == SessionState.ACKNOWLEDGED:
            raise ValidationError("You have already acknowledged this session.")
        locked.state = SessionState.ACKNOWLEDGED
        locked.acknowledged_at = clock.now()
        locked.employee_comment = comment.strip()
        _with_history(locked, by=by, reason="Acknowledged by the employee")
        locked.full_clean()
        locked.save(update_fields=["state", "acknowledged_at", "employee_comment"])
        # The share and any reminder no longer wait for them.
        notifications_settle(recipient_id=by.pk, kind="session_shared", key=f"session:{locked.pk}")
    return locked


def action_complete(*, action: Action, by: Employee, on: date | None = None) -> Action:
    """Mark an open action done."""
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.done_on is not None:
            raise ValidationError("This action is already done.")
        action.done_on = on or clock.today()
        _with_history(action, by=by, reason="Done")
        action.full_clean()
        action.save()
        request_recompute(action.session.organisation_id, employees=[action.session.employee_id])
    return action
