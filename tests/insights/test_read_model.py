"""The pages that add up whole services read the figures the last run stored for
each service (``ServiceFigures``, a read model). Each renders the same page from
those as from counting everything itself (no stored figures), after a full run
and after edits and their incremental run."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import FeedbackSession
from insights.models import ServiceFigures
from insights.services.recompute import run_recompute
from insights.services.scope import Scope
from organisations.models import Employee, Organisation, Service
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _pages(org) -> list[tuple[str, str]]:
    director = Employee.objects.get(user__username="demo-director")
    root = Service.objects.get(organisation=org, parent=None)
    return [
        ("demo-officer", reverse("insights:service_dashboard", args=[root.pk])),
        ("demo-director", reverse("insights:service_dashboard", args=[director.headed_services.first().pk])),
        ("demo-officer", reverse("insights:org_overview")),
        ("demo-officer", reverse("insights:quarterly_report")),
    ]


def _render(org) -> dict[str, str]:
    out = {}
    for username, url in _pages(org):
        client = client_for(Employee.objects.get(user__username=username))
        response = client.get(url)
        assert response.status_code == 200, url
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        out[url] = html
    return out


def _compare(org):
    stored = _render(org)
    with CaptureQueriesContext(connection) as reads:
        _render(org)
    assert any("insights_servicefigures" in q["sql"] for q in reads.captured_queries)
    ServiceFigures.objects.filter(organisation=org).delete()
    counted = _render(org)
    for url in stored:
        assert stored[url] == counted[url], url


def test_pages_read_the_stored_figures_and_show_what_counting_shows():
    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    # Many people overdue a session across many services: the most overdue 25 come
    # from the services' stored candidates, and must be the same 25.
    people = (
        Employee.objects.filter(organisation=org, active=True).order_by("pk").values_list("pk", flat=True)
    )
    FeedbackSession.objects.filter(employee_id__in=list(people)[::2]).delete()
    run_recompute(org, trigger="command")
    _compare(org)


def test_after_an_incremental_run_too():
    from decimal import Decimal

    from organisations.models import KPI
    from organisations.services.kpis import kpi_result_record

    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    run_recompute(org, trigger="command")
    # A KPI turns red (its service's KPI figures change) and a person changes contract.
    kpi = KPI.objects.filter(organisation=org, active=True, results__isnull=False).order_by("pk").first()
    latest = kpi.results.order_by("-period_end").first()
    kpi_result_record(
        kpi=kpi,
        period_end=latest.period_end,
        value=Decimal("1"),
        corrective_action="Plan.",
        commentary="Low.",
    )
    person = (
        Employee.objects.filter(organisation=org, active=True, service__kind="team").order_by("pk").first()
    )
    Employee.objects.filter(pk=person.pk).update(employment_type="agency", fte=Decimal("0.5"))
    from core.queueing import request_recompute

    request_recompute(org.pk, employees=[person.pk])
    run = run_recompute(org, trigger="data change", scope=Scope())
    assert run.counts["incremental"]
    _compare(org)
