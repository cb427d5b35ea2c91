"""Skills coverage pages: the heatmap, the gap list, and a person's gaps.

All read the ``SkillGap`` rows of the last run ("data as of" its start), never
recompute in the request.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from appraisals.models import DevelopmentItem
from appraisals.rules.development_access import can_plan_for
from core.text_limits import BoundedTextMixin
from insights.models import SkillGap
from insights.models.runs import Recommendation
from insights.rules.skills import coverage_status
from insights.rules.thresholds import (
    SKILLS_COVER_COST_MULTIPLE,
    SKILLS_RECRUIT_AFTER_DAYS,
    SKILLS_SHORT_WAIT_DAYS,
)
from insights.selectors.skills import development_against_gaps, development_of
from insights.services.recompute import last_run
from organisations.access import Viewer, in_organisation, require, viewer_required, visible
from organisations.models import Service, ServiceKind, SkillCategory
from organisations.views.person_sections import PersonSection

# More teams than this and the heatmap shows the service's direct parts instead
# (each a link to its own heatmap), so the table stays readable.
MAX_TEAM_COLUMNS = 12
STATUS_CLASSES = {"met": "green", "partly_met": "amber", "gap": "red", "none": "grey"}


def can_see_service_skills(viewer: Viewer, service: Service) -> bool:
    """Heads of the service or a service above it, performance officers and the
    chief executive; and the manager of a team directly in it (a team manager sees
    their own service's picture, not the directorate's or the council's)."""
    if viewer.sees_whole_organisation or service.pk in viewer.headed_service_ids:
        return True
    return any(s.kind == ServiceKind.TEAM and s.parent_id == service.pk for s in viewer.headed_services)


def _service_for(viewer: Viewer, service_pk: int) -> Service:
    service = get_object_or_404(viewer.services(), pk=service_pk)
    require(
        can_see_service_skills(viewer, service), "You can see skills coverage only for services you lead."
    )
    return service


def _ancestors(viewer: Viewer, service: Service) -> list[Service]:
    return [s for s in viewer.tree.ancestors(service) if can_see_service_skills(viewer, s)]


def _columns(viewer: Viewer, service: Service) -> tuple[list[Service], str]:
    """The heatmap's columns: the teams in the service (with their own subtrees),
    or its direct parts when there are too many teams."""
    subtree = viewer.service_subtree_ids(service)
    services = [s for s in viewer.tree.services if s.pk in subtree and s.pk != service.pk]
    by_id = viewer.tree.by_id
    teams = sorted(
        (s for s in services if s.kind == ServiceKind.TEAM),
        key=lambda s: (by_id[s.parent_id].name if s.parent_id in by_id else "", s.name),
    )
    if teams and len(teams) <= MAX_TEAM_COLUMNS:
        return teams, "team"
    children = sorted((s for s in services if s.parent_id == service.pk), key=lambda s: s.name)
    return children, "part"


def _cell(row: SkillGap | None, threshold: Decimal) -> dict:
    if row is None:
        return {"empty": True, "label": "Not required", "css": "empty"}
    status = coverage_status(
        people_required=row.people_required,
        people_meeting=row.people_meeting,
        coverage=row.coverage,
        threshold=threshold,
    )
    return {
        "empty": False,
        "row": row,
        "label": status.label,
        "key": status.key,
        "css": STATUS_CLASSES[status.key] + (" app-heatmap__cell--gap" if status.key == "gap" else ""),
    }


@require_GET
@viewer_required
def skills_heatmap(request: HttpRequest, viewer: Viewer, service_pk: int) -> HttpResponse:
    """Skills (rows) by team (columns) for a service and everything below it.

    Queries beyond the viewer's: the last run, and the service rows of the
    service and its columns (one query, whatever the number of teams or skills)."""
    service = _service_for(viewer, service_pk)
    threshold = viewer.organisation.skills_coverage_threshold
    columns, column_kind = _columns(viewer, service)
    rows = (
        visible(SkillGap, viewer)
        .filter(
            employee__isnull=True,
            service_id__in=[service.pk, *(c.pk for c in columns)],
        )
        .select_related("skill")
    )
    grid: dict[tuple[int, int], SkillGap] = {}
    skills = {}
    for row in rows:
        grid[(row.service_id, row.skill_id)] = row
        if row.service_id == service.pk:
            skills[row.skill_id] = row
    ordered = sorted(skills.values(), key=lambda r: (r.skill.category, r.skill.name))
    categories = dict(SkillCategory.choices)
    table = [
        {
            "skill": r.skill,
            "category": categories.get(r.skill.category, r.skill.category),
            "total": _cell(r, threshold),
            "cells": [{"service": c, **_cell(grid.get((c.pk, r.skill_id)), threshold)} for c in columns],
        }
        for r in ordered
    ]
    return render(
        request,
        "insights/skills_heatmap.html",
        {
            "service": service,
            "ancestors": _ancestors(viewer, service),
            "columns": columns,
            "column_kind": column_kind,
            "table": table,
            "threshold": threshold,
            "run": last_run(viewer.organisation),
            "gaps_below_threshold": sum(1 for r in ordered if r.coverage < threshold),
        },
    )


class GapFilterForm(BoundedTextMixin, forms.Form):
    team = forms.TypedChoiceField(label="Team or service", coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label="Category", required=False)
    skill = forms.TypedChoiceField(label="Skill", coerce=int, required=False, empty_value=None)
    recommendation = forms.ChoiceField(label="Recommendation", required=False)
    essential = forms.BooleanField(label="Essential skills only", required=False)

    def __init__(self, *args, services: list[Service], skills: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All of it"), *[(s.pk, s.name) for s in services]]
        self.fields["category"].choices = [("", "All categories"), *SkillCategory.choices]
        self.fields["skill"].choices = [("", "All skills"), *[(s.pk, s.name) for s in skills]]
        self.fields["recommendation"].choices = [
            ("", "All recommendations"),
            *[(v, label) for v, label in Recommendation.choices if v],
        ]

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


@require_GET
@viewer_required
def skills_gaps(request: HttpRequest, viewer: Viewer, service_pk: int) -> HttpResponse:
    """Gaps with recommendations, worst first: by skill for the service (or a team
    in it), then the people below their role's level whom the viewer may see.

    Queries beyond the viewer's: the service rows of the chosen part (one), the
    people's rows (a count and a page; individuals limited by a subquery), the
    last run."""
    service = _service_for(viewer, service_pk)
    threshold = viewer.organisation.skills_coverage_threshold
    subtree = viewer.service_subtree_ids(service)
    parts = sorted(
        (s for s in viewer.tree.services if s.pk in subtree and s.pk != service.pk), key=lambda s: s.name
    )
    all_rows = list(
        visible(SkillGap, viewer)
        .filter(
            employee__isnull=True,
            service_id__in=[service.pk, *(p.pk for p in parts)],
        )
        .select_related("skill")
    )
    skills = sorted({r.skill_id: r.skill for r in all_rows}.values(), key=lambda s: s.name)
    form = GapFilterForm(request.GET or None, services=parts, skills=skills)
    chosen = service
    if form.value("team"):
        chosen = next((p for p in parts if p.pk == form.value("team")), service)

    def keep(row: SkillGap) -> bool:
        return (
            (not form.value("category") or row.skill.category == form.value("category"))
            and (not form.value("skill") or row.skill_id == form.value("skill"))
            and (not form.value("recommendation") or row.recommendation == form.value("recommendation"))
            and (not form.value("essential") or row.essential)
        )

    service_rows = sorted(
        (
            r
            for r in all_rows
            if r.service_id == chosen.pk and r.people_meeting < r.people_required and keep(r)
        ),
        key=lambda r: (r.coverage, not r.essential, -(r.people_required - r.people_meeting), r.skill.name),
    )
    planned = development_against_gaps(
        in_organisation(DevelopmentItem, viewer),
        in_organisation(SkillGap, viewer),
        viewer.service_subtree_ids(chosen),
    )
    for r in service_rows:
        r.status = coverage_status(
            people_required=r.people_required,
            people_meeting=r.people_meeting,
            coverage=r.coverage,
            threshold=threshold,
        )
        r.development = planned.get(r.skill_id)
    people = (
        visible(SkillGap, viewer)
        .filter(
            employee__isnull=False,
            gap__gt=0,
            service_id__in=viewer.service_subtree_ids(chosen),
        )
        .select_related("employee", "skill", "service")
        .order_by("-gap", "-essential", "employee__last_name", "employee__first_name", "skill__name")
    )
    if form.value("category"):
        people = people.filter(skill__category=form.value("category"))
    if form.value("skill"):
        people = people.filter(skill_id=form.value("skill"))
    if form.value("recommendation"):
        people = people.filter(recommendation=form.value("recommendation"))
    if form.value("essential"):
        people = people.filter(essential=True)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    plans = development_of(visible(DevelopmentItem, viewer), {(g.employee_id, g.skill_id) for g in page})
    for g in page:
        g.development = plans.get((g.employee_id, g.skill_id), [])
        g.can_plan = can_plan_for(viewer, g.employee)
    return render(
        request,
        "insights/skills_gaps.html",
        {
            "service": service,
            "chosen": chosen,
            "ancestors": _ancestors(viewer, service),
            "form": form,
            "service_rows": service_rows,
            "page_obj": page,
            "threshold": threshold,
            "run": last_run(viewer.organisation),
            "short_wait_days": SKILLS_SHORT_WAIT_DAYS,
            "cost_multiple": SKILLS_COVER_COST_MULTIPLE,
            "recruit_after_days": SKILLS_RECRUIT_AFTER_DAYS,
            "spend_planned": sum((d.planned for d in planned.values()), Decimal(0)),
            "spend_committed": sum((d.committed for d in planned.values()), Decimal(0)),
            "filtered": any(
                form.value(n) for n in ("team", "category", "skill", "recommendation", "essential")
            ),
        },
    )


def person_skills_section(request: HttpRequest, viewer: Viewer, person) -> PersonSection | None:
    """A person's gaps on their person page, for those who may see their records."""
    if not viewer.can_see_individual(person):
        return None
    rows = list(
        visible(SkillGap, viewer)
        .filter(employee=person)
        .select_related("skill")
        .order_by("-gap", "-essential", "skill__name")
    )
    return PersonSection(
        title="Skills",
        template="insights/_person_skills.html",
        context={
            "rows": rows,
            "gaps": sum(1 for r in rows if r.gap),
            "run": last_run(viewer.organisation),
            "is_me": person.pk == viewer.employee.pk,
        },
        order=60,
    )
