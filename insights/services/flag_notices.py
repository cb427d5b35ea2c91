"""Tell each flag's owner that a new flag waits for them (kind ``flag_owned``).

Called by :func:`insights.services.flagging.sync_flags` with the flags a run
opened, reopened (a new episode) or gave to a new owner. All of them go through
``notify_many`` at once: a fixed number of queries however many flags, none
when there are none, in the run's transaction. The key names the flag, the
episode and the owner, so a run that sees the same flag again adds nothing and
a new owner is told once.

A flag about a person says only its kind: its title names the person, and an
email is no place for that.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from insights.models import Flag
from insights.rules import kinds
from organisations.services.notifications import Pending, notify_many


def _text(flag: Flag) -> str:
    kind = kinds.BY_CODE.get(flag.kind)
    if kind is not None and kind.personal:
        return f"A new flag about someone you are responsible for: {kind.label}."
    return f"A new flag for you to act on: {flag.title}"


def notice_key(flag: Flag) -> str:
    """The event: this flag, this episode (when it opened), this owner."""
    return f"flag:{flag.pk}:{flag.opened_at:%Y%m%dT%H%M%S.%f}:{flag.owner_id}"


def notice_text(flag: Flag) -> str:
    return _text(flag)


def flags_notify(flags: list[Flag], now: datetime) -> int:
    """Notify the owner of each flag (with a pk and an owner); returns how many were new."""
    events = [
        Pending(
            recipient_id=flag.owner_id,
            kind="flag_owned",
            key=notice_key(flag),
            text=_text(flag),
            url=reverse("insights:flag_detail", args=[flag.pk]),
        )
        for flag in flags
        if flag.pk and flag.owner_id
    ]
    return len(notify_many(events, now=now))
