"""Without a task queue (the embedded default), a save's recompute runs after its
response is sent, and a burst of saves is one run.

These tests use real transactions (the work runs on another thread, with its own
database connection, so it must see committed data) and real requests through
Django's test client, whose handler sends ``request_finished`` as a WSGI server
does once the response has gone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from core import after_response, clock
from insights.models import Flag, Run
from insights.services.recompute import run_recompute
from organisations.rules import years as year_rules
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPITargetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def after_responses(settings):
    settings.WORK_AFTER_RESPONSE = True
    yield
    assert after_response.wait(30), "the deferred work did not finish"


def _month(back: int) -> date:
    end = year_rules.period_end_for(clock.today(), year_rules.MONTHLY)
    for _ in range(back):
        end = year_rules.previous_period_end(end, year_rules.MONTHLY)
    return end


@pytest.fixture
def kpi(world):
    """A monthly KPI with a target of 90% in each year of the last three months: 40 is red."""
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01", name="Prevented")
    for year in {year_rules.financial_year_start(_month(back)) for back in (1, 2, 3)}:
        KPITargetFactory(kpi=kpi, financial_year=year, target=D("90"))
    return kpi


def _red(client, kpi, back: int):
    url = reverse("organisations:kpi_result_record", args=[kpi.pk])
    data = {"period": _month(back).isoformat(), "value": "40", "corrective_action": "Recovery plan agreed."}
    return client.post(url, data)


def test_the_save_returns_before_its_recompute_which_follows_it(world, kpi, after_responses):
    run_recompute(world.org, trigger="command")  # the figures an incremental run builds on
    runs = Run.objects.count()
    client = client_for(world.officer)
    response = _red(client, kpi, 1)
    assert response.status_code == 302
    # Work may have started by now (the response has gone); wait for it.
    assert after_response.wait(30)
    new = list(Run.objects.order_by("pk")[runs:])
    assert [r.trigger for r in new] == ["data change"]
    assert new[0].counts["incremental"]


def test_a_burst_of_saves_is_one_run(world, kpi, after_responses, settings):
    run_recompute(world.org, trigger="command")
    runs = Run.objects.count()
    client = client_for(world.officer)
    # A quiet spell longer than the test's requests take: the three saves are one burst.
    settings.WORK_AFTER_RESPONSE = True
    after_response.QUIET_SECONDS, quiet = 2.0, after_response.QUIET_SECONDS
    try:
        for back in (1, 2, 3):
            assert _red(client, kpi, back).status_code == 302
        assert Run.objects.count() == runs, "a run started inside the burst"
        assert after_response.wait(30)
    finally:
        after_response.QUIET_SECONDS = quiet
    new = list(Run.objects.order_by("pk")[runs:])
    assert len(new) == 1 and new[0].counts["incremental"]
    # Three red months in a row: the KPI's flag is open, from that one run.
    assert Flag.objects.filter(
        organisation=world.org, kind="kpi_red", subject_id=kpi.pk, resolved_at=None
    ).exists()


def test_outside_a_request_the_work_is_done_at_once(world, kpi, settings):
    settings.WORK_AFTER_RESPONSE = True
    from organisations.services.kpis import kpi_result_record

    runs = Run.objects.count()
    kpi_result_record(
        kpi=kpi,
        period_end=_month(1),
        value=D("40"),
        corrective_action="Recovery plan agreed.",
    )
    assert Run.objects.count() == runs + 1
