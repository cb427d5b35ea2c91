"""Demo data: development plans against the council's skills gaps, with costs,
and what the train-cover-recruit recommendation weighs.

- Safeguarding adults and children are statutory; social workers' interim cover
  costs more than the council's default day rate.
- The Locata gap in Housing Options: courses are booked or planned for some of the
  people short (demo-staff among them), not yet enough, so its recommendation
  stays interim cover and says how many more are needed and what cover costs.
- Across the council, people short of a skill have courses, coaching, shadowing
  and qualifications in every status: some due to end within days (the daily
  reminder's), some overdue, some completed, one cancelled.

Deterministic: people and dates come from the seeded random generator and
``ctx.today``. Court skills in Children's Social Care get nothing, so that gap
stays the long-standing one that recommends recruiting.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from appraisals.models import DevelopmentItem, DevelopmentKind, DevelopmentStatus, SkillRating
from appraisals.rules.skill_levels import RatingFact, current_level
from demo.skills import COURT_SKILLS, LOCATA
from demo.structure import DemoContext
from insights.rules.skill_options import people_needed
from organisations.models import JobRole, Skill

STATUTORY = ("Safeguarding adults", "Safeguarding children")
ROLE_RATES = {
    "Social Worker": Decimal("560"),
    "Senior Social Worker": Decimal("620"),
    "Children's Social Worker": Decimal("600"),
}
LOCATA_SERVICE = "Housing Options"
LOCATA_COURSE = ("Locata casework: duties, decisions and H-CLIC", "Locata Ltd", Decimal("395"))
OTHER_ITEMS = 14

# (kind, title pattern, provider, cost, days long)
OFFERS = [
    (DevelopmentKind.COURSE, "{skill}: two-day course", "Skills for Care", Decimal("420"), 14),
    (DevelopmentKind.COACHING, "{skill}: coaching with a senior colleague", "In house", Decimal("0"), 56),
    (DevelopmentKind.SHADOWING, "{skill}: shadowing", "In house", Decimal("0"), 21),
    (
        DevelopmentKind.QUALIFICATION,
        "{skill}: accredited certificate",
        "Open University",
        Decimal("1850"),
        180,
    ),
    (DevelopmentKind.COURSE, "{skill}: e-learning and workshop", "Learning Pool", Decimal("95"), 28),
]
# Where each item has got to, and when it ends relative to today.
STAGES = [
    (DevelopmentStatus.BOOKED, 5),  # due within days: reminded
    (DevelopmentStatus.IN_PROGRESS, -3),  # past its planned end: reminded as overdue
    (DevelopmentStatus.PLANNED, 40),
    (DevelopmentStatus.COMPLETED, -20),
    (DevelopmentStatus.IN_PROGRESS, 25),
    (DevelopmentStatus.PLANNED, 75),
    (DevelopmentStatus.CANCELLED, 30),
]


def _short(ctx: DemoContext, skills: dict) -> list[tuple[object, Skill, int, int]]:
    """(person, skill, their level, the required level) for each council person
    below their role's level, in a fixed order."""
    org = ctx.organisation
    by_role = ctx.extra.get("requirements_by_role", {})
    people = [e for e in ctx.employees if e.organisation_id == org.pk and e.active and e.job_role_id]
    facts: dict[tuple[int, int], list[RatingFact]] = {}
    for r in SkillRating.objects.filter(employee__organisation=org).only(
        "employee_id", "skill_id", "source", "level", "rated_on"
    ):
        facts.setdefault((r.employee_id, r.skill_id), []).append(
            RatingFact(r.source, r.level, r.rated_on, r.pk)
        )
    by_id = {s.pk: s for s in skills.values()}
    out = []
    for person in sorted(people, key=lambda e: e.pk):
        for req in by_role.get(person.job_role_id, []):
            level = current_level(facts.get((person.pk, req.skill_id), ()))
            if level < req.required_level and req.skill_id in by_id:
                out.append((person, by_id[req.skill_id], level, req.required_level))
    return out


def _item(ctx, person, skill, target, kind, title, provider, cost, starts, ends, status, by):
    return DevelopmentItem(
        employee=person,
        skill=skill,
        target_level=target,
        kind=kind,
        title=title,
        provider=provider,
        starts_on=starts,
        ends_on=ends,
        cost=cost,
        status=status,
        completed_on=ends if status == DevelopmentStatus.COMPLETED else None,
        created_by=by,
    )


def seed(ctx: DemoContext) -> None:
    org, today = ctx.organisation, ctx.today
    # A copy of the seeded generator: drawing here leaves the later steps' draws as they were.
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    Skill.objects.filter(organisation=org, name__in=STATUTORY).update(statutory=True)
    for title, rate in ROLE_RATES.items():
        JobRole.objects.filter(organisation=org, title=title).update(interim_day_rate=rate)
    skills = {name: s for (org_id, name), s in ctx.extra.get("skills", {}).items() if org_id == org.pk}
    if not skills:
        return
    short = _short(ctx, skills)
    items: list[DevelopmentItem] = []

    # Locata in Housing Options: booked or planned for some of those short, not enough.
    service = next(
        (s for s in ctx.services if s.organisation_id == org.pk and s.name == LOCATA_SERVICE), None
    )
    if service is not None and LOCATA in skills:
        below = {s.pk for s in ctx.services if s.pk == service.pk or s.parent_id == service.pk}
        locata = [(p, lv, req) for p, sk, lv, req in short if sk.name == LOCATA and p.service_id in below]
        required = sum(
            1
            for e in ctx.employees
            if e.service_id in below
            and e.active
            and e.job_role_id
            and any(
                r.skill_id == skills[LOCATA].pk
                for r in ctx.extra["requirements_by_role"].get(e.job_role_id, [])
            )
        )
        meeting = required - len(locata)
        needed = people_needed(
            people_required=required, people_meeting=meeting, threshold=org.skills_coverage_threshold
        )
        staff = ctx.personas.get("demo-staff")
        locata.sort(key=lambda t: (t[0] != staff, t[0].pk))  # demo-staff first
        title, provider, cost = LOCATA_COURSE
        for i, (person, _, req) in enumerate(locata[: max(0, needed - 1)][:4]):
            status = DevelopmentStatus.BOOKED if i % 2 == 0 else DevelopmentStatus.PLANNED
            starts = today + timedelta(days=21 + 7 * i)
            items.append(
                _item(
                    ctx,
                    person,
                    skills[LOCATA],
                    req,
                    DevelopmentKind.COURSE,
                    title,
                    provider,
                    cost,
                    starts,
                    starts + timedelta(days=49),
                    status,
                    person.line_manager,
                )
            )

    # Elsewhere: a spread of development, every status, against other gaps.
    others = [t for t in short if t[1].name not in (LOCATA, COURT_SKILLS)]
    for n, (person, skill, _level, req) in enumerate(rng.sample(others, min(OTHER_ITEMS, len(others)))):
        kind, pattern, provider, cost, length = OFFERS[n % len(OFFERS)]
        status, end_offset = STAGES[n % len(STAGES)]
        ends = today + timedelta(days=end_offset)
        items.append(
            _item(
                ctx,
                person,
                skill,
                req,
                kind,
                pattern.format(skill=skill.name),
                provider,
                cost,
                ends - timedelta(days=length),
                ends,
                status,
                person.line_manager or person,
            )
        )
    DevelopmentItem.objects.bulk_create(items)
    ctx.extra["development_items"] = len(items)
