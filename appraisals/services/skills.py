"""Writes for skill ratings: a self-assessment, or one rating by anyone.

The feedback-session form rates the employee's role skills through
:func:`skill_rating_record` with ``source="manager"`` and the session set.
Every write asks for the organisation's skills gaps to be recomputed on commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from appraisals.models import RatingSource, SkillRating
from appraisals.rules.skill_levels import RatingFact, latest_rating
from core import clock
from core.queueing import request_recompute
from organisations.models import Employee, Skill


def _rating(
    *, employee: Employee, skill: Skill, level: int, source: str, rated_by: Employee, on: date, session
):
    if skill.organisation_id != employee.organisation_id:
        raise ValidationError({"skill": "Choose a skill from this organisation's framework."})
    if rated_by.organisation_id != employee.organisation_id:
        raise ValidationError({"rated_by": "The rater must work for the same organisation."})
    rating = SkillRating(
        employee=employee,
        skill=skill,
        level=level,
        source=source,
        rated_by=rated_by,
        rated_on=on,
        session=session,
    )
    rating.full_clean()
    if rated_by.user_id:
        rating._history_user = rated_by.user
    rating.save()
    return rating


def skill_rating_record(
    *,
    employee: Employee,
    skill: Skill,
    level: int,
    source: str,
    rated_by: Employee,
    on: date | None = None,
    session=None,
) -> SkillRating:
    """Record one rating (self or manager) of a person's skill."""
    with transaction.atomic():
        rating = _rating(
            employee=employee,
            skill=skill,
            level=level,
            source=source,
            rated_by=rated_by,
            on=on or clock.today(),
            session=session,
        )
        request_recompute(employee.organisation_id, employees=[employee.pk])
    return rating


def skill_self_assessment_record(
    *, employee: Employee, levels: Mapping[Skill, int], on: date | None = None
) -> list[SkillRating]:
    """Record a person's self-assessment: a rating for each skill whose level
    differs from their latest self-assessment (or that they never assessed).
    Unchanged levels add nothing, so resubmitting the form is harmless."""
    on = on or clock.today()
    with transaction.atomic():
        previous: dict[int, RatingFact | None] = {}
        history: dict[int, list[RatingFact]] = {}
        for skill_id, level, rated_on, pk in SkillRating.objects.filter(
            employee=employee, source=RatingSource.SELF, skill__in=[s.pk for s in levels]
        ).values_list("skill_id", "level", "rated_on", "pk"):
            history.setdefault(skill_id, []).append(RatingFact(RatingSource.SELF, level, rated_on, pk))
        for skill_id, facts in history.items():
            previous[skill_id] = latest_rating(facts, RatingSource.SELF)
        made = []
        for skill, level in levels.items():
            last = previous.get(skill.pk)
            if last is not None and last.level == level:
                continue
            made.append(
                _rating(
                    employee=employee,
                    skill=skill,
                    level=level,
                    source=RatingSource.SELF,
                    rated_by=employee,
                    on=on,
                    session=None,
                )
            )
        if made:
            request_recompute(employee.organisation_id, employees=[employee.pk])
    return made
