"""Pages every deployment has: health, statements, sign-in."""

import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..forms import GdsPasswordChangeForm, SignInForm

log = logging.getLogger(__name__)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception:  # the point is to report, not to raise
        log.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True
    http_method_names = ["get", "post"]


class PasswordChange(auth_views.PasswordChangeView):
    form_class = GdsPasswordChangeForm
    http_method_names = ["get", "post"]
