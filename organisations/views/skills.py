"""The skills framework, role profiles, and the performance officer's edits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required, visible
from organisations.forms.skills import RequirementFormSet, RoleDayRateForm, SkillForm
from organisations.models import (
    LEVEL_DESCRIPTORS,
    Employee,
    JobRole,
    ServiceKind,
    Skill,
    SkillLevel,
    SkillRequirement,
)
from organisations.rules.registrations_access import may_manage_courses
from organisations.selectors.registrations import role_requirements as registration_requirements
from organisations.services.skills import (
    RequirementInput,
    job_role_day_rate_set,
    role_requirements_set,
    skill_create,
    skill_update,
)

LEVELS = [
    {"value": value, "label": label, "descriptor": LEVEL_DESCRIPTORS[value]}
    for value, label in SkillLevel.choices
]
PO_ONLY = "Only performance officers can change the skills framework."


def _people_in_role(viewer: Viewer):
    return Coalesce(
        Subquery(
            visible(Employee, viewer)
            .filter(job_role=OuterRef("pk"), active=True)
            .order_by()
            .values("job_role")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


@require_GET
@viewer_required
def skills_framework(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Skills by category with what each means, the level descriptors, and the
    job roles with how many skills each requires. Queries: skills, roles."""
    skills = list(
        visible(Skill, viewer).annotate(roles_requiring=Count("requirements")).order_by("category", "name")
    )
    roles = list(
        visible(JobRole, viewer)
        .annotate(
            n_requirements=Count("requirements"),
            n_essential=Count("requirements", filter=Q(requirements__essential=True)),
            n_people=_people_in_role(viewer),
        )
        .order_by("title")
    )
    if viewer.sees_whole_organisation:
        coverage_services = [s for s in viewer.tree.services if s.parent_id is None]
        roots = {s.pk for s in coverage_services}
        coverage_services += sorted(
            (s for s in viewer.tree.services if s.parent_id in roots), key=lambda s: s.name
        )
    else:
        # What they lead; a team manager also sees the service their team is in.
        by_id = viewer.tree.by_id
        coverage_services = list(viewer.headed_services)
        for team in viewer.headed_services:
            parent = by_id.get(team.parent_id)
            if team.kind == ServiceKind.TEAM and parent and parent not in coverage_services:
                coverage_services.insert(0, parent)
    return render(
        request,
        "organisations/skills_framework.html",
        {
            "skills": skills,
            "roles": roles,
            "levels": LEVELS,
            "can_edit": viewer.can_edit_organisation_data(),
            "coverage_services": coverage_services,
            "my_role": viewer.employee.job_role,
        },
    )


@require_GET
@viewer_required
def role_profile(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    role = get_for_viewer(
        in_organisation(JobRole, viewer).annotate(n_people=_people_in_role(viewer)), viewer, pk=pk
    )
    requirements = list(
        role.requirements.select_related("skill").order_by("-essential", "skill__category", "skill__name")
    )
    for r in requirements:
        r.descriptor = LEVEL_DESCRIPTORS[r.required_level]
    role_body, role_courses = registration_requirements(role)
    return render(
        request,
        "organisations/role_profile.html",
        {
            "role": role,
            "requirements": requirements,
            "levels": LEVELS,
            "can_edit": viewer.can_edit_organisation_data(),
            "is_my_role": viewer.employee.job_role_id == role.pk,
            "organisation_rate": viewer.organisation.interim_day_rate,
            "role_body": role_body,
            "role_courses": role_courses,
            "can_manage_training": may_manage_courses(viewer),
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def skill_create_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.can_edit_organisation_data(), PO_ONLY)
    form = SkillForm(request.POST if request.method == "POST" else None, organisation=viewer.organisation)
    if request.method == "POST" and form.is_valid():
        skill = skill_create(organisation=viewer.organisation, by=viewer.employee, **form.cleaned_data)
        messages.success(request, f"Skill added: {skill.name}.")
        return redirect(f"{reverse('organisations:skills_framework')}#skill-{skill.pk}")
    return render(request, "organisations/skill_form.html", {"form": form, "skill": None})


@require_http_methods(["GET", "POST"])
@viewer_required
def skill_edit_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    skill = get_for_viewer(Skill, viewer, pk=pk)
    require(viewer.can_edit_organisation_data(), PO_ONLY)
    form = SkillForm(
        request.POST if request.method == "POST" else None, organisation=viewer.organisation, instance=skill
    )
    if request.method == "POST" and form.is_valid():
        skill_update(skill=skill, by=viewer.employee, **form.cleaned_data)
        messages.success(request, f"Skill saved: {skill.name}.")
        return redirect(f"{reverse('organisations:skills_framework')}#skill-{skill.pk}")
    return render(request, "organisations/skill_form.html", {"form": form, "skill": skill})


@require_http_methods(["GET", "POST"])
@viewer_required
def role_requirements(request: HttpRequest, viewer: Viewer, role_pk: int) -> HttpResponse:
    """A role's required skills: change, remove, and add up to three at a time
    (blank rows; "Save and add more" gives three more), all without JavaScript."""
    role = get_for_viewer(JobRole, viewer, pk=role_pk)
    require(viewer.can_edit_organisation_data(), PO_ONLY)
    skills = visible(Skill, viewer).order_by("name")
    current = list(
        visible(SkillRequirement, viewer)
        .filter(job_role=role)
        .select_related("skill")
        .order_by("skill__name")
    )
    initial = [
        {"skill": r.skill, "required_level": r.required_level, "essential": r.essential} for r in current
    ]
    formset = RequirementFormSet(
        request.POST if request.method == "POST" else None, initial=initial, skills=skills, prefix="req"
    )
    if request.method == "POST" and formset.is_valid():
        inputs = [
            RequirementInput(
                skill=f.cleaned_data["skill"],
                required_level=f.cleaned_data["required_level"],
                essential=f.cleaned_data["essential"],
            )
            for f in formset.forms
            if f.cleaned_data.get("skill") and not f.cleaned_data.get("DELETE")
        ]
        counts = role_requirements_set(job_role=role, requirements=inputs, by=viewer.employee)
        if any(counts.values()):
            messages.success(
                request,
                f"Requirements for {role.title} saved: {counts['added']} added, "
                f"{counts['changed']} changed, {counts['removed']} removed.",
            )
        else:
            messages.info(request, "No changes to save.")
        if "add_more" in request.POST:
            return redirect("organisations:role_requirements", role_pk=role.pk)
        return redirect("organisations:role_profile", pk=role.pk)
    return render(
        request,
        "organisations/role_requirements.html",
        {
            "role": role,
            "formset": formset,
            "formsets": [formset],
            "levels": LEVELS,
            "has_skills": bool(formset.skill_list),
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def role_day_rate(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """What a day of interim cover for the role costs (blank: the organisation's
    rate): performance officers, like the rest of the framework."""
    role = get_for_viewer(JobRole, viewer, pk=pk)
    require(viewer.can_edit_organisation_data(), PO_ONLY)
    form = RoleDayRateForm(
        request.POST if request.method == "POST" else None,
        initial={"interim_day_rate": role.interim_day_rate},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = job_role_day_rate_set(
                job_role=role, rate=form.cleaned_data["interim_day_rate"], by=viewer.employee
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, f"Interim day rate for {role.title} saved.")
            else:
                messages.info(request, "No changes to save.")
            return redirect("organisations:role_profile", pk=role.pk)
    return render(
        request,
        "organisations/role_day_rate.html",
        {"role": role, "form": form, "organisation_rate": viewer.organisation.interim_day_rate},
    )
