"""Settings: an organisation administrator's API tokens (create, list, revoke).

The secret is shown once, in the response to the POST that creates it, and is
never stored (only its hash is): there is no page that shows it again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from api.forms.tokens import ApiTokenForm
from api.models import ApiToken
from api.rules import tokens as token_rules
from api.selectors.tokens import tokens_for_page
from api.services.tokens import api_token_create, api_token_revoke
from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, require, viewer_required

ADMIN_ONLY = "Only an organisation administrator can manage API tokens."


@require_GET
@viewer_required
def token_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Queries, after sign-in and the viewer: the tokens with their creators 1."""
    require(viewer.is_organisation_admin, ADMIN_ONLY)
    return render(
        request,
        "api/tokens.html",
        {"tokens": list(tokens_for_page(viewer)), "scopes": token_rules.SCOPES},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def token_create(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_organisation_admin, ADMIN_ONLY)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = api_token_create(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], by=viewer.employee
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request,
                "api/token_created.html",
                {"token": created.token, "secret": created.secret, "scopes": token_rules.SCOPES},
            )
    return render(request, "api/token_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@viewer_required
def token_revoke(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes. Another organisation's token is a 404."""
    token = get_for_viewer(ApiToken, viewer, pk=pk)
    require(viewer.is_organisation_admin, ADMIN_ONLY)
    if request.method == "POST":
        if not token.is_revoked:
            api_token_revoke(token=token, by=viewer.employee)
            messages.success(request, f"Token revoked: {token.name}. It is refused from now on.")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
