"""The settings area: the organisation's settings, job families and roles, for its
administrators (everyone else: 403). Each section is a GOV.UK form; each save is
one audit event (``organisations/services/settings.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.form_errors import add_service_errors
from organisations.access import (
    Viewer,
    get_for_viewer,
    in_organisation,
    require,
    viewer_required,
)
from organisations.forms.settings import (
    CadenceDefaultForm,
    FeedbackAttributionForm,
    JobFamilyForm,
    PublicPageForm,
    ResultsSignOffForm,
    RetentionForm,
    RoleFamiliesForm,
    SignInForm,
    YearForm,
    yes_no_initial,
)
from organisations.models import JobFamily
from organisations.selectors import settings as settings_selectors
from organisations.services import settings as settings_services

SAVED = "Settings saved."
UNCHANGED = "Nothing changed: the settings are as they were."


def require_admin(viewer: Viewer) -> None:
    require(viewer.is_organisation_admin, "Only an organisation administrator can change the settings.")


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The viewer, who must be an organisation administrator (else 403)."""

    @viewer_required
    @wraps(view)
    def wrapper(request: HttpRequest, viewer: Viewer, *args: Any, **kwargs: Any) -> HttpResponse:
        require_admin(viewer)
        return view(request, viewer, *args, **kwargs)

    return wrapper


def saved_message(request: HttpRequest, changes: list) -> None:
    messages.success(request, SAVED if changes else UNCHANGED)


