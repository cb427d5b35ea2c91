"""Demo data: the council has been running the skills-gap job for a while.

One gap dates back eight months: court skills in Children's Social Care have
been below the council's threshold since then, so the first run on the demo
data keeps that date and recommends recruiting. (The job keeps each gap's
``first_seen_on`` from the previous run's rows; this step plants such a row.)
"""

from __future__ import annotations

from datetime import timedelta

from demo.skills import COURT_SKILLS
from demo.structure import DemoContext
from insights.models import SkillGap

PERSISTING_SERVICE = "Children's Social Care"
PERSISTING_DAYS = 240


def seed(ctx: DemoContext) -> None:
    org = ctx.organisation
    skill = ctx.extra.get("skills", {}).get((org.pk, COURT_SKILLS))
    service = next(
        (s for s in ctx.services if s.organisation_id == org.pk and s.name == PERSISTING_SERVICE), None
    )
    if skill is None or service is None:
        return
    SkillGap.objects.create(
        organisation=org,
        service=service,
        skill=skill,
        essential=True,
        required_level=3,
        first_seen_on=ctx.today - timedelta(days=PERSISTING_DAYS),
        computed_at=ctx.now - timedelta(days=1),
    )
