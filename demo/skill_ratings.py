"""Demo data: self-assessments and manager ratings of staff's role skills.

Most staff have assessed themselves and most have a manager's rating, with a
little history. Two planted stories:

- Housing Options went live on Locata this year: most of the service is at
  awareness or working level against the practitioner level now required, so
  its coverage is far below the council's threshold (interim cover, training).
- Court skills in Children's Social Care have been short for a long time
  (``demo/skill_history.py`` dates that gap back): recruit.
- Expert safeguarding (level 4, essential for senior social workers in Adult
  Social Work) rests on one of them: a single point of failure.

Deterministic (ctx.rng only) and inserted in one statement: ~80,000 rows at 10,000 staff.
"""

from __future__ import annotations

from datetime import timedelta

from appraisals.models import RatingSource, SkillRating
from core.bulk import insert_rows
from demo.skills import COURT_SKILLS, LOCATA
from demo.structure import DemoContext
from organisations.models import Employee

# How far a person's true level sits from their role's requirement, and how likely.
OFFSETS = [(1, 18), (0, 52), (-1, 22), (-2, 8)]
# Leaders are mostly appointed for their leadership skills.
LEADER_OFFSETS = [(1, 20), (0, 70), (-1, 10)]
LEADER_ROLES = {"Chief Executive", "Director", "Head of Service", "Team Manager", "Team Leader"}
# Planted: the new system (true level, weight) and the long-standing court skills gap.
SINGLE_POINT_SKILL, SINGLE_POINT_ROLE = "Safeguarding adults", "Senior Social Worker"
LOCATA_LEVELS = [(3, 18), (2, 42), (1, 40)]
# Court skills (practitioner level, 3, required) by turn rather than by chance, so
# the gap holds on every seed and date: in any run of two or more people in a row
# (a service's staff are consecutive) at most half are at level, under the
# default 60% threshold. Both the manager and the person rate it the same.
COURT_TURNS = [2, 3, 1, 2, 4, 2, 1, 3, 2, 1]
SELF_SHARE = 0.85
MANAGER_SHARE = 0.72
HISTORY_SHARE = 0.25


def _pick(rng, options):
    total = sum(w for _, w in options)
    roll = rng.uniform(0, total)
    for value, weight in options:
        roll -= weight
        if roll <= 0:
            return value
    return options[-1][0]


def seed(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    by_role = ctx.extra.get("requirements_by_role", {})
    staff_persona: Employee = ctx.personas["demo-staff"]
    ratings: list[dict] = []
    now = ctx.now

    def row(employee_id, skill_id, level, source, rated_by_id, rated_on) -> dict:
        return {
            "employee_id": employee_id,
            "skill_id": skill_id,
            "level": level,
            "source": source,
            "rated_by_id": rated_by_id,
            "rated_on": rated_on,
            "created_at": now,
        }

    expert_holder = None
    court_turn = 0
    for person in ctx.employees:
        requirements = by_role.get(person.job_role_id, [])
        if not requirements:
            continue
        is_persona = person.pk == staff_persona.pk
        has_self = is_persona or rng.random() < SELF_SHARE
        has_manager = person.line_manager_id is not None and (is_persona or rng.random() < MANAGER_SHARE)
        for req in requirements:
            name = req.skill.name
            if name == LOCATA:
                true_level = _pick(rng, LOCATA_LEVELS)
            elif name == COURT_SKILLS:
                true_level = COURT_TURNS[court_turn % len(COURT_TURNS)]
                court_turn += 1
            else:
                offsets = LEADER_OFFSETS if req.job_role.title in LEADER_ROLES else OFFSETS
                true_level = req.required_level + _pick(rng, offsets)
            true_level = max(0, min(4, true_level))
            single_point = name == SINGLE_POINT_SKILL and req.job_role.title == SINGLE_POINT_ROLE
            if single_point:
                expert_holder = expert_holder or person.pk
                true_level = 4 if person.pk == expert_holder else 3
            if is_persona and name == LOCATA:
                true_level = 1  # demo-staff: new to Locata, two levels short
            if has_manager:
                rated_on = today - timedelta(days=rng.randint(10, 300))
                if name == LOCATA:
                    rated_on = today - timedelta(days=rng.randint(5, 60))  # rated since go-live
                if is_persona or rng.random() < HISTORY_SHARE:
                    # An earlier rating, a level lower: the history shows progress.
                    ratings.append(
                        row(
                            person.pk,
                            req.skill_id,
                            max(0, true_level - 1),
                            RatingSource.MANAGER,
                            person.line_manager_id,
                            rated_on - timedelta(days=rng.randint(150, 365)),
                        )
                    )
                ratings.append(
                    row(
                        person.pk,
                        req.skill_id,
                        true_level,
                        RatingSource.MANAGER,
                        person.line_manager_id,
                        rated_on,
                    )
                )
            if has_self:
                # People tend to rate themselves a little higher than their manager does.
                own = max(0, min(4, true_level + _pick(rng, [(0, 70), (1, 22), (-1, 8)])))
                if single_point or name == COURT_SKILLS:
                    own = true_level
                if is_persona and name == LOCATA:
                    own = 2  # thinks they are nearly there; their manager's 1 counts
                ratings.append(
                    row(
                        person.pk,
                        req.skill_id,
                        own,
                        RatingSource.SELF,
                        person.pk,
                        today - timedelta(days=rng.randint(1, 200)),
                    )
                )
    insert_rows(SkillRating, ratings)
    ctx.extra["skill_ratings"] = len(ratings)
