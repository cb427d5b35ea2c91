"""``/public/<organisation-slug>/``: an organisation's published KPIs, open to
anyone without signing in. Nothing about people appears here: no names, no
owners, no flags, no corrective actions (which name who does what)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core import clock
from insights import selectors
from organisations.models import Organisation
from organisations.selectors.kpis import kpi_scorecard, status_counts


@login_not_required
@require_GET
def public_performance(request: HttpRequest, slug: str) -> HttpResponse:
    """Queries: organisation 1, scorecard 3, trends 2."""
    organisation = get_object_or_404(Organisation, slug=slug)
    today = clock.today()
    rows = kpi_scorecard(
        selectors.public_kpis(organisation),
        today=today,
    )
    trends = selectors.kpi_trends([r.kpi for r in rows], today)
    return render(
        request,
        "insights/public_performance.html",
        {
            "organisation": organisation,
            "rows": [(r, trends.get(r.kpi.pk, [])) for r in rows],
            "status_counts": status_counts(rows),
            # A public page: no navigation and no one's organisation but this one's.
            "viewer": None,
            "nav_items": [],
            "service_title": organisation.name,
        },
    )
