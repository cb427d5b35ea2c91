"""Demo data: the product has been running for months, so the flags the seed's
recompute opens did not all open today. Each gets a day within the last
``DAYS`` days, about one in eight within the last week (new on the dashboards).
Most flags older than their kind's review period were acknowledged by their
owner in time; the rest were escalated, once, as the nightly run would have.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.db import models

from insights.models import Flag
from insights.rules import kinds
from insights.services.flag_owners import escalate

DAYS = 120
ACTED_ON_IN_TIME = 0.8
NOTES = [
    "Discussed at supervision; a plan is agreed and dated.",
    "Raised at the management team meeting; actions in the service plan.",
    "Booked in: the session is in the diary for next week.",
    "Recovery plan agreed with the service; figures reviewed monthly.",
]


def settle_stamps(ctx, *, since: datetime, until: datetime) -> None:
    """What the product stamped with the real clock while the demo was seeded
    (auto_now fields, the recompute's runs, flags and gaps) happened at the
    demo's present instead, so a demo seeded for another day is consistent."""
    orgs = [ctx.organisation.pk, ctx.other_organisation.pk]
    for app in ("organisations", "appraisals", "insights"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or not any(
                f.name == "organisation" for f in model._meta.concrete_fields
            ):
                continue
            for f in model._meta.concrete_fields:
                if isinstance(f, models.DateTimeField):
                    model._base_manager.filter(
                        organisation__in=orgs, **{f"{f.name}__range": (since, until)}
                    ).update(**{f.name: ctx.now})


def backdate_flags(ctx) -> None:
    now = ctx.now
    flags = list(
        Flag.objects.filter(organisation__in=[ctx.organisation, ctx.other_organisation])
        .order_by("pk")
        .only("pk", "kind", "owner_id")
    )
    for flag in flags:
        recent = ctx.rng.random() < 0.125
        days = ctx.rng.randint(0, 6) if recent else ctx.rng.randint(7, DAYS)
        flag.opened_at = now - timedelta(days=days, minutes=ctx.rng.randint(0, 600))
        review = kinds.BY_CODE[flag.kind].review_days if flag.kind in kinds.BY_CODE else None
        if review and days > review and flag.owner_id and ctx.rng.random() < ACTED_ON_IN_TIME:
            flag.acknowledged_at = flag.opened_at + timedelta(days=ctx.rng.randint(1, review - 1))
            flag.acknowledged_by_id = flag.owner_id
            flag.acknowledgement_note = ctx.rng.choice(NOTES)
    Flag.objects.bulk_update(
        flags,
        ["opened_at", "acknowledged_at", "acknowledged_by", "acknowledgement_note"],
        batch_size=2000,
    )
    for org in (ctx.organisation, ctx.other_organisation):
        escalate(org, now)
