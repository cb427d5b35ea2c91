"""The daily reminders: what has come due for a person by the calendar, each
notified once (``organisations.services.notifications.notify_many``), in the
channel they chose.

- a feedback session shared ``ACKNOWLEDGE_REMINDER_DAYS`` ago and still not
  acknowledged: its employee (kind ``session_shared``, the share's own kind, so a
  person hears about the reminder as they chose to hear about the share);
- an open individual objective with no check-in for ``CHECK_IN_INTERVAL_DAYS``
  (counted from its last check-in, else from when it was agreed or started):
  its owner (``check_in_due``);
- an open risk whose review is due within ``RISK_REVIEW_NOTICE_DAYS`` or overdue:
  its owner (``risk_review_due``).

The numbers are in ``organisations/rules/notifications.py``. Each event's key
names what makes it new (the session; the goal and the check-in's due date; the
risk and its review date), so a job that runs twice, or daily while the thing
waits, tells the person once; a new check-in or a new review date makes the next
one a new event. Four queries for sessions, goals and risks across every
organisation, and those of ``notify_many``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from appraisals.models import FeedbackSession, Goal, GoalLevel, SessionState
from appraisals.models.goals import OPEN_STATUSES
from core import glossary
from organisations.models import Risk
from organisations.rules import notifications as rules
from organisations.services.notifications import Pending, notify_many


def check_in_due_on(*, last_check_in: date | None, agreed_on: date | None, start: date) -> date:
    """When an objective's next check-in is due: ``CHECK_IN_INTERVAL_DAYS`` after
    its last check-in, else after it was agreed (or started, if later)."""
    since = last_check_in or max(d for d in (agreed_on, start) if d is not None)
    return since + timedelta(days=rules.CHECK_IN_INTERVAL_DAYS)


def acknowledgement_reminders(today: date) -> list[Pending]:
    shared_by = timezone.make_aware(
        datetime.combine(today - timedelta(days=rules.ACKNOWLEDGE_REMINDER_DAYS - 1), time.min)
    )
    sessions = FeedbackSession.objects.filter(
        state=SessionState.SHARED, shared_at__lt=shared_by, employee__active=True
    ).select_related("manager")
    return [
        Pending(
            recipient_id=s.employee_id,
            kind="session_shared",
            key=f"session:{s.pk}:reminder",
            text=(
                f"Reminder: {s.manager.full_name if s.manager else 'your manager'} shared a record of your "
                f"{s.get_kind_display().lower()} held on {glossary.long_date(s.held_on)} "
                f"on {glossary.long_date(timezone.localdate(s.shared_at))}. Read it and acknowledge it."
            ),
            url=reverse("appraisals:session_detail", args=[s.pk]),
        )
        for s in sessions
    ]


def check_ins_due(today: date) -> list[Pending]:
    goals = (
        Goal.objects.filter(
            level=GoalLevel.INDIVIDUAL,
            status__in=OPEN_STATUSES,
            owner__active=True,
            start_date__lte=today,
        )
        .annotate(
            last_check_in=Max("check_ins__date", filter=~Q(check_ins__session__state=SessionState.DRAFT))
        )
        .only("pk", "owner_id", "title", "start_date", "agreed_at")
    )
    out = []
    for goal in goals:
        agreed_on = timezone.localdate(goal.agreed_at) if goal.agreed_at else None
        due = check_in_due_on(last_check_in=goal.last_check_in, agreed_on=agreed_on, start=goal.start_date)
        if due > today:
            continue
        since = (
            f"the last was on {glossary.long_date(goal.last_check_in)}"
            if goal.last_check_in
            else "there has been none yet"
        )
        out.append(
            Pending(
                recipient_id=goal.owner_id,
                kind="check_in_due",
                key=f"goal:{goal.pk}:check_in:{due.isoformat()}",
                text=f"A check-in is due on your objective “{goal.title}”: {since}.",
                url=reverse("appraisals:goal_check_in", args=[goal.pk]),
            )
        )
    return out


def risk_reviews_due(today: date) -> list[Pending]:
    horizon = today + timedelta(days=rules.RISK_REVIEW_NOTICE_DAYS)
    risks = Risk.objects.filter(is_open=True, owner__active=True, review_due__lte=horizon).only(
        "pk", "owner_id", "title", "review_due"
    )
    out = []
    for risk in risks:
        when = glossary.long_date(risk.review_due)
        text = (
            f"The review of the risk “{risk.title}” was due on {when}: it is overdue."
            if risk.review_due < today
            else f"The review of the risk “{risk.title}” is due on {when}."
        )
        out.append(
            Pending(
                recipient_id=risk.owner_id,
                kind="risk_review_due",
                key=f"risk:{risk.pk}:review:{risk.review_due.isoformat()}",
                text=text,
                url=reverse("organisations:risk_detail", args=[risk.pk]),
            )
        )
    return out


def reminders_send(*, today: date) -> dict[str, int]:
    """Find and notify today's reminders (one transaction). Returns how many of
    each kind were new."""
    with transaction.atomic():
        events = acknowledgement_reminders(today) + check_ins_due(today) + risk_reviews_due(today)
        made = notify_many(events)
    counts = {"session_shared": 0, "check_in_due": 0, "risk_review_due": 0}
    for n in made:
        counts[n.kind] += 1
    return counts
