"""The team dashboard: a line manager's direct reports at a glance."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from appraisals.selectors.supervision import compliance
from core import clock
from insights.selectors.flags import NEW_FLAG_DAYS, attention
from insights.selectors.team import drafts_to_finish, team_rows
from organisations.access import Viewer, require, viewer_required


@require_GET
@viewer_required
def team_dashboard(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_manager, "The team dashboard is for people with direct reports.")
    today = clock.today()
    rows = team_rows(viewer, today=today)
    in_date, total, percent = compliance({r.employee.pk: r.cadence for r in rows})
    overdue = sorted((r for r in rows if r.cadence.overdue), key=lambda r: -r.cadence.days_overdue)
    return render(
        request,
        "insights/team_dashboard.html",
        {
            "rows": rows,
            "in_date": in_date,
            "total": total,
            "percent": round(percent),
            "overdue": overdue,
            "drafts": list(drafts_to_finish(viewer)[:20]),
            "attention": attention(viewer, new_since=clock.now() - timedelta(days=NEW_FLAG_DAYS)),
            "new_flag_days": NEW_FLAG_DAYS,
            "today": today,
        },
    )
