"""``/public/<organisation-slug>/``: an organisation's published KPIs, open to
anyone without signing in. Nothing about people appears here: no names, no
owners, no flags, no corrective actions (which name who does what), and of the
commentary only what was written for the public.

The page is a summary, short whatever the number of measures: for each
organisation priority, its headline measure (with a chart), how many of each
service's measures are on target, close to it, off target, for monitoring only
or with no result yet (in words and figures, never colour alone), and the
measures off target with their latest figure. Each service has its own page
(``/public/<organisation-slug>/services/<id>/``), one link away, with every
measure's figure, definition, public commentary and results over time.

Both pages are gzip-compressed when the browser accepts it: they are the same
for everyone, carry no CSRF token, session data or anything secret, so
compression cannot leak a secret through the response's length (BREACH). The
signed-in pages are not compressed (see ``docs/ARCHITECTURE.md``)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core import clock
from core.db_router import replica_reads
from insights import selectors
from organisations.models import Organisation, Service
from organisations.selectors.kpis import kpi_scorecard, status_counts

_gzip = GZipMiddleware(get_response=lambda request: None)


def compress_if_anonymous(view):
    """Gzip the view's response (when the browser accepts gzip; Django's
    ``GZipMiddleware``, as ``gzip_page`` does) only for a reader who is not
    signed in and only if the page carries no CSRF token.

    Compressing a page that reflects what the request sent next to a secret
    (a CSRF token, anything personal) lets an attacker guess the secret from the
    compressed length (BREACH). The public pages hold nothing secret and are the
    same for every anonymous reader; a signed-in reader's copy has the sign-out
    form's CSRF token in its header, so it is sent uncompressed, like every other
    signed-in page. The static files (CSS, JavaScript) are compressed ahead of
    time by WhiteNoise instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated or b"csrfmiddlewaretoken" in getattr(response, "content", b""):
            return response
        return _gzip.process_response(request, response)

    return wrapper


# An organisation that does not publish (its administrators turned the public page
# off in the settings area) has no public pages: they are not found.


def _public_context(organisation: Organisation) -> dict:
    # A public page: no navigation and no one's organisation but this one's.
    return {"organisation": organisation, "viewer": None, "nav_items": [], "service_title": organisation.name}


@login_not_required
@compress_if_anonymous
@require_GET
@replica_reads
def public_performance(request: HttpRequest, slug: str) -> HttpResponse:
    """Queries: organisation 1, scorecard 3 (figures only: this page shows no
    commentary), the shared goals 1 (priorities), the headline measures' trends
    2 (none when no priority has a headline measure)."""
    organisation = get_object_or_404(Organisation, slug=slug, public_page_enabled=True)
    today = clock.today()
    rows = kpi_scorecard(
        selectors.public_kpis(organisation), today=today, figures_only=True, published_only=True
    )
    groups = selectors.measures_by_priority(organisation, rows)
    trends = selectors.kpi_trends([g.headline.kpi for g in groups if g.headline], today)
    for group in groups:
        if group.headline:
            group.headline_trend = trends.get(group.headline.kpi.pk, [])
        # The summary: counts by status for each service, and the measures off target.
        for service in group.services:
            service.status_counts = status_counts(service.rows)
        group.off_target = [row for row in group.rows if row.status == "red"]
    return render(
        request,
        "insights/public_performance.html",
        {
            **_public_context(organisation),
            "total": len(rows),
            "groups": groups,
            "by_priority": any(g.anchor != "unlinked-measures" for g in groups),
            "status_counts": status_counts(rows),
        },
    )


@login_not_required
@compress_if_anonymous
@require_GET
@replica_reads
def public_service(request: HttpRequest, slug: str, service_pk: int) -> HttpResponse:
    """One service's published measures in full. A service of another
    organisation, or one that publishes nothing, is not found.

    Queries: organisation 1, service 1, scorecard 4 (with the latest results in
    full, for their public commentary), trends 2."""
    organisation = get_object_or_404(Organisation, slug=slug, public_page_enabled=True)
    service = get_object_or_404(Service, organisation=organisation, pk=service_pk)
    today = clock.today()
    rows = kpi_scorecard(
        selectors.public_kpis(organisation).filter(service=service), today=today, published_only=True
    )
    if not rows:
        raise Http404("This service publishes no measures.")
    trends = selectors.kpi_trends([r.kpi for r in rows], today)
    return render(
        request,
        "insights/public_service.html",
        {
            **_public_context(organisation),
            "service": service,
            "rows": [(r, trends.get(r.kpi.pk, [])) for r in rows],
            "status_counts": status_counts(rows),
        },
    )
