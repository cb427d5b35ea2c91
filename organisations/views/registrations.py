"""A person's professional registrations and mandatory training: the section on
their page, and the forms to add, change and remove them (HR officers,
performance officers and the person's managers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import clock
from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required, visible
from organisations.forms.registrations import RegistrationForm, TrainingRecordForm
from organisations.models import Employee, MandatoryCourse, ProfessionalRegistration, TrainingRecord
from organisations.models.registrations import person_record_visible_to
from organisations.rules import registrations as rules
from organisations.rules.registrations_access import may_edit_person_records
from organisations.selectors.registrations import person_compliance
from organisations.services import registrations as services
from organisations.views.person_sections import PersonSection

EDITORS_ONLY = (
    "Only HR officers, performance officers and the person's managers can change registrations and training."
)


def registrations_section(request: HttpRequest, viewer: Viewer, person: Employee) -> PersonSection | None:
    """On the person's page, for those who see their individual records (and HR
    officers). Queries: 4 (see ``person_compliance``)."""
    if not person_record_visible_to(person, viewer):
        return None
    compliance = person_compliance(
        person, visible(ProfessionalRegistration, viewer), visible(TrainingRecord, viewer), clock.today()
    )
    can_edit = may_edit_person_records(viewer, person)
    if not (compliance.required_body or compliance.registrations or compliance.courses or can_edit):
        return None
    return PersonSection(
        title="Registration and mandatory training",
        template="organisations/registrations/_person_section.html",
        context={"compliance": compliance, "person": person, "can_edit": can_edit},
        order=25,
    )


def _person_page(person: Employee) -> str:
    return reverse("organisations:person_detail", args=[person.pk]) + "#registrations"


def _editable_person(viewer: Viewer, pk: int) -> Employee:
    person = get_for_viewer(in_organisation(Employee, viewer).select_related("job_role"), viewer, pk=pk)
    require(may_edit_person_records(viewer, person), EDITORS_ONLY)
    return person


@require_http_methods(["GET", "POST"])
@viewer_required
def registration_add(request: HttpRequest, viewer: Viewer, person_pk: int) -> HttpResponse:
    person = _editable_person(viewer, person_pk)
    initial = {}
    if person.job_role_id:
        requirement = getattr(person.job_role, "registration_requirement", None)
        if requirement is not None:
            initial["body"] = requirement.body
    return _registration_form(request, viewer, person, None, initial)


@require_http_methods(["GET", "POST"])
@viewer_required
def registration_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    registration = get_for_viewer(
        in_organisation(ProfessionalRegistration, viewer).select_related("employee"), viewer, pk=pk
    )
    person = registration.employee
    require(may_edit_person_records(viewer, person), EDITORS_ONLY)
    if request.method == "POST" and "remove" in request.POST:
        services.registration_delete(registration=registration, by=viewer.employee)
        messages.success(request, f"Registration removed from {person.full_name}'s record.")
        return redirect(_person_page(person))
    initial = {
        "body": registration.body,
        "number": registration.number,
        "expires_on": registration.expires_on,
    }
    return _registration_form(request, viewer, person, registration, initial)


def _registration_form(request, viewer, person, registration, initial) -> HttpResponse:
    form = RegistrationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.registration_save(
                person=person, registration=registration, by=viewer.employee, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{person.full_name}'s {rules.BODY_LABELS[saved.body]} registration saved."
            )
            return redirect(_person_page(person))
    return render(
        request,
        "organisations/registrations/registration_form.html",
        {"form": form, "person": person, "registration": registration},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def training_add(request: HttpRequest, viewer: Viewer, person_pk: int) -> HttpResponse:
    person = _editable_person(viewer, person_pk)
    initial = {}
    if request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    return _training_form(request, viewer, person, None, initial)


@require_http_methods(["GET", "POST"])
@viewer_required
def training_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    record = get_for_viewer(
        in_organisation(TrainingRecord, viewer).select_related("employee", "course"), viewer, pk=pk
    )
    person = record.employee
    require(may_edit_person_records(viewer, person), EDITORS_ONLY)
    if request.method == "POST" and "remove" in request.POST:
        services.training_record_delete(record=record, by=viewer.employee)
        messages.success(request, f"{record.course.name} removed from {person.full_name}'s training.")
        return redirect(_person_page(person))
    return _training_form(
        request, viewer, person, record, {"course": record.course_id, "completed_on": record.completed_on}
    )


def _training_form(request, viewer, person, record, initial) -> HttpResponse:
    form = TrainingRecordForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        courses=visible(MandatoryCourse, viewer).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.training_record_save(
                person=person, record=record, by=viewer.employee, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{saved.course.name} saved for {person.full_name}.")
            return redirect(_person_page(person))
    return render(
        request,
        "organisations/registrations/training_form.html",
        {"form": form, "person": person, "record": record},
    )
