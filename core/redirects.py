"""Where a "next" or "back" parameter may send someone: only to a path on this
site, never to ``//elsewhere`` or another scheme (an open redirect)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(target: str) -> str:
    """``target`` when it is a path on this site, else ``""``."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return ""


def next_or(request: HttpRequest, default: str) -> str:
    """The request's ``next`` (form field or query string) when it is a path on
    this site, else ``default``."""
    return local_path(request.POST.get("next") or request.GET.get("next") or "") or default
