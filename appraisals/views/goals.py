"""Goals pages: my goals, a goal and its check-ins, the team's goals, and
alignment. Setting and changing goals is in ``goal_setting.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from appraisals.forms.goals import CheckInForm
from appraisals.models import Goal, GoalLevel, GoalStatus
from appraisals.rules.goal_access import (
    can_agree_goal,
    can_check_in,
    can_edit_goal,
    can_see_goal,
    creatable_levels,
)
from appraisals.selectors import goals as goal_selectors
from appraisals.services import goals as goal_services
from core.form_errors import add_service_errors
from organisations.access import Viewer, in_organisation, require, viewer_required, visible

GET_POST = require_http_methods(["GET", "POST"])


def goal_for(viewer: Viewer, pk: int) -> Goal:
    """A goal of the viewer's organisation (else 404) that they may see (else 403)."""
    goal = get_object_or_404(
        in_organisation(Goal, viewer).select_related(
            "owner", "owner__service", "service", "parent", "kpi", "agreed_by"
        ),
        pk=pk,
    )
    require(can_see_goal(viewer, goal), "This is someone else's objective.")
    return goal


def _hide_unseen(viewer: Viewer, goals: list[Goal]) -> None:
    """Mark goals in chains the viewer may not read (another person's objective)."""
    for goal in goals:
        for node in getattr(goal, "chain", []):
            node.hidden = node.level == GoalLevel.INDIVIDUAL and not can_see_goal(viewer, node)


# --- staff ------------------------------------------------------------------------


@require_GET
@viewer_required
def my_goals(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Queries: the goals with KPI and last check-in (1), everything they support (1).
    goals = goal_selectors.my_goals(viewer.employee)
    _hide_unseen(viewer, goals)
    finished = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
    return render(
        request,
        "appraisals/goals/my_goals.html",
        {
            "current": [g for g in goals if g.status not in finished],
            "finished": [g for g in goals if g.status in finished],
            "me": viewer.employee,
        },
    )


@require_GET
@viewer_required
def goal_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    goal = goal_for(viewer, pk)
    ancestors = goal_selectors.ancestors_of(visible(Goal, viewer).filter(pk=goal.pk))
    goal_selectors.attach_chains([goal], ancestors)
    _hide_unseen(viewer, [goal])
    children, child_counts, hidden_children = goal_selectors.goal_children(viewer, goal)
    check_ins = list(
        goal.check_ins.visible_to(viewer).select_related(
            "author", "session__employee__line_manager", "session__manager"
        )
    )
    for check_in in check_ins:
        check_in.comment_hidden = bool(check_in.comment) and not check_in.comment_visible_to(viewer)
    labels = dict(GoalStatus.choices)
    return render(
        request,
        "appraisals/goals/detail.html",
        {
            "goal": goal,
            "check_ins": check_ins,
            "children": children,
            "child_counts": [
                (s, labels[s], n)
                for s, n in sorted(
                    child_counts.items(), key=lambda kv: goal_selectors.STATUS_ORDER.get(kv[0], 9)
                )
            ],
            "children_total": sum(child_counts.values()),
            "hidden_children": hidden_children,
            "can_check_in": goal.status != GoalStatus.DRAFT and can_check_in(viewer, goal),
            "can_edit": can_edit_goal(viewer, goal),
            "can_agree": can_agree_goal(viewer, goal),
            "is_mine": goal.owner_id == viewer.employee.pk,
        },
    )


@GET_POST
@viewer_required
def goal_check_in(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    goal = goal_for(viewer, pk)
    require(can_check_in(viewer, goal), "You cannot check in on this goal.")
    derived = goal.progress if goal.children.exclude(status=GoalStatus.DROPPED).exists() else None
    initial = {"progress": goal.progress}
    if goal.status in dict(CheckInForm.base_fields["status"].choices):
        initial["status"] = goal.status
    form = CheckInForm(request.POST or None, initial=initial, derived_progress=derived)
    if request.method == "POST" and goal.status == GoalStatus.DRAFT:
        form.is_valid()
        form.add_error(None, "This goal is a draft: it can be checked in on once it is agreed.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["status"] == GoalStatus.DROPPED:
                goal_services.goal_drop(goal=goal, dropped_by=viewer.employee, reason=data["comment"])
            else:
                goal_services.goal_check_in_record(
                    goal=goal,
                    author=viewer.employee,
                    progress=data.get("progress", goal.progress),
                    status=data["status"],
                    comment=data["comment"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Check-in saved.")
            return redirect("appraisals:goal_detail", pk=goal.pk)
    return render(
        request,
        "appraisals/goals/check_in.html",
        {"goal": goal, "form": form, "derived": derived},
    )


# --- managers ---------------------------------------------------------------------


@require_GET
@viewer_required
def team_goals(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_manager, "This page is for people who manage others.")
    # Queries: drafts below the viewer (1, after report ids: 1), direct reports (1),
    # their goals (1) and what those support (1).
    drafts, people = goal_selectors.team_goals(viewer)
    for person in people:
        _hide_unseen(viewer, person.goals)
    return render(request, "appraisals/goals/team.html", {"drafts": drafts, "people": people})


# --- alignment ---------------------------------------------------------------------


@require_GET
@viewer_required
def alignment(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    services = goal_selectors.services_in_tree_order(viewer)
    by_id = {s.pk: s for s, _ in services}
    raw = request.GET.get("service")
    if raw is None:
        service = goal_selectors.default_alignment_service(viewer)
    else:
        service = by_id.get(int(raw)) if raw.isdigit() else None
    # Queries: services (1, shared with the viewer's roles), shared goals (1),
    # supporter counts (1), unaligned objectives the viewer may see and their count (2).
    tree = goal_selectors.alignment(viewer, service)
    levels = creatable_levels(viewer)
    return render(
        request,
        "appraisals/goals/alignment.html",
        {
            "tree": tree,
            "service": service,
            "service_choices": services,
            "can_create": bool(levels),
        },
    )
