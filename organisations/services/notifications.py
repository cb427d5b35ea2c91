"""Tell a person something is waiting for them, once, in the channel they chose.

``notify`` is the one way in: a save, a scheduled job or a recompute calls it
with the event's key; a second call for the same event adds nothing. The
notification is listed on the person's "Waiting for you" page; if they chose
email for the kind, an email goes through the outbox in the same transaction
(so it is sent once, after commit, and a broker outage loses nothing); if they
chose the weekly summary, the digest job carries it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from core import clock
from core.outbox import outbox_email_add
from organisations.models import Employee
from organisations.models.notifications import Notification, NotificationPreference
from organisations.rules import notifications as rules


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def channel_for(recipient: Employee, kind: str) -> str:
    chosen = dict(
        NotificationPreference.objects.filter(employee=recipient, kind=kind).values_list("kind", "channel")
    )
    return rules.channel_for(kind, chosen)


def notify(recipient: Employee | None, kind: str, *, key: str, text: str, url: str) -> Notification | None:
    """Record that ``text`` (with a link to ``url``, a path in the product) waits
    for ``recipient``; email it if they chose email for ``kind``. Returns the new
    notification, or None when there is nobody to tell (no one, or someone who
    has left) or this event was already notified."""
    if recipient is None or not recipient.active:
        return None
    channel = channel_for(recipient, kind)
    now = clock.now()
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                recipient=recipient,
                kind=kind,
                key=key[:120],
                defaults={
                    "organisation_id": recipient.organisation_id,
                    "text": text[:300],
                    "url": url,
                    "channel": channel,
                    "created_at": now,
                },
            )
    except IntegrityError:  # the same event, notified by a concurrent call
        return None
    if not created:
        return None
    if channel == rules.EMAIL and recipient.email:
        outbox_email_add(
            message=EmailMessage(
                subject=text[:150],
                body=(
                    f"Dear {recipient.first_name},\n\n{text}\n\n"
                    f"Sign in to see it:\n{_absolute(url)}\n\n"
                    "You can choose how you hear about this under Notification settings.\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[recipient.email],
            )
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now)
        notification.emailed_at = now
    return notification
