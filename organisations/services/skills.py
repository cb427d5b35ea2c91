"""Writes for the skills framework: skills and what each job role requires.

Each records who made the change (django-simple-history) and, when it can
change anyone's gaps, asks for the organisation's recompute on commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.queueing import request_recompute
from organisations.models import Employee, JobRole, Organisation, Skill, SkillRequirement


def _by(obj, by: Employee) -> None:
    if by.user_id:
        obj._history_user = by.user


def skill_create(
    *,
    organisation: Organisation,
    name: str,
    category: str,
    description: str = "",
    statutory: bool = False,
    by: Employee,
) -> Skill:
    with transaction.atomic():
        skill = Skill(
            organisation=organisation,
            name=name.strip(),
            category=category,
            description=description,
            statutory=statutory,
        )
        skill.full_clean()
        _by(skill, by)
        skill.save()
    return skill


def skill_update(
    *, skill: Skill, name: str, category: str, description: str = "", statutory: bool = False, by: Employee
) -> Skill:
    with transaction.atomic():
        skill.name, skill.category, skill.description = name.strip(), category, description
        skill.statutory = statutory
        skill.full_clean()
        _by(skill, by)
        skill.save()
        # Names appear in flags' titles and evidence, and statutory skills are
        # recommended cover: refresh them.
        if skill.requirements.exists():
            request_recompute(skill.organisation_id)
    return skill


@dataclass(frozen=True)
class RequirementInput:
    skill: Skill
    required_level: int
    essential: bool


def role_requirements_set(*, job_role: JobRole, requirements: list[RequirementInput], by: Employee) -> dict:
    """Make the role's requirements exactly ``requirements``: add the new ones,
    change the changed ones, remove the rest. Returns counts of each."""
    skill_ids = [r.skill.pk for r in requirements]
    if len(skill_ids) != len(set(skill_ids)):
        raise ValidationError("Each skill can be required only once for a role.")
    counts = {"added": 0, "changed": 0, "removed": 0}
    with transaction.atomic():
        existing = {
            r.skill_id: r for r in SkillRequirement.objects.select_for_update().filter(job_role=job_role)
        }
        for item in requirements:
            current = existing.pop(item.skill.pk, None)
            if current is None:
                current = SkillRequirement(job_role=job_role, skill=item.skill)
                counts["added"] += 1
            elif (current.required_level, current.essential) == (item.required_level, item.essential):
                continue
            else:
                counts["changed"] += 1
            current.required_level, current.essential = item.required_level, item.essential
            current.full_clean()
            _by(current, by)
            current.save()
        for stale in existing.values():
            _by(stale, by)
            stale.delete()
            counts["removed"] += 1
        if any(counts.values()):
            request_recompute(job_role.organisation_id)
    return counts


def job_role_day_rate_set(*, job_role: JobRole, rate, by: Employee) -> bool:
    """Set (or clear, ``None``: the organisation's rate) what a day of interim cover
    for the role costs; record it in the organisation's audit trail. Returns
    whether anything changed."""
    from organisations.models import AuditEventKind
    from organisations.services.audit import organisation_event_record
    from organisations.services.settings import money_words

    if rate is not None and rate < 0:
        raise ValidationError({"interim_day_rate": "The interim day rate must be 0 or more"})
    with transaction.atomic():
        role = JobRole.objects.select_for_update().get(pk=job_role.pk)
        if role.interim_day_rate == rate:
            return False
        old = role.interim_day_rate
        role.interim_day_rate = rate
        role.full_clean()
        role.save(update_fields=["interim_day_rate"])
        job_role.interim_day_rate = rate
        blank = "the organisation's rate"
        organisation_event_record(
            kind=AuditEventKind.SETTINGS_CHANGED,
            actor=by,
            organisation=role.organisation,
            changes=[
                (f"Interim day rate for {role.title}", money_words(old, blank), money_words(rate, blank))
            ],
        )
        # Recommendations weigh cover's cost: refresh them.
        request_recompute(role.organisation_id)
    return True
