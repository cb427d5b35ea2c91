""" "Waiting for you": the signed-in person's notifications, opening one (it is
then read), marking them all as read, and their notification settings.

A notification is its recipient's alone: each view reads through
``visible_to``, so another person's notification, in this organisation or
another, is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.form_errors import add_service_errors
from core.redirects import local_path
from organisations.access import Viewer, viewer_required, visible
from organisations.forms.notifications import NotificationPreferencesForm
from organisations.models.notifications import Notification
from organisations.rules import notifications as rules
from organisations.selectors.notifications import channels_of, waiting_for
from organisations.services.notification_reads import (
    notification_open,
    notification_preferences_save,
    notifications_mark_all_read,
)


@require_http_methods(["GET"])
@viewer_required
def notification_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    # Queries: session, user, viewer (with the unread count), services, the
    # navigation's "has direct reports", the page's count and its rows.
    page = Paginator(waiting_for(viewer), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/notifications/list.html",
        {"page_obj": page, "unread": viewer.waiting_count},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def notification_open_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """Mark it read and go to what it is about (a link from the list, or a button)."""
    notification = get_object_or_404(visible(Notification, viewer), pk=pk)
    notification_open(notification=notification, by=viewer.employee)
    return redirect(local_path(notification.url) or "organisations:notifications")


@require_POST
@viewer_required
def notifications_read_all(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    marked = notifications_mark_all_read(by=viewer.employee)
    if marked:
        messages.success(request, f"{marked} marked as read." if marked != 1 else "1 marked as read.")
    return redirect("organisations:notifications")


@require_http_methods(["GET", "POST"])
@viewer_required
def notification_settings(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            try:
                changed = notification_preferences_save(by=viewer.employee, channels=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Notification settings saved."
                    if changed
                    else "Nothing changed: your settings are as they were.",
                )
                return redirect("organisations:notification_settings")
    else:
        form = NotificationPreferencesForm(initial=channels_of(viewer.employee))
    return render(request, "organisations/notifications/settings.html", {"form": form})
