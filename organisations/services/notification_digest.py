"""The weekly summary email: each person's notifications on the "weekly summary"
channel that no email has carried yet and they have not already opened.

It goes out on Monday morning in the same email as a manager's team summary
(``appraisals.services.notifications.weekly_digests_send`` joins the two), so a
manager gets one email a week, not two. Each notification is carried once: the
send sets ``emailed_at`` in the transaction that writes the email to the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from core import glossary
from organisations.models import Employee
from organisations.models.notifications import Notification
from organisations.rules import notifications as rules


@dataclass
class Digest:
    recipient: Employee
    notifications: list[Notification] = field(default_factory=list)

    def text(self) -> str:
        """The summary's lines: each item with its date and link (its text is all it holds)."""
        site = settings.SITE_URL.rstrip("/")
        lines = ["Waiting for you:"]
        for n in self.notifications:
            lines.append(f"- {n.text} ({glossary.long_date(n.created_at.date())})")
            lines.append(f"  {site}{n.url}")
        lines += [
            "",
            "Everything waiting for you is listed in the product:",
            site + reverse("organisations:notifications"),
            "You can choose how you hear about each kind under Notification settings.",
        ]
        return "\n".join(lines)


def digests_due(*, now: datetime) -> dict[int, Digest]:
    """Every person's notifications for this week's summary, by person (one query)."""
    rows = (
        Notification.objects.filter(
            channel=rules.DIGEST,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lte=now,
            recipient__active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    out: dict[int, Digest] = {}
    for n in rows:
        out.setdefault(n.recipient_id, Digest(recipient=n.recipient)).notifications.append(n)
    return out


def digests_mark_emailed(digests: dict[int, Digest], *, now: datetime) -> int:
    """The notifications these summaries carry: emailed now (one query)."""
    ids = [n.pk for d in digests.values() for n in d.notifications]
    return Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
