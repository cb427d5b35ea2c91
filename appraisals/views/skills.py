"""My skills: my role's requirements, my levels, my gaps, and my self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from appraisals.forms.skills import SelfAssessmentForm
from appraisals.models import RatingSource, SkillRating
from appraisals.rules.skill_levels import RatingFact, current_rating, latest_rating
from appraisals.services.skills import skill_self_assessment_record
from organisations.access import Viewer, viewer_required, visible
from organisations.models import LEVEL_DESCRIPTORS, SkillLevel

LEVEL_LABELS = dict(SkillLevel.choices)


@require_http_methods(["GET", "POST"])
@viewer_required
def my_skills(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Live from my ratings (no recompute needed). Queries: my role's requirements,
    my ratings (all of them: one person's history is short), then the page."""
    me = viewer.employee
    role = me.job_role
    requirements = []
    if role is not None:
        requirements = list(role.requirements.select_related("skill").order_by("-essential", "skill__name"))
    ratings = list(
        visible(SkillRating, viewer)
        .filter(employee=me)
        .select_related("skill", "rated_by", "session")
        .order_by("-rated_on", "-created_at", "-pk")
    )
    facts: dict[int, list[RatingFact]] = {}
    for r in ratings:
        facts.setdefault(r.skill_id, []).append(RatingFact(r.source, r.level, r.rated_on, r.pk))
    rows = []
    for req in requirements:
        skill_facts = facts.get(req.skill_id, [])
        manager = latest_rating(skill_facts, RatingSource.MANAGER)
        own = latest_rating(skill_facts, RatingSource.SELF)
        deciding = current_rating(skill_facts)
        level = deciding.level if deciding else 0
        rows.append(
            {
                "requirement": req,
                "manager": manager,
                "self": own,
                "current": level,
                "current_label": LEVEL_LABELS[level],
                "current_source": (
                    "manager"
                    if deciding and deciding.source == RatingSource.MANAGER
                    else "self"
                    if deciding
                    else ""
                ),
                "required_descriptor": LEVEL_DESCRIPTORS[req.required_level],
                "gap": max(0, req.required_level - level),
            }
        )
    current_self = {
        req.skill_id: own.level
        for req in requirements
        if (own := latest_rating(facts.get(req.skill_id, []), RatingSource.SELF)) is not None
    }
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None, requirements=requirements, current=current_self
    )
    if request.method == "POST" and form.is_valid():
        made = skill_self_assessment_record(employee=me, levels=form.levels())
        if made:
            messages.success(
                request,
                f"Self-assessment saved: {len(made)} skill level{'s' if len(made) != 1 else ''} updated.",
            )
        else:
            messages.info(request, "No changes to save: your levels are as you last assessed them.")
        return redirect("appraisals:my_skills")
    history = Paginator(ratings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisals/my_skills.html",
        {
            "me": me,
            "role": role,
            "rows": rows,
            "form": form,
            "page_obj": history,
            "gaps": sum(1 for r in rows if r["gap"]),
        },
    )
