"""Notifications and emails about feedback sessions, and Monday's summary email.
They never carry what was said: a session's content stays behind the sign-in,
and the private note never leaves the manager's side of the product."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from appraisals.models import Action, FeedbackSession, SessionState
from appraisals.selectors.supervision import cadence_for
from core import glossary
from core.outbox import outbox_emails_add
from organisations.models import Employee, Organisation
from organisations.services.notification_digest import digests_due, digests_mark_emailed
from organisations.services.notifications import notify

DIGEST_HORIZON_DAYS = 7


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _long(d: date) -> str:
    return glossary.long_date(d)


def session_shared_notify(session: FeedbackSession):
    """Tell the employee their session is shared, in the channel they chose for
    it (an email straight away by default). The text names who shared it and
    when it was held, never what was said."""
    manager = session.manager.full_name if session.manager else "Your manager"
    return notify(
        session.employee,
        "session_shared",
        key=f"session:{session.pk}",
        text=(
            f"{manager} has shared a record of your {session.get_kind_display().lower()} "
            f"held on {_long(session.held_on)}. Read it and acknowledge it."
        ),
        url=reverse("appraisals:session_detail", args=[session.pk]),
    )


TEAM_SUBJECT = "Your team this week: feedback sessions and actions due"
WAITING_SUBJECT = "What is waiting for you this week"
BOTH_SUBJECT = "Your week: your team's sessions and actions, and what is waiting for you"


def weekly_digest_messages(*, today: date) -> list[EmailMessage]:
    """The managers' team summaries alone (see :func:`team_digests`)."""
    return [_message(manager, TEAM_SUBJECT, body) for manager, body in team_digests(today=today).values()]


def _message(person: Employee, subject: str, body: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[person.email])


def weekly_digests_send(*, today: date, now: datetime) -> int:
    """Monday's email, one per person: a manager's team summary and the person's
    notifications on the weekly summary channel, joined when they have both, so
    nobody gets two summaries on the same morning. Written to the outbox with
    the notifications marked emailed, in one transaction. Returns the emails."""
    with transaction.atomic():
        team = team_digests(today=today)
        waiting = digests_due(now=now)
        messages = []
        for person_id in sorted(set(team) | set(waiting)):
            parts = []
            if person_id in team:
                person, body = team[person_id]
                parts.append(body.rstrip("\n"))
            if person_id in waiting:
                person = waiting[person_id].recipient
                if not parts:
                    parts.append(f"Dear {person.first_name},")
                parts.append(waiting[person_id].text())
            subject = (
                BOTH_SUBJECT
                if person_id in team and person_id in waiting
                else TEAM_SUBJECT
                if person_id in team
                else WAITING_SUBJECT
            )
            messages.append(_message(person, subject, "\n\n".join(parts) + "\n"))
        outbox_emails_add(messages=messages)
        digests_mark_emailed(waiting, now=now)
    return len(messages)


def team_digests(*, today: date) -> dict[int, tuple[Employee, str]]:
    """Each manager with something to act on this week, with the summary's body:
    reports whose session is due in the next 7 days or overdue, and open actions
    from their reports' sessions due in the next 7 days (or overdue). A fixed
    number of queries per organisation, whatever its size."""
    horizon = today + timedelta(days=DIGEST_HORIZON_DAYS)
    out: dict[int, tuple[Employee, str]] = {}
    for organisation in Organisation.objects.all():
        people = Employee.objects.filter(
            organisation=organisation, active=True, line_manager__isnull=False
        ).select_related("line_manager")
        cadences = cadence_for(people, organisation, today)
        due_by_manager: dict[int, list] = defaultdict(list)
        managers: dict[int, Employee] = {}
        for c in cadences.values():
            if c.next_due is not None and c.next_due <= horizon:
                due_by_manager[c.employee.line_manager_id].append(c)
                managers[c.employee.line_manager_id] = c.employee.line_manager
        actions_by_manager: dict[int, list[Action]] = defaultdict(list)
        actions = (
            Action.objects.open()
            # A draft is its author's alone: its actions reach the manager who wrote it.
            .filter(
                ~Q(session__state=SessionState.DRAFT)
                | Q(session__manager=F("session__employee__line_manager"))
            )
            .filter(
                session__organisation=organisation,
                session__employee__active=True,
                session__employee__line_manager__isnull=False,
                due_on__lte=horizon,
            )
            .select_related("owner", "session__employee__line_manager")
            .order_by("due_on", "pk")
        )
        for action in actions:
            manager = action.session.employee.line_manager
            actions_by_manager[manager.pk].append(action)
            managers[manager.pk] = manager
        for manager_id, manager in sorted(managers.items()):
            if not manager.email or not manager.active:
                continue
            body = _digest_body(
                manager,
                sorted(due_by_manager.get(manager_id, []), key=lambda c: c.next_due),
                actions_by_manager.get(manager_id, []),
                today,
            )
            out[manager_id] = (manager, body)
    return out


def _digest_body(manager: Employee, due: list, actions: list[Action], today: date) -> str:
    lines = [f"Dear {manager.first_name},", ""]
    if due:
        lines.append("Feedback sessions due or overdue:")
        for c in due:
            if c.overdue:
                when = f"overdue by {c.days_overdue} day{'s' if c.days_overdue != 1 else ''}"
            else:
                when = f"due {_long(c.next_due)}"
            lines.append(f"- {c.employee.full_name}: {when}")
        lines.append("")
    if actions:
        lines.append("Actions due in the next 7 days or overdue:")
        for a in actions:
            state = "overdue, " if a.due_on < today else ""
            owner = a.owner.full_name if a.owner else "nobody"
            lines.append(
                f"- {a.description} ({state}due {_long(a.due_on)}; for {owner}, "
                f"from {a.session.employee.full_name}'s session)"
            )
        lines.append("")
    lines += ["Sign in to see your team:", _absolute(reverse("home"))]
    return "\n".join(lines) + "\n"


def send_all(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
