"""Writes for the shared agenda of a person's next one-to-one: add a topic, take
one off, and what a session records about each (discussed, or carried over to
the next session). Who may see the agenda is on the model
(``appraisals.models.agenda``); who may change it in ``appraisals.rules.agenda_access``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from appraisals.models import AgendaTopic, FeedbackSession
from appraisals.models.sessions import is_line_manager_or_grandmanager
from core.clock import now
from organisations.models import Employee

DISCUSSED = "discussed"
CARRY = "carry"


@dataclass(frozen=True)
class AgendaReview:
    """What a session made of a topic on the agenda."""

    topic: AgendaTopic
    outcome: str  # DISCUSSED or CARRY


class _As:
    """The acting person, as the model's visibility rule takes a viewer."""

    def __init__(self, employee: Employee):
        self.employee = employee
        self.organisation = employee.organisation


def _with_history(topic: AgendaTopic, *, by: Employee, reason: str) -> None:
    topic._history_user = by.user
    topic._change_reason = reason


def agenda_topic_add(*, employee: Employee, text: str, by: Employee) -> AgendaTopic:
    """Put a topic on the agenda of ``employee``'s next one-to-one: by the person,
    their line manager or that manager's manager."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the topic you want to talk about"})
    if employee.organisation_id != by.organisation_id or not (
        employee.pk == by.pk or is_line_manager_or_grandmanager(_As(by), employee)
    ):
        raise PermissionDenied("Only the person and their managers can add to their agenda.")
    if not employee.active:
        raise ValidationError("This person has left, so their agenda is closed.")
    topic = AgendaTopic(organisation_id=employee.organisation_id, employee=employee, text=text, added_by=by)
    topic.added_at = now()
    _with_history(topic, by=by, reason="Added")
    topic.full_clean()
    topic.save()
    return topic


def agenda_topic_remove(*, topic: AgendaTopic, by: Employee) -> None:
    """Take an open topic off the agenda: only whoever added it."""
    if topic.added_by_id != by.pk:
        raise PermissionDenied("Only the person who added a topic can take it off the agenda.")
    if not topic.is_open:
        raise ValidationError("This topic was discussed in a session, so it stays with that session.")
    _with_history(topic, by=by, reason="Taken off the agenda")
    topic.delete()


def agenda_topics_for_session(employee: Employee, session: FeedbackSession | None = None):
    """The topics a session form lists: the open ones, and those this session
    already marked discussed (so changing the session can carry them over again)."""
    qs = AgendaTopic.objects.filter(employee=employee)
    if session is not None and session.pk:
        return qs.filter(Q(discussed_in__isnull=True) | Q(discussed_in=session))
    return qs.filter(discussed_in__isnull=True)


def agenda_topics_review(*, session: FeedbackSession, reviews: Iterable[AgendaReview], by: Employee) -> None:
    """Mark each topic discussed in ``session`` (it leaves the agenda) or carried
    over (it stays for the next session, counted once per session). Called by the
    session services inside their transaction."""
    reviews = list(reviews)
    if reviews and not is_line_manager_or_grandmanager(_As(by), session.employee):
        raise ValidationError(
            "Only the person's line manager, or that manager's manager, can mark their agenda."
        )
    for review in reviews:
        topic = review.topic
        if topic.employee_id != session.employee_id:
            raise ValidationError("Only topics on this person's agenda can be marked in their session.")
        if topic.discussed_in_id not in (None, session.pk):
            raise ValidationError(f"“{topic.text}” was discussed in another session.")
        if review.outcome == DISCUSSED:
            if topic.discussed_in_id == session.pk:
                continue
            topic.discussed_in = session
            reason = "Discussed"
        elif review.outcome == CARRY:
            if topic.discussed_in_id is None and topic.last_carried_in_id == session.pk:
                continue
            topic.discussed_in = None
            if topic.last_carried_in_id != session.pk:
                topic.times_carried_over += 1
                topic.last_carried_in = session
            reason = "Carried over"
        else:
            raise ValidationError(f"Unknown outcome {review.outcome!r} for an agenda topic.")
        _with_history(topic, by=by, reason=reason)
        topic.full_clean()
        topic.save()
