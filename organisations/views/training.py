"""Mandatory courses, what each job role requires, and the learning system's
file of completions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, require, viewer_required, visible
from organisations.forms.registrations import CourseForm, RoleComplianceForm, TrainingImportForm
from organisations.models import JobRole, MandatoryCourse, RoleCourseRequirement, RoleRegistrationRequirement
from organisations.rules.registrations_access import may_import_training, may_manage_courses
from organisations.selectors.registrations import courses_with_roles
from organisations.services import registrations as services
from organisations.services.training_import import COLUMNS, training_import

MANAGERS_ONLY = (
    "Only HR officers and performance officers can change mandatory courses and what roles require."
)


@require_GET
@viewer_required
def course_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Every mandatory course, how often it is renewed and the roles requiring
    it. Queries: courses 1, requirements 1."""
    return render(
        request,
        "organisations/registrations/course_list.html",
        {
            "courses": courses_with_roles(visible(MandatoryCourse, viewer)),
            "can_edit": may_manage_courses(viewer),
            "can_import": may_import_training(viewer),
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def course_create(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(may_manage_courses(viewer), MANAGERS_ONLY)
    return _course_form(request, viewer, None)


@require_http_methods(["GET", "POST"])
@viewer_required
def course_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    course = get_for_viewer(MandatoryCourse, viewer, pk=pk)
    require(may_manage_courses(viewer), MANAGERS_ONLY)
    return _course_form(request, viewer, course)


def _course_form(request, viewer, course) -> HttpResponse:
    initial = (
        {"name": course.name, "renewal_months": course.renewal_months, "description": course.description}
        if course
        else {}
    )
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_save(
                organisation=viewer.organisation, course=course, by=viewer.employee, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Course saved: {saved.name}.")
            return redirect("organisations:course_list")
    return render(request, "organisations/registrations/course_form.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
@viewer_required
def role_compliance(request: HttpRequest, viewer: Viewer, role_pk: int) -> HttpResponse:
    """The registration body and the mandatory courses a role requires."""
    role = get_for_viewer(JobRole, viewer, pk=role_pk)
    require(may_manage_courses(viewer), MANAGERS_ONLY)
    courses = visible(MandatoryCourse, viewer).order_by("name")
    current_body = (
        visible(RoleRegistrationRequirement, viewer)
        .filter(job_role=role)
        .values_list("body", flat=True)
        .first()
    )
    initial = {
        "body": current_body or "",
        "courses": list(
            visible(RoleCourseRequirement, viewer).filter(job_role=role).values_list("course_id", flat=True)
        ),
    }
    form = RoleComplianceForm(
        request.POST if request.method == "POST" else None, initial=initial, courses=courses
    )
    if request.method == "POST" and form.is_valid():
        counts = services.role_requirements_save(
            job_role=role,
            body=form.cleaned_data["body"],
            courses=form.cleaned_data["courses"],
            by=viewer.employee,
        )
        if any(counts.values()):
            messages.success(
                request,
                f"Registration and training for {role.title} saved: {counts['added']} added, "
                f"{counts['changed']} changed, {counts['removed']} removed.",
            )
        else:
            messages.info(request, "No changes to save.")
        return redirect("organisations:role_profile", pk=role.pk)
    return render(
        request,
        "organisations/registrations/role_compliance.html",
        {"form": form, "role": role, "has_courses": courses.exists()},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def training_import_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The learning system's CSV of completions: all of it or none."""
    require(may_import_training(viewer), "Only HR officers can import training records.")
    form = TrainingImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    row_errors, more = [], 0
    if request.method == "POST" and form.is_valid():
        outcome = training_import(organisation=viewer.organisation, rows=form.rows, by=viewer.employee)
        if outcome.ok:
            messages.success(
                request,
                f"Imported {outcome.created} completion{'s' if outcome.created != 1 else ''}"
                + (f"; {outcome.already} already recorded" if outcome.already else "")
                + ".",
            )
            return redirect("organisations:course_list")
        row_errors, more = outcome.errors, outcome.more
        total = len(row_errors) + more
        form.add_error(
            "file",
            f"The file has {total} problem{'s' if total != 1 else ''}. "
            "Nothing was imported: correct the rows listed and upload the file again.",
        )
    return render(
        request,
        "organisations/registrations/training_import.html",
        {"form": form, "row_errors": row_errors, "more": more, "columns": COLUMNS},
    )
