"""Middleware for every page: security headers Django does not set itself, and
a plain-words notice when a change was saved but what follows from it (emails,
flag updates) waits for the task queue to come back."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from core.outbox import delivery_delayed

# Only the app's own scripts and styles: no inline script, no third party.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A NUL character is never meaningful in a query string, and PostgreSQL
        # refuses it in a query: answer 400 rather than fail later with a 500.
        if "%00" in request.META.get("QUERY_STRING", "") and any(
            "\x00" in value for _, values in request.GET.lists() for value in values
        ):
            return HttpResponseBadRequest("The address contains a character that is not allowed.")
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages about people must not sit in shared caches or the back button of a
            # shared computer.
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response


DELAYED_NOTICE = (
    "Your change has been saved. Email notifications and flag updates are delayed: "
    "they will be sent automatically when the background service is available again."
)


class OutboxNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = delivery_delayed.set(False)
        try:
            response = self.get_response(request)
            if delivery_delayed.get() and hasattr(request, "_messages"):
                messages.warning(request, DELAYED_NOTICE)
        finally:
            delivery_delayed.reset(token)
        return response
