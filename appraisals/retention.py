"""Retention of feedback-session content (UK GDPR storage limitation).

Once a person has left, the content of their sessions (what was said, the
private note, wellbeing, the assessment, their comment, actions' text) is kept
for the organisation's ``session_retention_years`` after the leaving date, then
removed. The dates, kinds and states stay, for compliance statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from organisations.models import Employee, Organisation

from .models import Action, FeedbackSession

CONTENT_FIELDS = {
    "discussion": "",
    "achievements": "",
    "development_areas": "",
    "wellbeing": "",
    "overall_assessment": "",
    "private_note": "",
    "employee_comment": "",
    "change_reason": "",
}
REMOVED_ACTION_TEXT = "(removed under the retention policy)"


@dataclass
class RetentionResult:
    organisation: Organisation
    cutoff: date
    people: int
    sessions: int
    actions: int


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def sessions_past_retention(organisation: Organisation, today: date):
    cutoff = _years_before(today, organisation.session_retention_years)
    leavers = Employee.objects.filter(organisation=organisation, active=False).filter(
        Q(left_on__lt=cutoff) | Q(left_on__isnull=True, end_date__lt=cutoff)
    )
    sessions = FeedbackSession.objects.filter(
        organisation=organisation, employee__in=leavers, content_removed_on__isnull=True
    )
    return cutoff, leavers, sessions


def apply_retention(*, organisation: Organisation, today: date, dry_run: bool = False) -> RetentionResult:
    cutoff, leavers, sessions = sessions_past_retention(organisation, today)
    with transaction.atomic():
        people = leavers.filter(feedback_sessions__in=sessions).distinct().count()
        actions = Action.objects.filter(session__in=sessions)
        n_actions = actions.count()
        n_sessions = sessions.count()
        if not dry_run and n_sessions:
            # Queryset updates bypass simple-history on purpose: copying the content
            # into history rows would defeat its removal. History rows are purged too.
            ids = list(sessions.values_list("pk", flat=True))
            FeedbackSession.history.filter(id__in=ids).update(**CONTENT_FIELDS)
            Action.history.filter(session_id__in=ids).update(description=REMOVED_ACTION_TEXT)
            actions.update(description=REMOVED_ACTION_TEXT)
            FeedbackSession.objects.filter(pk__in=ids).update(**CONTENT_FIELDS, content_removed_on=today)
    return RetentionResult(organisation, cutoff, people, n_sessions, n_actions)
