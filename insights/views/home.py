"""``/``: each person's home, by role: a redirect to their own dashboard, so
every dashboard keeps its own address."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from insights.views.common import home_url
from organisations.access import Viewer, viewer_required


@require_GET
@viewer_required
def home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return redirect(home_url(viewer))
