"""Development plans: a person's plan, adding an item (from a gap or a session),
an item's page, changing and completing it; the person page's section.

Another organisation's person or item is a 404 (fetched through the viewer's
organisation); seeing one follows the person-record rule, a 403 otherwise;
adding and changing is for the person and their management chain
(:mod:`appraisals.rules.development_access`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from appraisals.forms.development import CompleteForm, DevelopmentItemForm
from appraisals.models import DevelopmentItem, DevelopmentStatus, FeedbackSession, SkillRating
from appraisals.models.development import OPEN_STATUSES
from appraisals.models.sessions import CONTENT, EMPLOYEE
from appraisals.rules.development_access import can_plan_for
from appraisals.rules.skill_levels import RatingFact, current_level
from appraisals.services.development import (
    development_item_complete,
    development_item_create,
    development_item_update,
)
from core import clock
from core.form_errors import add_service_errors
from organisations.access import Viewer, in_organisation, require, viewer_required, visible
from organisations.models import Employee, Skill, SkillRequirement
from organisations.views.person_sections import PersonSection

NOT_THEIRS = "You can see development plans only of people whose records you can see."
NOT_PLANNER = "Only the person and their managers can agree development items."


def _person(viewer: Viewer, pk: int) -> Employee:
    person = get_object_or_404(viewer.employees().select_related("job_role", "line_manager"), pk=pk)
    require(viewer.can_see_individual(person), NOT_THEIRS)
    return person


def _item(viewer: Viewer, pk: int) -> DevelopmentItem:
    item = get_object_or_404(
        in_organisation(DevelopmentItem, viewer).select_related("employee", "skill", "session", "created_by"),
        pk=pk,
    )
    require(item.is_visible_to(viewer), NOT_THEIRS)
    return item


def _requirements(viewer: Viewer, person: Employee) -> list[SkillRequirement]:
    if not person.job_role_id:
        return []
    return list(
        visible(SkillRequirement, viewer)
        .filter(job_role_id=person.job_role_id)
        .select_related("skill")
        .order_by("-essential", "skill__name")
    )


def _skills(viewer: Viewer, requirements: list[SkillRequirement]) -> list[Skill]:
    """The role's skills first, then the rest of the framework."""
    first = [r.skill for r in requirements]
    ids = {s.pk for s in first}
    return first + [s for s in visible(Skill, viewer).order_by("name") if s.pk not in ids]


def _levels(viewer: Viewer, person: Employee) -> dict[int, int]:
    facts: dict[int, list[RatingFact]] = {}
    for r in (
        visible(SkillRating, viewer).filter(employee=person).only("skill_id", "source", "level", "rated_on")
    ):
        facts.setdefault(r.skill_id, []).append(RatingFact(r.source, r.level, r.rated_on, r.pk))
    return {skill_id: current_level(f) for skill_id, f in facts.items()}


