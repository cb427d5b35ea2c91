"""The skills flags, worded: ``skills_gap`` and ``single_point_of_failure``
candidates for each flag unit and skill, with their evidence and the rule in
words. Pure apart from building links (no queries)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from insights.models import FlagKind, SubjectType
from insights.models.runs import Recommendation
from insights.rules.skills import (
    ONE_DP,
    Coverage,
    is_single_point_of_failure,
    single_point_severity,
    skills_gap_severity,
)
from insights.rules.thresholds import (
    SINGLE_POINT_MIN_PEOPLE,
    SKILLS_GAP_HIGH_COVERAGE,
    SKILLS_GAP_MIN_PEOPLE,
    SKILLS_RECRUIT_AFTER_DAYS,
)
from insights.services.flagging import FlagCandidate
from organisations.models.skills import SkillCategory

SKILLS_GAP_RULE = (
    "Raised when fewer than {threshold}% of the people in a service (with its teams) whose role "
    "requires a skill are at their role's required level, and at least {min_people} people need it. High below {high}% for an essential skill; "
    "a skill no role needs as essential is one step lower. It resolves when coverage reaches {threshold}%."
)
SINGLE_POINT_RULE = (
    "Raised when at least {min_people} people's roles in a service require an essential skill at the "
    "highest level any role there requires it, and exactly one of them holds it at that level. High "
    "when that person is on an interim or agency contract. It resolves when a second person reaches "
    "the level, or fewer than {min_people} roles need it."
)
RECOMMENDATION_RULE = (
    "Develop: one level short, or the service still has cover. Interim cover: an essential skill with "
    "nobody at level, or coverage below {threshold}%. Recruit: coverage below {threshold}% for "
    "{days} days or more."
)


def skills_flag_candidates(
    *,
    coverage: dict[tuple[int, int], Coverage],
    units: set[int],
    names: dict[int, str],
    skills: dict[int, tuple[str, str]],
    threshold: Decimal,
    advice: dict[tuple[int, int], str],
    since: dict[tuple[int, int], date | None],
    contingent: set[int],
    full_names: dict[int, str],
) -> list[FlagCandidate]:
    """A ``skills_gap`` candidate for each flag unit's skill below the threshold
    (see :func:`skills_gap_severity`) and a ``single_point_of_failure`` candidate
    for each held by one person only."""
    categories = dict(SkillCategory.choices)
    recommendations = dict(Recommendation.choices)
    gap_rule = SKILLS_GAP_RULE.format(
        threshold=format_number(threshold), high=SKILLS_GAP_HIGH_COVERAGE, min_people=SKILLS_GAP_MIN_PEOPLE
    )
    spof_rule = SINGLE_POINT_RULE.format(min_people=SINGLE_POINT_MIN_PEOPLE)
    advice_rule = RECOMMENDATION_RULE.format(
        threshold=format_number(threshold), days=SKILLS_RECRUIT_AFTER_DAYS
    )
    flags: list[FlagCandidate] = []
    for (sid, skill_id), c in sorted(coverage.items()):
        if sid not in units:
            continue
        skill_name, category = skills[skill_id]
        pct = c.coverage
        links = [
            {
                "label": f"Skills heatmap for {names[sid]}",
                "url": reverse("insights:skills_heatmap", args=[sid]),
            },
            {
                "label": f"{skill_name} gaps in {names[sid]}",
                "url": reverse("insights:skills_gaps", args=[sid]) + f"?skill={skill_id}",
            },
        ]
        facts = {
            "service": names[sid],
            "skill": skill_name,
            "category": categories.get(category, category),
            "essential": c.essential,
            "required_level": c.required_level,
            "people_required": c.people_required,
            "people_meeting": c.people_meeting,
            "coverage": float(pct),
            "threshold": float(threshold),
        }
        severity = skills_gap_severity(
            coverage=pct, essential=c.essential, threshold=threshold, people_required=c.people_required
        )
        if severity:
            below_since = since[(sid, skill_id)]
            flags.append(
                FlagCandidate(
                    kind=FlagKind.SKILLS_GAP,
                    severity=severity,
                    subject_type=SubjectType.SERVICE,
                    subject_id=sid,
                    service_id=sid,
                    key=f"{FlagKind.SKILLS_GAP}:service:{sid}:skill:{skill_id}",
                    title=(
                        f"Skills gap in {names[sid]}: {skill_name}, {c.people_meeting} of "
                        f"{c.people_required} at level ({format_number(pct)}%)"
                    ),
                    rule=f"{gap_rule} {advice_rule}",
                    evidence={
                        **facts,
                        "below_threshold_since": below_since.isoformat() if below_since else None,
                        "recommendation": advice[(sid, skill_id)],
                        "recommendation_label": recommendations[advice[(sid, skill_id)]],
                        "links": links,
                    },
                )
            )
        if is_single_point_of_failure(
            essential=c.top_essential, people_required=c.top_required, people_meeting=c.top_meeting
        ):
            holder = c.top_holders[0]
            flags.append(
                FlagCandidate(
                    kind=FlagKind.SINGLE_POINT_OF_FAILURE,
                    severity=single_point_severity(holder_contingent=holder in contingent),
                    subject_type=SubjectType.SERVICE,
                    subject_id=sid,
                    service_id=sid,
                    key=f"{FlagKind.SINGLE_POINT_OF_FAILURE}:service:{sid}:skill:{skill_id}",
                    title=(
                        f"Single point of failure in {names[sid]}: one of {c.top_required} people "
                        f"holds {skill_name} at level {c.required_level}"
                    ),
                    rule=spof_rule,
                    evidence={
                        **facts,
                        "people_required_at_level": c.top_required,
                        "holder": full_names.get(holder, ""),
                        "holder_contingent": holder in contingent,
                        "links": [
                            *links,
                            {
                                "label": full_names.get(holder, "The holder"),
                                "url": reverse("organisations:person_detail", args=[holder]),
                            },
                        ],
                    },
                )
            )
    return flags


def format_number(value: Decimal) -> str:
    """60.0 -> "60", 62.5 -> "62.5"."""
    text = f"{Decimal(value).quantize(ONE_DP):f}"
    return text[:-2] if text.endswith(".0") else text