def _section(
    request: HttpRequest,
    viewer: Viewer,
    *,
    form_class: type,
    template: str,
    initial: dict[str, Any],
    url_name: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A section that is one form over the organisation's own fields."""
    org = viewer.organisation
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                changes = settings_services.organisation_settings_update(
                    organisation=org, by=viewer.employee, values=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved_message(request, changes)
                return redirect(url_name)
    else:
        form = form_class(initial=initial)
    return render(request, template, {"form": form, "organisation": org, **(extra or {})})


@require_http_methods(["GET"])
@admin_required
def settings_home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Queries: session, user, viewer's employee (with the organisation), whether
    # the viewer manages anyone (navigation), job families with their roles
    # counted, the holders of every role.
    org = viewer.organisation
    return render(
        request,
        "organisations/settings/home.html",
        {
            "organisation": org,
            "sections": settings_selectors.sections(org),
            # The audit trail's history page (insights) lists what the settings area recorded.
            "history_url": reverse("insights:history", args=["organisations.organisation", org.pk])
            + f"?back={request.path}",
        },
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_year(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    org = viewer.organisation
    return _section(
        request,
        viewer,
        form_class=YearForm,
        template="organisations/settings/year.html",
        initial={
            "financial_year_start_month": org.financial_year_start_month,
            "interim_reliance_threshold": org.interim_reliance_threshold,
            "skills_coverage_threshold": org.skills_coverage_threshold,
            "interim_day_rate": org.interim_day_rate,
            "exception_rule": org.exception_rule,
        },
        url_name="organisations:settings_year",
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_retention(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    org = viewer.organisation
    return _section(
        request,
        viewer,
        form_class=RetentionForm,
        template="organisations/settings/retention.html",
        initial={"session_retention_years": org.session_retention_years},
        url_name="organisations:settings_retention",
        extra={"sign_in_log_days": django_settings.SIGN_IN_LOG_RETENTION_DAYS},
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_public(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    org = viewer.organisation
    return _section(
        request,
        viewer,
        form_class=PublicPageForm,
        template="organisations/settings/public.html",
        initial={"public_page_enabled": yes_no_initial(org.public_page_enabled)},
        url_name="organisations:settings_public",
        extra={
            "public_url": request.build_absolute_uri(reverse("insights:public_performance", args=[org.slug]))
        },
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_results(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _section(
        request,
        viewer,
        form_class=ResultsSignOffForm,
        template="organisations/settings/results.html",
        initial={"results_validated_by": viewer.organisation.results_validated_by},
        url_name="organisations:settings_results",
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_feedback(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    org = viewer.organisation
    return _section(
        request,
        viewer,
        form_class=FeedbackAttributionForm,
        template="organisations/settings/feedback.html",
        initial={"feedback_attribution": org.feedback_attribution},
        url_name="organisations:settings_feedback",
    )


@require_http_methods(["GET", "POST"])
@admin_required
def settings_sign_in(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    org = viewer.organisation
    secret_stored = bool(org.oidc_client_secret)
    if request.method == "POST":
        form = SignInForm(request.POST, secret_stored=secret_stored)
        if form.is_valid():
            try:
                changes = settings_services.organisation_settings_update(
                    organisation=org, by=viewer.employee, values=form.values(org.oidc_client_secret)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved_message(request, changes)
                return redirect("organisations:settings_sign_in")
    else:
        form = SignInForm(
            secret_stored=secret_stored,
            initial={
                "local_passwords_enabled": yes_no_initial(org.local_passwords_enabled),
                "oidc_issuer": org.oidc_issuer,
                "oidc_client_id": org.oidc_client_id,
                "oidc_claim": org.oidc_claim,
                "oidc_matches": org.oidc_matches,
            },
        )
    return render(request, "organisations/settings/sign_in.html", {"form": form, "organisation": org})


# --- supervision cadence ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def settings_cadence(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Three forms, told apart by ``action``: the default, a new family, and
    which family each job role is in."""
    org = viewer.organisation
    action = request.POST.get("action") if request.method == "POST" else None
    default_form = CadenceDefaultForm(
        request.POST if action == "default" else None,
        initial={"default_feedback_interval_days": org.default_feedback_interval_days},
    )
    family_form = JobFamilyForm(request.POST if action == "add_family" else None, submit="Add job family")
    families = settings_selectors.families_with_roles(org)
    roles = settings_selectors.job_roles(org)
    roles_form = RoleFamiliesForm(request.POST if action == "roles" else None, roles=roles, families=families)
    done: list | None = None
    try:
        if action == "default" and default_form.is_valid():
            done = settings_services.organisation_settings_update(
                organisation=org, by=viewer.employee, values=default_form.cleaned_data
            )
        elif action == "add_family" and family_form.is_valid():
            settings_services.job_family_create(
                organisation=org, by=viewer.employee, **family_form.cleaned_data
            )
            done = ["added"]
        elif action == "roles" and roles_form.is_valid():
            done = settings_services.job_role_families_set(
                organisation=org, by=viewer.employee, families=roles_form.families()
            )
    except ValidationError as exc:
        form = {"default": default_form, "add_family": family_form, "roles": roles_form}[action]
        add_service_errors(form, exc)
    if done is not None:
        saved_message(request, done)
        return redirect("organisations:settings_cadence")
    if action is not None and action not in ("default", "add_family", "roles"):
        messages.error(request, "Choose what to save.")
    errors = next((f for f in (default_form, family_form, roles_form) if f.is_bound and f.errors), None)
    return render(
        request,
        "organisations/settings/cadence.html",
        {
            "organisation": org,
            "default_form": default_form,
            "family_form": family_form,
            "roles_form": roles_form,
            "families": families,
            "error_form": errors,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def settings_family(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    # Another organisation's family is not found, before the role is checked.
    family = get_for_viewer(in_organisation(JobFamily, viewer), viewer, pk=pk)
    require_admin(viewer)
    if request.method == "POST":
        form = JobFamilyForm(request.POST)
        if form.is_valid():
            try:
                changes = settings_services.job_family_update(
                    family=family, by=viewer.employee, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved_message(request, changes)
                return redirect("organisations:settings_cadence")
    else:
        form = JobFamilyForm(
            initial={"name": family.name, "feedback_interval_days": family.feedback_interval_days}
        )
    return render(
        request,
        "organisations/settings/family.html",
        {"form": form, "family": family, "in_use": settings_services.job_family_in_use(family)},
    )


@require_POST
@viewer_required
def settings_family_delete(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    # Another organisation's family is not found, before the role is checked.
    family = get_for_viewer(in_organisation(JobFamily, viewer), viewer, pk=pk)
    require_admin(viewer)
    try:
        settings_services.job_family_delete(family=family, by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Job family {family.name} deleted.")
    return redirect("organisations:settings_cadence")
