"""Setting goals: proposing, agreeing, creating, changing and assigning to several people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from appraisals.forms.goals import (
    BulkAssignForm,
    IndividualGoalForm,
    OwnDraftForm,
    ProposeGoalForm,
    SharedGoalEditForm,
    SharedGoalForm,
)
from appraisals.models import Goal, GoalLevel, GoalStatus
from appraisals.rules.goal_access import (
    can_edit_goal,
    can_set_goals_for,
    creatable_levels,
    services_for_goals,
)
from appraisals.selectors import goals as goal_selectors
from appraisals.services import goals as goal_services
from appraisals.views.goals import GET_POST, goal_for
from core.form_errors import add_service_errors
from core.redirects import next_or
from organisations.access import Viewer, require, viewer_required, visible
from organisations.models import Employee

# --- staff ------------------------------------------------------------------------


@GET_POST
@viewer_required
def goal_propose(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    me = viewer.employee
    instance = Goal(
        organisation=viewer.organisation,
        level=GoalLevel.INDIVIDUAL,
        owner=me,
        service=me.service,
        status=GoalStatus.DRAFT,
        created_by=me,
    )
    form = ProposeGoalForm(request.POST or None, instance=instance, near=me.service)
    return _goal_form_page(
        request,
        form,
        lambda data: goal_services.goal_propose(owner=me, **_common(data)),
        success=lambda goal: "Goal proposed. Your manager will agree it with you.",
        heading="Propose a goal",
        intro="Your manager agrees it with you before it counts. Until then you can change it.",
        back=reverse("appraisals:my_goals"),
    )


@require_POST
@viewer_required
def goal_agree(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    goal = goal_for(viewer, pk)
    require(
        goal.level == GoalLevel.INDIVIDUAL
        and goal.owner_id != viewer.employee.pk
        and can_set_goals_for(viewer, goal.owner),
        "Only a manager of this person can agree their goals.",
    )
    try:
        goal_services.goal_agree(goal=goal, agreed_by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Agreed “{goal.title}” with {goal.owner.full_name}.")
    return redirect(next_or(request, reverse("appraisals:team_goals")))


# --- setting goals ------------------------------------------------------------------


@GET_POST
@viewer_required
def goal_create(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """``?owner=<pk>``: a manager sets a report's objective. Without: a head of
    service, performance officer or the chief executive sets a shared goal."""
    owner_pk = request.GET.get("owner")
    if owner_pk:
        if not owner_pk.isdigit():
            raise Http404("No such person.")
        owner = get_object_or_404(viewer.employees().select_related("service"), pk=owner_pk)
        require(can_set_goals_for(viewer, owner), "You can set goals only for people you manage.")
        return _create_individual(request, viewer, owner)
    levels = creatable_levels(viewer)
    require(bool(levels), "Heads of service and performance officers set service and team goals.")
    instance = Goal(organisation=viewer.organisation, created_by=viewer.employee)
    services = services_for_goals(viewer)
    form = SharedGoalForm(
        request.POST or None,
        instance=instance,
        levels=levels,
        services=services,
        near=viewer.employee.service,
        initial={"level": levels[-1]} if len(levels) == 1 else {},
    )
    return _goal_form_page(
        request,
        form,
        lambda data: goal_services.goal_create(
            organisation=viewer.organisation,
            created_by=viewer.employee,
            level=data["level"],
            service=data["service"],
            **_common(data),
            weight=data["weight"],
        ),
        success=lambda goal: f"{goal.get_level_display()} created.",
        heading="Create a goal",
        intro="An organisation priority, or a goal for a service or team you lead.",
        back=reverse("appraisals:alignment"),
    )


def _goal_form_page(
    request: HttpRequest, form, save, *, success, heading: str, intro: str, back: str
) -> HttpResponse:
    """The goal form: on a valid POST ``save(cleaned_data)`` goes through a service;
    its ValidationError lands on the form, a saved goal opens with ``success(goal)``."""
    if request.method == "POST" and form.is_valid():
        try:
            goal = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(goal))
            return redirect("appraisals:goal_detail", pk=goal.pk)
    context = {"form": form, "heading": heading, "intro": intro, "back": back}
    return render(request, "appraisals/goals/form.html", context)


def _common(data: dict) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "success_measure": data["success_measure"],
        "parent": data["parent"],
        "kpi": data["kpi"],
        "start_date": data["start_date"],
        "due_date": data["due_date"],
        "horizon": data["horizon"],
    }


def _create_individual(request: HttpRequest, viewer: Viewer, owner: Employee) -> HttpResponse:
    instance = Goal(
        organisation=viewer.organisation,
        level=GoalLevel.INDIVIDUAL,
        owner=owner,
        service=owner.service,
        created_by=viewer.employee,
    )
    form = IndividualGoalForm(request.POST or None, instance=instance, near=owner.service)
    return _goal_form_page(
        request,
        form,
        lambda data: goal_services.goal_create(
            organisation=viewer.organisation,
            created_by=viewer.employee,
            level=GoalLevel.INDIVIDUAL,
            owner=owner,
            **_common(data),
            weight=data["weight"],
        ),
        success=lambda goal: f"Goal set for {owner.full_name}.",
        heading=f"Set a goal for {owner.full_name}",
        intro="It is agreed as you set it: talk it through with them first.",
        back=reverse("appraisals:team_goals"),
    )


@GET_POST
@viewer_required
def goal_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    goal = goal_for(viewer, pk)
    require(can_edit_goal(viewer, goal), "You cannot change this goal.")
    near = goal.owner.service if goal.owner_id else goal.service
    if goal.level != GoalLevel.INDIVIDUAL:
        form = SharedGoalEditForm(
            request.POST or None, instance=goal, levels=[], services=services_for_goals(viewer), near=near
        )
    elif goal.owner_id == viewer.employee.pk:
        form = OwnDraftForm(request.POST or None, instance=goal, near=near)
    else:
        form = IndividualGoalForm(request.POST or None, instance=goal, near=near)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.fields if name in goal_services.EDITABLE_FIELDS
        }
        try:
            goal_services.goal_update(
                goal=visible(Goal, viewer).get(pk=goal.pk), updated_by=viewer.employee, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Goal saved.")
            return redirect("appraisals:goal_detail", pk=goal.pk)
    return render(
        request,
        "appraisals/goals/form.html",
        {
            "form": form,
            "heading": "Change a goal",
            "caption": goal.owner.full_name if goal.owner_id else goal.get_level_display(),
            "back": reverse("appraisals:goal_detail", args=[goal.pk]),
        },
    )


# --- managers ---------------------------------------------------------------------


@GET_POST
@viewer_required
def goal_bulk_assign(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Choose people among the viewer's direct reports (by default) or everyone
    below them in one service or team (``?service=<pk>``), so the list stays a
    team's length even for a director."""
    require(viewer.is_manager, "This page is for people who manage others.")
    below = viewer.employees().filter(Q(pk__in=viewer.report_ids), active=True)
    # Services where people below the viewer work, with how many: one query.
    counts = dict(below.values_list("service_id").annotate(n=Count("pk")).values_list("service_id", "n"))
    services = []
    for service, depth in goal_selectors.services_in_tree_order(viewer):
        total = sum(counts.get(pk, 0) for pk in viewer.service_subtree_ids(service))
        if total:
            services.append((service, depth, total))
    raw = request.GET.get("service", "")
    chosen = next((s for s, _, _ in services if raw.isdigit() and s.pk == int(raw)), None)
    if chosen is not None:
        people = below.filter(service_id__in=viewer.service_subtree_ids(chosen))
    else:
        people = below.filter(line_manager=viewer.employee)
    people = people.select_related("job_role", "service").order_by("service__name", "last_name", "first_name")
    form = BulkAssignForm(
        request.POST or None,
        organisation=viewer.organisation,
        people=people,
        near=viewer.employee.service,
        initial={"parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goals = goal_services.goal_bulk_assign(
                parent=data["parent"],
                owners=list(data["people"]),
                assigned_by=viewer.employee,
                title=data["title"],
                description=data["description"],
                success_measure=data["success_measure"],
                kpi=data["kpi"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                horizon=data["horizon"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            n = len(goals)
            messages.success(request, f"Goal assigned to {n} {'person' if n == 1 else 'people'}.")
            return redirect("appraisals:team_goals")
    return render(
        request,
        "appraisals/goals/bulk_assign.html",
        {"form": form, "services": services, "chosen": chosen},
    )
