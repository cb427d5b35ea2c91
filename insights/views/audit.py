"""History page: who changed what and when, with field-level differences."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.redirects import local_path
from insights.selectors.audit import audited_object, changes
from organisations.access import Viewer, viewer_required


@require_GET
@viewer_required
def history(request: HttpRequest, viewer: Viewer, model_label: str, pk: int) -> HttpResponse:
    audited, obj = audited_object(viewer, model_label, pk)
    if not audited.can_view(viewer, obj):
        raise PermissionDenied("You cannot see the history of this record.")
    return render(
        request,
        "insights/history.html",
        {
            "object": obj,
            "title": audited.title(obj),
            "kind": type(obj)._meta.verbose_name,
            "changes": changes(obj, audited, viewer=viewer),
            "back": local_path(request.GET.get("back", "")),
        },
    )
