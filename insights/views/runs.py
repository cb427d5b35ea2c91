"""Run history, and "run now" for performance officers."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.health import background_health
from core.queueing import recompute_key
from insights import tasks
from insights.models import Run
from insights.services.recompute import last_run, runs_reap_interrupted
from organisations.access import Viewer, require, viewer_required, visible

log = logging.getLogger(__name__)


@require_GET
@viewer_required
def run_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Queries beyond the viewer's: a count, a page of runs with who asked, the last success;
    the runs left running whose worker may have died; the worker heartbeat and late requests."""
    require(
        viewer.sees_whole_organisation, "Only performance officers and the chief executive see run history."
    )
    runs_reap_interrupted(organisation_id=viewer.organisation.pk)
    runs = visible(Run, viewer).select_related("requested_by").order_by("-started_at")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/run_list.html",
        {
            "page_obj": page,
            "run": last_run(viewer.organisation),
            "can_run": viewer.is_performance_officer,
            "failed_at": viewer.organisation.recompute_failed_at,
            "background": background_health(key_prefix=recompute_key(viewer.organisation.pk)),
        },
    )


@require_POST
@viewer_required
def run_now(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_performance_officer, "Only performance officers can start a run.")
    try:
        queued = tasks.queue_recompute(
            viewer.organisation.pk, trigger="manual", requested_by_id=viewer.employee.pk
        )
    except Exception:
        # Broker unreachable, or (without a broker, run in-process) the run failed: the
        # run history records a failed run's error.
        log.exception("run now failed for %s", viewer.organisation)
        messages.error(
            request, "The run could not be started or did not finish. See the run history for the error."
        )
        return redirect("insights:run_list")
    if queued:
        messages.success(
            request, "A recompute has been queued. It appears below when it starts; refresh to see it finish."
        )
    else:
        messages.info(request, "A recompute is already queued; it will include every change made so far.")
    return redirect("insights:run_list")
