"""Pages every deployment has: health, statements, sign-in."""

import contextlib
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.health import background_health
from organisations.access import get_viewer
from organisations.models import Organisation
from organisations.selectors.single_sign_on import organisations_with_sso
from perfmgmt.forms import GdsPasswordChangeForm, SignInForm
from perfmgmt.single_sign_on.views import REFUSAL_KEY

log = logging.getLogger(__name__)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers and uptime checks.
    Served over plain HTTP too (SECURE_REDIRECT_EXEMPT). With ``?deep=1``, for
    monitoring: whether a background worker has been seen lately and whether
    queued work is late, in words; 503 when not. Nothing secret: no host names,
    versions or error text."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # the point is to report, not to raise
        log.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    body = {"status": "ok", "database": "ok"}
    if request.GET.get("deep"):
        background = background_health()
        body["background"] = "ok" if background.ok else " ".join(background.problems)
        if not background.ok:
            body["status"] = "error"
            return JsonResponse(body, status=503)
    return JsonResponse(body)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """Public; signed in, it gives the reader's own organisation's retention period."""
    organisation = None
    if request.user.is_authenticated:
        with contextlib.suppress(PermissionDenied):  # signed in without a staff record
            organisation = get_viewer(request).organisation
    return render(
        request,
        "privacy.html",
        {
            "organisation": organisation,
            "retention_years": organisation.session_retention_years
            if organisation
            else Organisation._meta.get_field("session_retention_years").default,
            "sign_in_days": settings.SIGN_IN_LOG_RETENTION_DAYS,
        },
    )


class SignInView(auth_views.LoginView):
    """Username and password, and a button for each organisation that signs in
    through its identity provider (perfmgmt/single_sign_on/), whose refusals come
    back here to be shown."""

    form_class = SignInForm
    redirect_authenticated_user = True
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_organisations"] = [organisation for organisation, _ in organisations_with_sso()]
        context["sso_refusal"] = self.request.session.pop(REFUSAL_KEY, "")
        return context


class PasswordChange(auth_views.PasswordChangeView):
    form_class = GdsPasswordChangeForm
    http_method_names = ["get", "post"]
