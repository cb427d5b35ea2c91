"""``/``: each person's home, by role."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisations.access import ROLE_LABELS, Viewer, viewer_required


@require_GET
@viewer_required
def home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return render(
        request,
        "insights/home.html",
        {"roles": [ROLE_LABELS[r] for r in viewer.roles], "me": viewer.employee},
    )