@require_GET
@viewer_required
def development_plan(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    """A person's development items, and their role's skills with the gaps to plan for.
    Queries: the person, their role's requirements, their ratings, their items."""
    person = _person(viewer, employee_pk)
    requirements = _requirements(viewer, person)
    levels = _levels(viewer, person)
    items = list(
        visible(DevelopmentItem, viewer)
        .filter(employee=person)
        .select_related("skill", "session")
        .order_by("ends_on", "pk")
    )
    open_ids = {i.skill_id for i in items if i.status in OPEN_STATUSES}
    done_ids = {i.skill_id for i in items if i.status == DevelopmentStatus.COMPLETED}
    gaps = [
        {
            "requirement": r,
            "level": levels.get(r.skill_id, 0),
            "gap": r.required_level - levels.get(r.skill_id, 0),
            "planned": r.skill_id in open_ids,
            # Completed development, yet still below the level: rate it again.
            "to_rate": r.skill_id in done_ids,
        }
        for r in requirements
        if levels.get(r.skill_id, 0) < r.required_level
    ]
    return render(
        request,
        "appraisals/development/plan.html",
        {
            "person": person,
            "is_me": person.pk == viewer.employee.pk,
            "open_items": [i for i in items if i.status in OPEN_STATUSES],
            "closed_items": [i for i in items if i.status not in OPEN_STATUSES],
            "gaps": gaps,
            "can_plan": can_plan_for(viewer, person),
        },
    )


def _session_for(viewer: Viewer, person: Employee, raw: str | None) -> FeedbackSession | None:
    """The session named in the link, when it is this person's and the viewer reads it."""
    if not raw or not raw.isdigit():
        return None
    session = get_object_or_404(in_organisation(FeedbackSession, viewer), pk=int(raw))
    require(session.employee_id == person.pk, "That session is not this person's.")
    require(session.view_level_for(viewer) in (CONTENT, EMPLOYEE), "You cannot read that session.")
    return session


@require_http_methods(["GET", "POST"])
@viewer_required
def development_create(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    """Agree a development item: from a gap (``?skill=``) or in a session (``?session=``)."""
    person = _person(viewer, employee_pk)
    require(can_plan_for(viewer, person), NOT_PLANNER)
    session = _session_for(viewer, person, request.GET.get("session"))
    requirements = _requirements(viewer, person)
    skills = _skills(viewer, requirements)
    initial: dict = {"starts_on": clock.today()}
    raw_skill = request.GET.get("skill", "")
    if raw_skill.isdigit() and int(raw_skill) in {s.pk for s in skills}:
        initial["skill"] = int(raw_skill)
        initial["target_level"] = next(
            (r.required_level for r in requirements if r.skill_id == int(raw_skill)), None
        )
    form = DevelopmentItemForm(
        request.POST if request.method == "POST" else None, skills=skills, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = development_item_create(
                employee=person, values=form.values(), by=viewer.employee, session=session
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Development item added: {item.title}.")
            if session is not None:
                return redirect("appraisals:session_detail", pk=session.pk)
            return redirect("appraisals:development_plan", employee_pk=person.pk)
    return render(
        request,
        "appraisals/development/form.html",
        {"form": form, "person": person, "session": session, "item": None},
    )


@require_GET
@viewer_required
def development_item(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    item = _item(viewer, pk)
    session = item.session
    return render(
        request,
        "appraisals/development/detail.html",
        {
            "item": item,
            "person": item.employee,
            "session_readable": session is not None and session.view_level_for(viewer) in (CONTENT, EMPLOYEE),
            "can_plan": can_plan_for(viewer, item.employee),
            "is_me": item.employee_id == viewer.employee.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def development_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    item = _item(viewer, pk)
    require(can_plan_for(viewer, item.employee), NOT_PLANNER)
    if item.status == "completed":
        messages.info(request, "This item is completed, so it can no longer be changed.")
        return redirect("appraisals:development_item", pk=item.pk)
    skills = _skills(viewer, _requirements(viewer, item.employee))
    if item.skill not in skills:
        skills.append(item.skill)
    initial = {
        name: getattr(item, name)
        for name in ("target_level", "kind", "title", "provider", "starts_on", "ends_on", "cost", "status")
    }
    initial["skill"] = item.skill_id
    form = DevelopmentItemForm(
        request.POST if request.method == "POST" else None, skills=skills, initial=initial, with_status=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            development_item_update(
                item=item, values=form.values(), status=form.cleaned_data["status"], by=viewer.employee
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Development item saved: {item.title}.")
            return redirect("appraisals:development_item", pk=item.pk)
    return render(
        request,
        "appraisals/development/form.html",
        {"form": form, "person": item.employee, "session": item.session, "item": item},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def development_complete(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    item = _item(viewer, pk)
    require(can_plan_for(viewer, item.employee), NOT_PLANNER)
    if item.status not in OPEN_STATUSES:
        messages.info(request, f"This item is {item.get_status_display().lower()}: it cannot be completed.")
        return redirect("appraisals:development_item", pk=item.pk)
    own = item.employee_id == viewer.employee.pk
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        skill_name=item.skill.name,
        own=own,
        initial={"completed_on": min(item.ends_on, clock.today()), "level": item.target_level},
    )
    if request.method == "POST" and form.is_valid():
        try:
            development_item_complete(
                item=item,
                by=viewer.employee,
                on=form.cleaned_data["completed_on"],
                level=form.cleaned_data["level"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            rated = form.cleaned_data["level"] is not None
            messages.success(
                request,
                f"Development item completed: {item.title}."
                + (" The new level is recorded." if rated else " Rate the skill in the next session."),
            )
            return redirect("appraisals:development_item", pk=item.pk)
    return render(request, "appraisals/development/complete.html", {"form": form, "item": item, "own": own})


def development_section(request: HttpRequest, viewer: Viewer, person: Employee) -> PersonSection | None:
    """The person page's development plan: open items, for those who see the person's records."""
    if not viewer.can_see_individual(person):
        return None
    items = list(
        visible(DevelopmentItem, viewer)
        .open()
        .filter(employee=person)
        .select_related("skill")
        .order_by("ends_on", "pk")
    )
    return PersonSection(
        title="Development plan",
        template="appraisals/development/_person_section.html",
        context={
            "items": items,
            "person": person,
            "is_me": person.pk == viewer.employee.pk,
            "can_plan": can_plan_for(viewer, person),
        },
        order=65,
    )


def session_development(viewer: Viewer, session: FeedbackSession) -> dict:
    """For the session page: the items agreed in it, and whether the viewer may add one."""
    items = list(
        visible(DevelopmentItem, viewer).filter(session=session).select_related("skill").order_by("pk")
    )
    return {"development_items": items, "can_plan": can_plan_for(viewer, session.employee)}
