"""Storage limitation (UK GDPR): what was said in a person's sessions is removed
once they have been gone longer than their organisation keeps it
(``Organisation.session_retention_years``, 6 by default, counted from the day
they left, or their contract's end date when no leaving date was recorded).

Removed, wherever a session's content was written down:

- in the session: what was discussed, achievements, areas to develop, wellbeing,
  the assessment, the private note, the employee's comment, the reason for a
  change;
- the text of the session's actions;
- the comments of goal check-ins entered in the session (``GoalCheckIn.session``);
  their dates, progress and status stay, so a goal's progress still reads;
- the skill ratings entered in the session (``SkillRating.session``) are
  deleted: the level a manager or the person set in a session is a judgement
  recorded in that session, so it is session content. Nothing current depends
  on it: the person has left, and the skills-gap job reads active staff only;
- the simple-history rows of all of these, which hold copies of the same text
  (and, as the history's change reason, the manager's reason for a change).

Kept: dates, kinds, states and who held the session, so compliance figures
still add up. People still employed (active) are never touched, whatever their
dates say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet

from appraisals.models import Action, FeedbackSession, GoalCheckIn, SkillRating
from appraisals.models.sessions import CONTENT_FIELDS
from core import glossary
from organisations.models import Employee, Organisation

REMOVED = "Removed under the retention policy."
CONTENT_TO_REMOVE = dict.fromkeys(CONTENT_FIELDS, "")


@dataclass(frozen=True)
class RetentionResult:
    organisation: Organisation
    cutoff: date  # people who left before this date have their sessions' content removed
    people: int
    sessions: int
    actions: int
    check_ins: int = 0  # goal check-ins entered in those sessions whose comment goes
    skill_ratings: int = 0  # skill ratings entered in those sessions, deleted
    history_rows: int = 0  # history rows holding a copy of any of the above, cleared or deleted
    dry_run: bool = False

    def describe(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        delete = "would delete" if self.dry_run else "deleted"
        clear = "would clear" if self.dry_run else "cleared"
        return (
            f"{self.organisation.slug}: {verb} the content of {self.sessions} sessions and "
            f"{self.actions} actions of {self.people} people who left before {glossary.long_date(self.cutoff)} "
            f"(retention {self.organisation.session_retention_years} years); dates and kinds kept. "
            f"Goal check-in comments: {self.check_ins}; skill ratings {delete}: {self.skill_ratings}; "
            f"history rows {clear}: {self.history_rows}."
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
    ``dry_run``, only count it). Idempotent: removed content is not counted again.

    Check-ins and ratings are looked for in every session of those leavers, not
    only the ones whose content goes now, so sessions emptied before this rule
    covered them are completed too."""
    cutoff, leavers, sessions = sessions_past_retention(organisation, today=today)
    with transaction.atomic():
        ids = list(sessions.values_list("pk", flat=True))
        all_ids = list(
            FeedbackSession.objects.filter(organisation=organisation, employee__in=leavers).values_list(
                "pk", flat=True
            )
        )
        people = leavers.filter(feedback_sessions__in=ids).distinct().count() if ids else 0
        actions = Action.objects.filter(session_id__in=ids).count() if ids else 0
        check_ins = GoalCheckIn.objects.filter(session_id__in=all_ids).exclude(comment="")
        check_in_ids = list(GoalCheckIn.objects.filter(session_id__in=all_ids).values_list("pk", flat=True))
        ratings = SkillRating.objects.filter(session_id__in=all_ids)
        rating_ids = list(ratings.values_list("pk", flat=True))
        # Copies in the history: of the sessions and actions now emptied, of check-ins
        # (linked to the session then or now) with a comment, and of every rating.
        session_history = FeedbackSession.history.filter(id__in=ids)
        action_history = Action.history.filter(session_id__in=ids)
        check_in_history = GoalCheckIn.history.filter(
            Q(session_id__in=all_ids) | Q(id__in=check_in_ids)
        ).exclude(comment="", history_change_reason__isnull=True)
        rating_history = SkillRating.history.filter(Q(session_id__in=all_ids) | Q(id__in=rating_ids))
        counts = {
            "check_ins": check_ins.count(),
            "skill_ratings": len(rating_ids),
            "history_rows": session_history.count()
            + action_history.count()
            + check_in_history.count()
            + rating_history.count(),
        }
        if not dry_run:
            # Queryset updates bypass simple-history on purpose: a history row would
            # keep a copy of what is being removed. The existing copies go too.
            if ids:
                FeedbackSession.objects.filter(pk__in=ids).update(
                    **CONTENT_TO_REMOVE, content_removed_on=today
                )
                session_history.update(**CONTENT_TO_REMOVE, history_change_reason=None)
                Action.objects.filter(session_id__in=ids).update(description=REMOVED)
                action_history.update(description=REMOVED, history_change_reason=None)
            check_ins.update(comment="")
            check_in_history.update(comment="", history_change_reason=None)
            # Deleting a rating writes a history row of the deletion (with its level):
            # the history goes after the ratings.
            ratings.delete()
            rating_history.delete()
    return RetentionResult(organisation, cutoff, people, len(ids), actions, dry_run=dry_run, **counts)
