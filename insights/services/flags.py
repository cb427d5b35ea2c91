"""Writes people make to flags: acknowledging and dismissing, each recording who
and why (the flag's history keeps every change)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock, glossary
from insights.models import Flag
from organisations.models import Employee


def _check_open(flag: Flag, doing: str) -> None:
    if flag.resolved_at is not None:
        raise ValidationError(
            f"This flag was resolved on {glossary.long_date(flag.resolved_at)}: there is nothing to {doing}."
        )


def flag_acknowledge(*, flag: Flag, by: Employee, note: str) -> Flag:
    """Record that ``by`` has seen the flag and what they are doing about it."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Enter a note saying what you are doing about this flag"})
    with transaction.atomic():
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        _check_open(flag, "acknowledge")
        if flag.dismissed_at is not None:
            raise ValidationError("This flag has been dismissed; it comes back if its severity rises.")
        flag.acknowledged_at = clock.now()
        flag.acknowledged_by = by
        flag.acknowledgement_note = note
        flag._history_user = by.user
        flag._change_reason = "Acknowledged"
        flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    return flag


def flag_dismiss(*, flag: Flag, by: Employee, reason: str) -> Flag:
    """Dismiss the flag: it stays quiet while its condition holds at this severity
    or lower, and comes back if the severity rises or once it clears and returns."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are dismissing this flag"})
    with transaction.atomic():
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        _check_open(flag, "dismiss")
        if flag.dismissed_at is not None:
            raise ValidationError("This flag is already dismissed.")
        flag.dismissed_at = clock.now()
        flag.dismissed_by = by
        flag.dismissal_reason = reason
        flag.dismissed_severity = flag.severity
        flag._history_user = by.user
        flag._change_reason = "Dismissed"
        flag.save(update_fields=["dismissed_at", "dismissed_by", "dismissal_reason", "dismissed_severity"])
    return flag


def flags_close_for_leavers(*, organisation_id: int, employee_ids: list[int], reason: str) -> int:
    """Resolve the open flags about people who have just left, each with the reason
    in its history ("Resolved: the person left ..."). Three queries whatever the
    number of people: the flags, their update, their history rows. Connected to
    ``organisations.signals.people_left`` (the people import sends it)."""
    from core.bulk import insert_objects, update_objects
    from insights.services.flagging import history_rows

    if not employee_ids:
        return 0
    now = clock.now()
    flags = list(
        Flag.objects.filter(
            organisation_id=organisation_id, employee_id__in=employee_ids, resolved_at__isnull=True
        )
    )
    for flag in flags:
        flag.resolved_at = now
        flag._change_reason = f"Resolved: {reason}"[:100]
    update_objects(Flag, flags, ["resolved_at"])
    insert_objects(Flag.history.model, history_rows(flags, now, "~"))
    return len(flags)
