"""Tell a person something is waiting for them, once, in the channel they chose.

``notify`` is the one way in for one event: a save or a scheduled job calls it
with the event's key; a second call for the same event adds nothing.
``notify_many`` does the same for many events in a fixed number of queries (the
recompute's new flags, the daily reminders). Every notification is listed on
the person's "Waiting for you" page; if they chose email for the kind, an email
goes through the outbox in the same transaction (so it is sent once, after
commit, and a broker outage loses nothing); if they chose the weekly summary,
the digest job carries it (``organisations.services.notification_digest``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from core import clock
from core.outbox import outbox_email_add, outbox_emails_add
from organisations.models import Employee
from organisations.models.notifications import Notification, NotificationPreference
from organisations.rules import notifications as rules

KEY_MAX = Notification._meta.get_field("key").max_length
TEXT_MAX = Notification._meta.get_field("text").max_length


@dataclass(frozen=True)
class Pending:
    """One event to tell one person about (``notify_many``)."""

    recipient_id: int
    kind: str
    key: str
    text: str
    url: str


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def channel_for(recipient: Employee, kind: str) -> str:
    chosen = dict(
        NotificationPreference.objects.filter(employee=recipient, kind=kind).values_list("kind", "channel")
    )
    return rules.channel_for(kind, chosen)


def email_for(recipient: Employee, kind: str, text: str, url: str) -> EmailMessage:
    """The email sent straight away: what is waiting and a link, never more (the
    text is all a notification holds)."""
    note = rules.BY_CODE[kind].email_note
    body = (
        f"Dear {recipient.first_name},\n\n{text}\n\n"
        f"Sign in to see it:\n{_absolute(url)}\n\n"
        + (f"{note}\n\n" if note else "")
        + "You can choose how you hear about this under Notification settings.\n"
    )
    return EmailMessage(
        subject=text[:150],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


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
                key=key[:KEY_MAX],
                defaults={
                    "organisation_id": recipient.organisation_id,
                    "text": text[:TEXT_MAX],
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
        outbox_email_add(message=email_for(recipient, kind, text, url))
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now)
        notification.emailed_at = now
    return notification


def notify_many(events: Iterable[Pending], *, now: datetime | None = None) -> list[Notification]:
    """``notify`` for many events at once, in at most five queries whatever their
    number (none when there are none): the recipients, their preferences for these
    kinds, the events already notified, one insert of the new notifications (those
    emailed straight away carry ``emailed_at``) and one insert of their emails into
    the outbox. Returns the notifications made. Call it inside the transaction
    that found the events, so both are written or neither."""
    events = list({(e.recipient_id, e.kind, e.key[:KEY_MAX]): e for e in events}.values())
    if not events:
        return []
    now = now or clock.now()
    for e in events:
        rules.channel_for(e.kind)  # an unknown kind is a programming error: say so now
    recipient_ids = {e.recipient_id for e in events}
    people = {
        p.pk: p
        for p in Employee.objects.filter(pk__in=recipient_ids, active=True).only(
            "pk", "organisation_id", "first_name", "email", "active"
        )
    }
    events = [e for e in events if e.recipient_id in people]
    if not events:
        return []
    kinds = {e.kind for e in events}
    chosen: dict[int, dict[str, str]] = {}
    for employee_id, kind, channel in NotificationPreference.objects.filter(
        employee_id__in=people, kind__in=kinds
    ).values_list("employee_id", "kind", "channel"):
        chosen.setdefault(employee_id, {})[kind] = channel
    done = set(
        Notification.objects.filter(
            recipient_id__in=people, kind__in=kinds, key__in={e.key[:KEY_MAX] for e in events}
        ).values_list("recipient_id", "kind", "key")
    )
    made: list[Notification] = []
    emails: list[EmailMessage] = []
    for e in events:
        key = e.key[:KEY_MAX]
        if (e.recipient_id, e.kind, key) in done:
            continue
        person = people[e.recipient_id]
        channel = rules.channel_for(e.kind, chosen.get(person.pk))
        emailed = channel == rules.EMAIL and bool(person.email)
        made.append(
            Notification(
                organisation_id=person.organisation_id,
                recipient_id=person.pk,
                kind=e.kind,
                key=key,
                text=e.text[:TEXT_MAX],
                url=e.url,
                channel=channel,
                created_at=now,
                emailed_at=now if emailed else None,
            )
        )
        if emailed:
            emails.append(email_for(person, e.kind, e.text, e.url))
    # ignore_conflicts: an event a concurrent call notified in the meantime stays once.
    Notification.objects.bulk_create(made, ignore_conflicts=True)
    outbox_emails_add(messages=emails)
    return made
