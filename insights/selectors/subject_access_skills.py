"""The complete export's skills sections: skill ratings, the computed gaps and
the development plan (the other sections are in ``subject_access_sections``)."""

from __future__ import annotations

from appraisals.models import DevelopmentItem
from core.glossary import money
from insights.selectors.personal_records import long_when, name_of, ratings_about, skill_gaps_of
from insights.selectors.subject_access_sections import Item
from organisations.models import Employee


def rating_items(employee: Employee) -> list[Item]:
    """The person's skill ratings, drafts included."""
    items: list[Item] = []
    for r in ratings_about(employee, complete=True):
        where = (
            f", entered in feedback session {r.session_id} ({r.session.get_state_display().lower()})"
            if r.session_id
            else ""
        )
        items.append(
            Item(
                "Skill ratings",
                f"Skill rating {r.pk}, {r.skill.name}, {r.get_source_display().lower()} by {name_of(r.rated_by)} on {long_when(r.rated_on)}{where}",
                "appraisals.SkillRating",
                r.pk,
                "level",
                r.get_level_display(),
            )
        )
    return items


def skill_gap_items(employee: Employee) -> list[Item]:
    """The person's computed skills gaps."""
    items: list[Item] = []
    for gap in skill_gaps_of(employee):
        items.append(
            Item(
                "Skills gaps (computed)",
                f"Skills gap {gap.pk}, {gap.skill.name}, computed by the skills job on {long_when(gap.computed_at)}",
                "insights.SkillGap",
                gap.pk,
                "gap",
                f"required {gap.required_level}, current {gap.current_level}, gap {gap.gap}; "
                f"recommendation: {gap.get_recommendation_display() if gap.recommendation else 'none'}",
            )
        )
    return items


def development_items(employee: Employee) -> list[Item]:
    """The person's development items, cancelled ones included."""
    items: list[Item] = []
    for d in (
        DevelopmentItem.objects.filter(employee=employee).select_related("skill", "created_by").order_by("pk")
    ):
        items.append(
            Item(
                "Development plan",
                f"Development item {d.pk}, {d.skill.name}, added by {name_of(d.created_by)} on {long_when(d.created_at)}",
                "appraisals.DevelopmentItem",
                d.pk,
                "title",
                f"{d.get_kind_display()}: {d.title}"
                + (f" ({d.provider})" if d.provider else "")
                + f"; aiming for level {d.target_level}; {long_when(d.starts_on)} to {long_when(d.ends_on)}; "
                f"cost {money(d.cost)}; {d.get_status_display().lower()}",
            )
        )
    return items
