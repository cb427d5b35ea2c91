"""Demo notifications: what the demo's people see under "Waiting for you".

The seed's recompute told every flag's owner of their new flags, all at the
moment of the seed; after the flags are backdated (``demo.flag_history``) those
notifications are made again at each flag's own opening, read a day later unless
the flag is recent (the last 14 days) and nobody has acknowledged it, so the
count in the header is a handful, not hundreds. demo-manager's unacknowledged
flags stay unread. demo-staff is told of the session demo-manager shared with
them three days ago (``demo.sessions``), by email as the default is. Rows are
written directly (no emails leave a seed); nothing random, so the same seed
gives the same rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from appraisals.models import FeedbackSession, SessionState
from core import glossary
from demo.structure import DemoContext
from insights.models import Flag
from insights.services.flag_notices import notice_key, notice_text
from organisations.models import Notification
from organisations.rules import notifications as rules

RECENT_DAYS = 14


def _channel(kind: str) -> str:
    return rules.BY_CODE[kind].default_channel


def seed(ctx: DemoContext) -> None:
    orgs = [ctx.organisation, ctx.other_organisation]
    now = ctx.now
    manager = ctx.personas["demo-manager"]
    Notification.objects.filter(organisation__in=orgs).delete()
    rows = []
    flags = Flag.objects.filter(
        organisation__in=orgs, resolved_at__isnull=True, owner__isnull=False, owner__active=True
    ).order_by("pk")
    for flag in flags:
        waiting = flag.acknowledged_at is None and (
            flag.owner_id == manager.pk or flag.opened_at >= now - timedelta(days=RECENT_DAYS)
        )
        channel = _channel("flag_owned")
        rows.append(
            Notification(
                organisation_id=flag.organisation_id,
                recipient_id=flag.owner_id,
                kind="flag_owned",
                key=notice_key(flag),
                text=notice_text(flag),
                url=reverse("insights:flag_detail", args=[flag.pk]),
                channel=channel,
                created_at=flag.opened_at,
                read_at=None if waiting else min(flag.opened_at + timedelta(days=1), now),
                emailed_at=None if waiting or channel == rules.IN_APP else flag.opened_at,
            )
        )
    staff = ctx.personas["demo-staff"]
    session = (
        FeedbackSession.objects.filter(employee=staff, state=SessionState.SHARED).order_by("-held_on").first()
    )
    if session is not None:
        manager_name = session.manager.full_name if session.manager else "Your manager"
        rows.append(
            Notification(
                organisation_id=staff.organisation_id,
                recipient_id=staff.pk,
                kind="session_shared",
                key=f"session:{session.pk}",
                text=(
                    f"{manager_name} has shared a record of your {session.get_kind_display().lower()} "
                    f"held on {glossary.long_date(session.held_on)}. Read it and acknowledge it."
                ),
                url=reverse("appraisals:session_detail", args=[session.pk]),
                channel=_channel("session_shared"),
                created_at=session.shared_at or now,
                emailed_at=session.shared_at or now,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)
