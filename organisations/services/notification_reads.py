"""What a person does with what is waiting for them: open one (it is then read),
mark them all as read, choose a channel per kind. Each person acts on their own
notifications only: the views fetch them through ``visible_to``, and these
functions check the recipient again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from core import clock
from organisations.models import Employee
from organisations.models.notifications import Notification, NotificationPreference
from organisations.rules import notifications as rules


def notification_open(*, notification: Notification, by: Employee) -> Notification:
    """Mark it read (the first opening counts; opening it again changes nothing)."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied("This is someone else's notification.")
    if notification.read_at is None:
        now = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, by: Employee) -> int:
    """Every unread notification of ``by`` read now; returns how many (one query)."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=clock.now())


def notifications_settle(*, recipient_id: int, kind: str, key: str) -> int:
    """Mark read what no longer waits (a session acknowledged): the kind's
    notification of ``recipient_id`` with ``key`` and those under it (``key:...``,
    its reminders)."""
    return (
        Notification.objects.filter(recipient_id=recipient_id, kind=kind, read_at__isnull=True)
        .filter(Q(key=key) | Q(key__startswith=f"{key}:"))
        .update(read_at=clock.now())
    )


def notification_preferences_save(*, by: Employee, channels: dict[str, str]) -> list[str]:
    """Store ``by``'s channel per kind; a choice equal to the kind's default is
    stored as no row, so a default changed later reaches them. Returns the kinds
    whose channel changed."""
    valid = {code for code, _ in rules.CHANNELS}
    errors = {}
    for kind, channel in channels.items():
        if kind not in rules.BY_CODE:
            errors[kind] = "Unknown kind of notification."
        elif channel not in valid:
            errors[kind] = "Choose how you want to hear about this."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = dict(
            NotificationPreference.objects.select_for_update()
            .filter(employee=by)
            .values_list("kind", "channel")
        )
        changed = []
        for kind, channel in channels.items():
            before = rules.channel_for(kind, stored)
            if before != channel:
                changed.append(kind)
        default = {
            kind for kind, channel in channels.items() if rules.BY_CODE[kind].default_channel == channel
        }
        NotificationPreference.objects.filter(employee=by, kind__in=default).delete()
        for kind, channel in channels.items():
            if kind in default:
                continue
            NotificationPreference.objects.update_or_create(
                employee=by, kind=kind, defaults={"channel": channel}
            )
    return changed
