"""Storage limitation (UK GDPR): what was said in a person's sessions is removed
once they have been gone longer than their organisation keeps it
(``Organisation.session_retention_years``, 6 by default, counted from the day
they left, or their contract's end date when no leaving date was recorded).

Removed: what was discussed, achievements, areas to develop, wellbeing, the
assessment, the private note, the employee's comment, the reason for a change,
and the text of the session's actions, in the sessions and in their history
rows (which hold copies). Kept: dates, kinds, states and who held the session,
so compliance figures still add up. People still employed (active) are never
touched, whatever their dates say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet

from organisations.models import Employee, Organisation

from ..models import Action, FeedbackSession

REMOVED = "Removed under the retention policy."
CONTENT_TO_REMOVE = {
    "discussion": "",
    "achievements": "",
    "development_areas": "",
    "wellbeing": "",
    "private_note": "",
    "employee_comment": "",
    "overall_assessment": "",
    "change_reason": "",
}


@dataclass(frozen=True)
class RetentionResult:
    organisation: Organisation
    cutoff: date  # people who left before this date have their sessions' content removed
    people: int
    sessions: int
    actions: int
    dry_run: bool = False

    def describe(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        return (
            f"{self.organisation.slug}: {verb} the content of {self.sessions} sessions and "
            f"{self.actions} actions of {self.people} people who left before {self.cutoff:%d/%m/%Y} "
            f"(retention {self.organisation.session_retention_years} years); dates and kinds kept."
        )


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def sessions_past_retention(organisation: Organisation, *, today: date) -> tuple[date, QuerySet, QuerySet]:
    """The cutoff, the leavers gone longer than the retention period, and their
    sessions whose content is still there."""
    cutoff = _years_before(today, organisation.session_retention_years)
    leavers = Employee.objects.filter(organisation=organisation, active=False).filter(
        Q(left_on__lt=cutoff) | Q(left_on__isnull=True, end_date__lt=cutoff)
    )
    sessions = FeedbackSession.objects.filter(
        organisation=organisation, employee__in=leavers, content_removed_on__isnull=True
    )
    return cutoff, leavers, sessions


def session_retention_apply(
    *, organisation: Organisation, today: date, dry_run: bool = False
) -> RetentionResult:
    """Remove the content of one organisation's sessions past retention (or, with
    ``dry_run``, only count it). Idempotent: removed content is not counted again."""
    cutoff, leavers, sessions = sessions_past_retention(organisation, today=today)
    with transaction.atomic():
        ids = list(sessions.values_list("pk", flat=True))
        people = leavers.filter(feedback_sessions__in=ids).distinct().count() if ids else 0
        actions = Action.objects.filter(session_id__in=ids).count() if ids else 0
        if ids and not dry_run:
            # Queryset updates bypass simple-history on purpose: a history row would
            # keep a copy of what is being removed. The existing copies go too.
            FeedbackSession.objects.filter(pk__in=ids).update(**CONTENT_TO_REMOVE, content_removed_on=today)
            FeedbackSession.history.filter(id__in=ids).update(**CONTENT_TO_REMOVE)
            Action.objects.filter(session_id__in=ids).update(description=REMOVED)
            Action.history.filter(session_id__in=ids).update(description=REMOVED)
    return RetentionResult(organisation, cutoff, people, len(ids), actions, dry_run)
