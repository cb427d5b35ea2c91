"""Demo data: the product has been running for months, so the flags the seed's
recompute opens did not all open today. Each gets a day within the last
``DAYS`` days, about one in eight within the last week (new on the dashboards).
"""

from __future__ import annotations

from datetime import timedelta

from insights.models import Flag

DAYS = 120


def backdate_flags(ctx) -> None:
    now = ctx.now
    flags = list(
        Flag.objects.filter(organisation__in=[ctx.organisation, ctx.other_organisation])
        .order_by("pk")
        .only("pk")
    )
    for flag in flags:
        recent = ctx.rng.random() < 0.125
        days = ctx.rng.randint(0, 6) if recent else ctx.rng.randint(7, DAYS)
        flag.opened_at = now - timedelta(days=days, minutes=ctx.rng.randint(0, 600))
    Flag.objects.bulk_update(flags, ["opened_at"], batch_size=2000)
