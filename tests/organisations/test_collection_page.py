"""The collection page: a period's KPIs by where their result stands, by service,
the sign-off queue (bulk sign-off) and returning a result with a reason."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import KPI, AuditEvent, KPIResult, Notification, ResultState
from tests.conftest import client_for
from tests.insights.test_dashboards import text
from tests.organisations.factories import KPIFactory, KPIResultFactory

D = Decimal
SEP = date(2026, 9, 30)  # due 30 October
URL = reverse("organisations:kpi_collection")

pytestmark = pytest.mark.usefixtures("on_20_november")


@pytest.fixture
def on_20_november():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def period(world):
    """Five monthly KPIs for September: late, returned, awaiting sign-off (two) and signed off."""

    def kpi(code, service=None, owner=None):
        return KPIFactory(
            organisation=world.org, service=service or world.service, code=code, owner=owner or world.staff
        )

    made = {c: kpi(c) for c in ("LATE", "RET", "SUB1", "OK")}
    made["SUB2"] = kpi("SUB2", service=world.team, owner=world.peer)
    KPIResultFactory(kpi=made["RET"], period_end=SEP, state="returned", return_reason="Wrong month counted.")
    KPIResultFactory(kpi=made["SUB1"], period_end=SEP, state="submitted", value=D("91.5"))
    KPIResultFactory(kpi=made["SUB2"], period_end=SEP, state="submitted")
    KPIResultFactory(kpi=made["OK"], period_end=SEP)
    return made


def test_the_page_counts_and_lists_each_kpi_by_where_it_stands(world, period):
    response = client_for(world.officer).get(URL)  # opens on September: due by now
    assert response.context["period_end"] == SEP
    page = text(response)
    assert "Results for Sep 2026: due and sign-off" in page
    counts = response.context["data"].counts
    assert counts == {"late": 1, "returned": 1, "not_due": 0, "submitted": 2, "validated": 1}
    assert "Wrong month counted." in page and "21 days late" in page
    # Filters: one standing, one service.
    only = client_for(world.officer).get(URL, {"period": "2026-09-30", "show": "late"}).context["data"]
    assert [r.kpi.code for g in only.shown for r in g.rows] == ["LATE"]
    team = client_for(world.officer).get(URL, {"period": "2026-09-30", "service": world.team.pk})
    assert [r.kpi.code for r in team.context["data"].rows] == ["SUB2"]
    # October is not due until 30 November.
    october = client_for(world.officer).get(URL, {"period": "2026-10-31"}).context["data"]
    assert october.counts["not_due"] == 5


def test_the_queue_signs_off_the_ticked_results(world, period):
    client = client_for(world.officer)
    queue = client.get(URL, {"period": "2026-09-30"}).context["data"].queue
    assert {r.kpi.code for r in queue} == {"SUB1", "SUB2"}
    chosen = next(r.result.pk for r in queue if r.kpi.code == "SUB1")
    response = client.post(URL, {"period": "2026-09-30", "result": [chosen]})
    assert response.status_code == 302 and "period=2026-09-30" in response["Location"]
    assert KPIResult.objects.get(pk=chosen).state == ResultState.VALIDATED
    assert AuditEvent.objects.filter(kind="result_validated", subject_name="SUB1 Sep 2026").count() == 1
    # Nothing ticked: the error summary and the error by the checkboxes.
    response = client.post(URL, {"period": "2026-09-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_result_1"' in html and 'id="id_result_1"' in html
    assert "govuk-error-message" in html


def test_heads_sign_off_where_the_organisation_chose_heads(world, period):
    assert client_for(world.service_head).post(URL, {"period": "2026-09-30"}).status_code == 403
    world.org.results_validated_by = "head"
    world.org.save()
    response = client_for(world.service_head).get(URL, {"period": "2026-09-30"})
    assert {r.kpi.code for r in response.context["data"].queue} == {"SUB1", "SUB2"}
    # The team manager heads the team only, and owns nothing: SUB2 alone.
    response = client_for(world.manager).get(URL, {"period": "2026-09-30"})
    assert {r.kpi.code for r in response.context["data"].queue} == {"SUB2"}


def test_returning_a_result_needs_a_reason_and_tells_its_owner(world, period):
    result = KPIResult.objects.get(kpi=period["SUB1"])
    url = reverse("organisations:kpi_result_return", args=[result.pk])
    client = client_for(world.officer)
    page = client.get(url)
    assert "Return SUB1 Sep 2026 to its owner" in text(page)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Enter why you are returning the result." in text(response)
    response = client.post(url, {"reason": "Check the case count.", "next": f"{URL}?period=2026-09-30"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?period=2026-09-30"
    result.refresh_from_db()
    assert result.state == ResultState.RETURNED and result.returned_by == world.officer
    assert Notification.objects.filter(recipient=world.staff, kind="result_returned").count() == 1
    assert client_for(world.service_head).get(url).status_code == 403


def make_kpis(world, start, count):
    kpis = KPI.objects.bulk_create(
        KPI(
            organisation=world.org,
            service=world.service if i % 2 else world.team,
            code=f"Q-{i:04d}",
            name=f"Indicator {i}",
            owner=world.staff if i % 3 == 0 else None,
        )
        for i in range(start, start + count)
    )
    KPIResult.objects.bulk_create(
        KPIResult(
            kpi=k,
            period_end=SEP,
            value=D("90"),
            state=("submitted", "validated", "returned")[i % 3],
            submitted_by=world.staff,
        )
        for i, k in enumerate(kpis)
        if i % 4
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"period": "2026-09-30"})
    assert response.status_code == 200
    return len(ctx)


def test_query_count_is_the_same_at_10_and_200_kpis(world):
    client = client_for(world.officer)
    make_kpis(world, 0, 10)
    small = count_queries(client, URL)
    make_kpis(world, 10, 190)
    large = count_queries(client, URL)
    assert small == large <= 12
