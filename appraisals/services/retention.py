"""Storage limitation (UK GDPR): what was said in a person's sessions is removed
once they have been gone longer than their organisation keeps it. Dates, kinds
and states stay, so compliance figures still add up. The history tables hold
copies of the content, so they are cleared too."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from organisations.models import Organisation

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


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def session_retention_apply(*, today: date) -> int:
    """Remove content from the sessions of people who left before each
    organisation's retention period; returns how many sessions were cleared."""
    cleared = 0
    for organisation in Organisation.objects.all():
        cutoff = _years_before(today, organisation.session_retention_years)
        sessions = FeedbackSession.objects.filter(
            organisation=organisation,
            employee__left_on__isnull=False,
            employee__left_on__lte=cutoff,
            content_removed_on__isnull=True,
        )
        with transaction.atomic():
            ids = list(sessions.values_list("pk", flat=True))
            if not ids:
                continue
            FeedbackSession.objects.filter(pk__in=ids).update(**CONTENT_TO_REMOVE, content_removed_on=today)
            FeedbackSession.history.filter(id__in=ids).update(**CONTENT_TO_REMOVE)
            Action.objects.filter(session_id__in=ids).update(description=REMOVED)
            Action.history.filter(session_id__in=ids).update(description=REMOVED)
            cleared += len(ids)
    return cleared
