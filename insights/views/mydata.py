"""My data: download everything held about me."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from insights.selectors.mydata import as_csv, as_json, personal_data
from organisations.access import Viewer, viewer_required


@require_GET
@viewer_required
def my_data(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    fmt = request.GET.get("format")
    if fmt in ("json", "csv"):
        data = personal_data(viewer.employee)
        body = as_json(data) if fmt == "json" else as_csv(data)
        response = HttpResponse(
            body, content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{viewer.employee.pk}.{fmt}"'
        return response
    return render(request, "insights/my_data.html", {"me": viewer.employee})
