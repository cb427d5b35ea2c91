"""The settings area's roles page: who holds each role, give one, take one away
(the last organisation administrator keeps theirs), and whether performance
officers may produce subject access exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.form_errors import add_service_errors
from organisations.access import ROLE_LABELS, Viewer, get_for_viewer, in_organisation, require
from organisations.forms.settings import SubjectAccessOptionForm, yes_no_initial
from organisations.forms.settings_roles import PersonSearchForm, RoleGrantForm
from organisations.models import Employee
from organisations.selectors import settings as settings_selectors
from organisations.services import settings as settings_services
from organisations.views.settings import admin_required, saved_message

# --- roles --------------------------------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS[role]) for role in settings_services.ROLE_FIELDS]


@require_http_methods(["GET", "POST"])
@admin_required
def settings_roles(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Who holds each role; give one (find the person by name or employee number,
    then choose them: no JavaScript needed), take one away, and whether
    performance officers may produce subject access exports."""
    org = viewer.organisation
    action = request.POST.get("action") if request.method == "POST" else None
    search = PersonSearchForm(request.GET or None)
    text = search.cleaned_data.get("q", "") if search.is_valid() else ""
    if action == "grant":
        text = request.POST.get("q", "")[:100]
    people = settings_selectors.people_matching(org, text)
    grant_form = RoleGrantForm(
        request.POST if action == "grant" else None,
        roles=_role_choices(),
        # Anyone in post may be chosen; the select lists those the search found.
        people=in_organisation(Employee, viewer).filter(active=True) if action == "grant" else people,
        initial={"role": request.GET.get("role", "")},
    )
    option_form = SubjectAccessOptionForm(
        request.POST if action == "option" else None,
        initial={
            "officers_may_export_subject_access": yes_no_initial(org.officers_may_export_subject_access)
        },
    )
    revoke_error = ""
    if action == "grant" and grant_form.is_valid():
        employee, role = grant_form.cleaned_data["employee"], grant_form.cleaned_data["role"]
        try:
            given = settings_services.role_grant(employee=employee, role=role, by=viewer.employee)
        except ValidationError as exc:
            add_service_errors(grant_form, exc)
        else:
            messages.success(
                request,
                f"{employee.full_name} is now {_role_words(role)}."
                if given
                else f"{employee.full_name} was already {_role_words(role)}.",
            )
            return redirect("organisations:settings_roles")
    elif action == "option" and option_form.is_valid():
        changes = settings_services.organisation_settings_update(
            organisation=org, by=viewer.employee, values=option_form.cleaned_data
        )
        saved_message(request, changes)
        return redirect("organisations:settings_roles")
    elif action == "revoke":
        role = request.POST.get("role", "")
        require(role in settings_services.ROLE_FIELDS, "Choose a role from the list.")
        employee = get_for_viewer(
            in_organisation(Employee, viewer), viewer, pk=_int(request.POST.get("employee"))
        )
        try:
            settings_services.role_revoke(employee=employee, role=role, by=viewer.employee)
        except ValidationError as exc:
            revoke_error = " ".join(exc.messages)
        else:
            messages.success(request, f"{employee.full_name} is no longer {_role_words(role)}.")
            return redirect("organisations:settings_roles")
    elif action is not None and action not in ("grant", "option"):
        messages.error(request, "Choose what to do.")
    if action == "grant":
        grant_form.fields["employee"].queryset = settings_selectors.people_matching(
            org, text, also=_int(request.POST.get("employee"))
        )
    holders = settings_selectors.role_holders_by_role(org)
    return render(
        request,
        "organisations/settings/roles.html",
        {
            "organisation": org,
            "holders": [(role, ROLE_LABELS[role], holders[role]) for role in settings_services.ROLE_FIELDS],
            "search": search,
            "search_text": text,
            "grant_form": grant_form,
            "option_form": option_form,
            "revoke_error": revoke_error,
            "error_form": grant_form if grant_form.errors else option_form if option_form.errors else None,
        },
        status=400 if revoke_error else 200,
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _role_words(role: str) -> str:
    """ "an organisation administrator", "an HR officer", "a performance officer"."""
    label = ROLE_LABELS[role]
    if not label[:2].isupper():
        label = label[:1].lower() + label[1:]
    return f"{'an' if label[:1] in 'aeiouH' else 'a'} {label}"
