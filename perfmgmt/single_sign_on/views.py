"""Single sign-on's two steps: send the person to their organisation's identity
provider, and take them back. Both are mozilla-django-oidc's views, told the
organisation's endpoints and client instead of reading global settings; the
library keeps the state, nonce and PKCE verifier in the session and checks them.

A refusal goes back to the sign-in page with its message, and is recorded as a
failed sign-in the way a wrong password is (the ``user_login_failed`` signal:
django-axes's records and the audit log), under the person's user name when
known, else what the provider called them."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlparse

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.client_ip import client_ip
from core.redirects import next_or
from organisations.selectors.single_sign_on import organisation_with_sso
from perfmgmt.single_sign_on import messages
from perfmgmt.single_sign_on.backends import Refused, SignInAttempt, library_setting
from perfmgmt.single_sign_on.provider import ProviderUnavailable, discover

audit = logging.getLogger("perfmgmt.audit")
log = logging.getLogger(__name__)

# The sign-in page shows (and forgets) the message left here.
REFUSAL_KEY = "sso_refusal"


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    request.session[REFUSAL_KEY] = message
    return redirect("login")


class SsoStart(OIDCAuthenticationRequestView):
    """``/accounts/sso/<slug>/``: to the organisation's identity provider."""

    get_settings = staticmethod(library_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's would read global settings

    def get(self, request, slug: str):
        if request.user.is_authenticated:
            return redirect(next_or(request, "/"))
        found = organisation_with_sso(slug)
        if found is None:
            raise Http404("No single sign-on for this organisation")
        organisation, settings = found
        try:
            provider = discover(settings.issuer)
        except ProviderUnavailable as exc:
            log.warning("single sign-on: %s: %s", organisation.slug, exc)
            return refuse(request, messages.unavailable(organisation))
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.client_id
        response = super().get(request)
        # The callback learns whose provider answered from the state it returns.
        state = parse_qs(urlparse(response["Location"]).query)["state"][0]
        request.session["oidc_states"][state]["organisation"] = organisation.slug
        request.session.modified = True
        return response


class SsoCallback(OIDCAuthenticationCallbackView):
    """``/accounts/oidc/callback/``: the redirect URI registered with every provider."""

    get_settings = staticmethod(library_setting)

    def get(self, request):
        states = request.session.get("oidc_states")
        entry = states.get(request.GET.get("state", "")) if isinstance(states, dict) else None
        found = organisation_with_sso(entry.get("organisation", "")) if isinstance(entry, dict) else None
        if found is None:
            if request.user.is_authenticated and "code" not in request.GET:
                return redirect("home")
            return refuse(request, messages.expired())
        organisation, settings = found
        try:
            provider = discover(settings.issuer)
        except ProviderUnavailable as exc:
            log.warning("single sign-on: %s: %s", organisation.slug, exc)
            return refuse(request, messages.unavailable(organisation))
        request.sso_attempt = SignInAttempt(organisation, settings, provider)
        try:
            return super().get(request)
        except Refused as refusal:
            return self._record_refusal(refusal)
        except SuspiciousOperation as exc:
            log.warning("single sign-on: %s: %s", organisation.slug, exc)
            return refuse(request, messages.expired())

    def _record_refusal(self, refusal: Refused) -> HttpResponse:
        request = self.request
        organisation = request.sso_attempt.organisation
        audit.warning(
            "single-sign-on refused organisation=%s user=%s reason=%s ip=%s",
            organisation.slug,
            refusal.username,
            refusal.reason,
            client_ip(request) or "-",
        )
        user_login_failed.send(sender=__name__, credentials={"username": refusal.username}, request=request)
        return refuse(request, refusal.message)

    def login_failure(self):
        organisation = self.request.sso_attempt.organisation
        if self.request.GET.get("error"):
            log.info(
                "single sign-on: %s: the provider answered %s",
                organisation.slug,
                self.request.GET.get("error")[:100],
            )
            return refuse(self.request, messages.cancelled(organisation))
        return refuse(self.request, messages.expired())
