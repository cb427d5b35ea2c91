"""Reads for "Waiting for you": a person's notifications and their choices."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from organisations.models.notifications import Notification, NotificationPreference
from organisations.rules import notifications as rules


def waiting_for(viewer) -> QuerySet[Notification]:
    """The viewer's notifications, unread first, then newest first (a page of it
    is one query, and its count one more)."""
    return (
        Notification.objects.visible_to(viewer)
        .annotate(is_read=ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField()))
        .order_by("is_read", "-created_at", "-pk")
    )


def channels_of(employee) -> dict[str, str]:
    """Each kind's channel for ``employee``: their choice, else the kind's default (one query)."""
    chosen = dict(NotificationPreference.objects.filter(employee=employee).values_list("kind", "channel"))
    return {k.code: rules.channel_for(k.code, chosen) for k in rules.KINDS}
