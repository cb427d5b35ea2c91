"""The KPI flag rules: kpi_red, kpi_worsening, kpi_data_missing.

The pure functions on hand-built series, then ``candidates`` on a small database
and through a whole recompute run.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.models import Flag, FlagKind
from insights.rules import kpis as rules
from insights.rules import thresholds as t
from insights.services.recompute import RunContext, run_recompute
from organisations.models import KPI, KPIResult
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal
R, A, G, GREY = kpi_rules.RED, kpi_rules.AMBER, kpi_rules.GREEN, kpi_rules.GREY


def series(*points):
    """Newest first; each point (value, status) or None for a period without a result."""
    end = date(2026, 9, 30)
    out = []
    for p in points:
        value, status = (None, None) if p is None else p
        out.append(
            rules.PeriodResult(period_end=end, value=None if value is None else D(str(value)), status=status)
        )
        end = year_rules.previous_period_end(end, year_rules.MONTHLY)
    return out


# --- kpi_red -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "run", "severity"),
    [
        ([(80, R)], 1, "medium"),
        ([(80, R), (90, G)], 1, "medium"),
        ([(80, R), (82, R)], 2, "high"),
        ([(80, R), (82, R), (84, R), (95, G)], 3, "high"),
        ([(80, R), None, (82, R)], 1, "medium"),  # a gap: not red two periods running
        ([(88, A), (80, R)], 0, None),  # red before, not now
        ([(95, G)], 0, None),
        ([(5, GREY)], 0, None),
        ([], 0, None),
    ],
)
def test_kpi_red(points, run, severity):
    s = series(*points)
    assert rules.red_run(s) == run
    assert rules.kpi_red_severity(s) == severity


def test_kpi_red_threshold_is_the_configured_one():
    assert t.KPI_RED_HIGH_AFTER_PERIODS == 2


# --- kpi_worsening -------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "polarity", "run", "severity"),
    [
        # higher is better: each lower than the one before
        ([(84, A), (86, A), (88, G), (90, G)], kpi_rules.HIGHER, 3, "medium"),  # amber now
        ([(80, R), (86, A), (88, G), (90, G)], kpi_rules.HIGHER, 3, None),  # red now: kpi_red says so
        ([(91, G), (92, G), (93, G), (94, G)], kpi_rules.HIGHER, 3, None),  # green: still meets its target
        ([(84, A), (86, A), (88, G), (90, G), (91, G)], kpi_rules.HIGHER, 4, "medium"),
        ([(84, A), (86, A), (88, G)], kpi_rules.HIGHER, 2, None),  # only two periods running
        ([(84, A), (86, A), (86, A), (90, G)], kpi_rules.HIGHER, 1, None),  # no change breaks it
        ([(84, A), (86, A), None, (90, G)], kpi_rules.HIGHER, 1, None),  # a gap breaks it
        ([(90, G), (88, G), (86, A), (84, A)], kpi_rules.HIGHER, 0, None),  # improving
        # lower is better (re-let days): each higher than the one before
        ([(35, A), (31, A), (28, G), (27, G)], kpi_rules.LOWER, 3, "medium"),
        ([(40, R), (35, A), (31, A), (28, G)], kpi_rules.LOWER, 3, None),  # red now
        ([(28, G), (31, A), (35, A), (40, R)], kpi_rules.LOWER, 0, None),
        # no target this year (grey), with a direction: worsening is all there is to say
        ([(70, GREY), (75, GREY), (80, GREY), (85, GREY)], kpi_rules.HIGHER, 3, "medium"),
        # monitoring only: increasing is not worse
        ([(400, GREY), (390, GREY), (380, GREY), (370, GREY)], kpi_rules.NONE, 0, None),
    ],
)
def test_kpi_worsening(points, polarity, run, severity):
    s = series(*points)
    assert rules.worsening_run(s, polarity) == run
    assert rules.kpi_worsening_severity(s, polarity) == severity


def test_kpi_worsening_threshold_is_the_configured_one():
    assert t.KPI_WORSENING_PERIODS == 3


# --- kpi_data_missing --------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "in_a_row", "severity"),
    [
        ([], 0, None),
        ([date(2026, 9, 30)], 1, "medium"),
        ([date(2026, 9, 30), date(2026, 8, 31)], 2, "high"),
        ([date(2026, 9, 30), date(2026, 8, 31), date(2026, 5, 31)], 2, "high"),
        ([date(2026, 5, 31)], 0, "low"),  # only an earlier gap in the year
    ],
)
def test_kpi_data_missing(missing, in_a_row, severity):
    assert rules.kpi_data_missing_severity(missing, in_a_row) == severity


# --- candidates on a small database -----------------------------------------

TODAY = date(2026, 11, 20)  # October's result (lag 30) is not due until 30 Nov; September's is


def month_end(year, month):
    return year_rules.period_end_for(date(year, month, 1), year_rules.MONTHLY)


def results(kpi, values, *, last=(2026, 9), action="Recovery plan"):
    """Monthly results ending ``last``, oldest first; None leaves a period out."""
    end = month_end(*last)
    ends = []
    for _ in values:
        ends.append(end)
        end = year_rules.previous_period_end(end, year_rules.MONTHLY)
    for end, value in zip(reversed(ends), values, strict=True):
        if value is not None:
            KPIResultFactory(kpi=kpi, period_end=end, value=D(str(value)), corrective_action=action)


@pytest.fixture
def kpis(world):
    """Four KPIs in Housing Options with a 2026/27 target of 90% (red below 85.5%)."""
    made = {}
    for code, story in [
        ("RED-2", [95, 95, 84, 80]),  # red two periods running: high kpi_red
        ("WORSE", [95, 93, 91, 89, 87.5]),  # worse four periods running, amber: medium kpi_worsening
        ("GAPPY", [95, 95, 95, None]),  # September missing past its lag: medium kpi_data_missing
        ("FINE", [88, 90, 92, 94]),  # improving and green: no flag
    ]:
        kpi = KPIFactory(organisation=world.org, service=world.service, code=code, name=f"KPI {code}")
        KPITargetFactory(kpi=kpi, financial_year=2026, target=D("90"))
        results(kpi, story)
        made[code] = kpi
    return made


def run_candidates(world):
    ctx = RunContext(organisation=world.org, today=TODAY, now=None)
    return ctx, rules.candidates(ctx)


def test_candidates(world, kpis):
    _, found = run_candidates(world)
    got = {(c.kind, c.subject_id): c for c in found}
    assert set(got) == {
        (FlagKind.KPI_RED, kpis["RED-2"].pk),
        (FlagKind.KPI_WORSENING, kpis["WORSE"].pk),
        (FlagKind.KPI_DATA_MISSING, kpis["GAPPY"].pk),
    }
    red = got[(FlagKind.KPI_RED, kpis["RED-2"].pk)]
    assert red.severity == "high" and red.subject_type == "kpi" and red.service_id == world.service.pk
    assert red.employee_id is None
    assert red.title == "RED-2 KPI RED-2 is red for 2 periods running"
    assert red.evidence["red_periods_running"] == 2
    assert red.evidence["target"] == "90.0000" and red.evidence["financial_year"] == "2026/27"
    assert [p["period"] for p in red.evidence["periods"]] == ["Sep 2026", "Aug 2026", "Jul 2026"]
    assert [p["status"] for p in red.evidence["periods"]] == ["red", "red", "green"]
    assert red.evidence["links"][0]["url"] == f"/kpis/{kpis['RED-2'].pk}/"
    worse = got[(FlagKind.KPI_WORSENING, kpis["WORSE"].pk)]
    assert worse.severity == "medium" and worse.evidence["worsening_periods_running"] == 4
    assert worse.evidence["periods"][0]["status"] == "amber"
    missing = got[(FlagKind.KPI_DATA_MISSING, kpis["GAPPY"].pk)]
    assert missing.severity == "medium"
    assert missing.evidence["missing_periods"] == ["2026-09-30"]
    assert missing.evidence["links"][-1]["url"].endswith("?period=2026-09-30")
    assert "no result for Sep 2026" in missing.title


def test_a_red_kpi_worsening_says_so_on_its_red_flag_only(world, kpis):
    # Red two periods running and worse three periods running: one flag, kpi_red.
    worse = KPIFactory(organisation=world.org, service=world.service, code="RW", name="Repairs")
    KPITargetFactory(kpi=worse, financial_year=2026, target=D("90"))
    results(worse, [95, 90, 84, 80])
    _, found = run_candidates(world)
    (red,) = [c for c in found if c.subject_id == worse.pk]
    assert (red.kind, red.severity) == (FlagKind.KPI_RED, "high")
    assert red.title == "RW Repairs is red for 2 periods running and worsening"
    assert red.evidence["worsening_periods_running"] == 3 and red.evidence["red_periods_running"] == 2
    # RED-2 has worsened two periods running only (95, 95, 84, 80): not "worsening".
    (red2,) = [c for c in found if c.subject_id == kpis["RED-2"].pk]
    assert red2.evidence["worsening_periods_running"] == 2 and "worsening" not in red2.title


def test_two_missing_periods_running_is_high(world, kpis):
    KPIResult.objects.filter(kpi=kpis["GAPPY"], period_end=month_end(2026, 8)).delete()
    _, found = run_candidates(world)
    (missing,) = [c for c in found if c.kind == FlagKind.KPI_DATA_MISSING]
    assert missing.severity == "high" and missing.evidence["missing_in_a_row"] == 2


def test_an_earlier_gap_only_is_low(world, kpis):
    results(kpis["GAPPY"], [95], last=(2026, 9))  # September in; June is still missing
    KPIResult.objects.filter(kpi=kpis["GAPPY"], period_end=month_end(2026, 7)).delete()
    _, found = run_candidates(world)
    (missing,) = [c for c in found if c.kind == FlagKind.KPI_DATA_MISSING]
    assert missing.severity == "low" and missing.evidence["missing_periods"] == ["2026-07-31"]


def test_an_earlier_gap_only_opens_no_flag(world, kpis, monkeypatch):
    from insights.services import recompute

    monkeypatch.setattr(recompute, "STEPS", [rules.candidates])
    results(kpis["GAPPY"], [95], last=(2026, 9))
    KPIResult.objects.filter(kpi=kpis["GAPPY"], period_end=month_end(2026, 7)).delete()
    run_recompute(world.org, today=TODAY)
    assert not Flag.objects.filter(subject_id=kpis["GAPPY"].pk).exists()  # low: its page shows it
    assert Flag.objects.filter(kind=FlagKind.KPI_RED, subject_id=kpis["RED-2"].pk).exists()


def test_a_new_kpi_without_results_is_chased_for_one_period_only(world):
    KPIFactory(organisation=world.org, service=world.service, code="NEW")
    _, found = run_candidates(world)
    (missing,) = found
    assert missing.evidence["missing_periods"] == ["2026-09-30"] and missing.severity == "medium"


def test_inactive_kpis_and_other_organisations_are_left_alone(world, kpis):
    KPI.objects.filter(code="RED-2").update(active=False)
    other = KPIFactory(organisation=world.other_org, service=world.other_service, code="RH-1")
    KPITargetFactory(kpi=other, financial_year=2026, target=D("90"))
    results(other, [80, 80])
    _, found = run_candidates(world)
    assert {c.subject_id for c in found} == {kpis["WORSE"].pk, kpis["GAPPY"].pk}


def test_candidates_take_a_fixed_number_of_queries(world, kpis):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            run_candidates(world)
        return len(ctx)

    small = count()
    for i in range(30):
        kpi = KPIFactory(organisation=world.org, service=world.team, code=f"MORE-{i}")
        KPITargetFactory(kpi=kpi, financial_year=2026, target=D("90"))
        results(kpi, [95, 84, 80])
    # KPIs (with service, owner, organisation), result figures, the latest results
    # in full, targets: the scorecard's four.
    assert count() == small == 4


def test_a_whole_run_opens_and_resolves_kpi_flags(world, kpis, monkeypatch):
    from insights.services import recompute

    # Only the KPI rules: the world's people would raise feedback and workforce flags too.
    monkeypatch.setattr(recompute, "STEPS", [rules.candidates])
    run_recompute(world.org, today=TODAY)
    open_flags = set(Flag.objects.filter(resolved_at=None).values_list("kind", "subject_id"))
    assert open_flags == {
        (FlagKind.KPI_RED, kpis["RED-2"].pk),
        (FlagKind.KPI_WORSENING, kpis["WORSE"].pk),
        (FlagKind.KPI_DATA_MISSING, kpis["GAPPY"].pk),
    }
    # The missing result arrives; the next run resolves that flag and nothing else changes.
    results(kpis["GAPPY"], [95])
    run_recompute(world.org, today=TODAY)
    assert not Flag.objects.filter(kind=FlagKind.KPI_DATA_MISSING, resolved_at=None).exists()
    assert Flag.objects.filter(resolved_at=None).count() == 2
    run_recompute(world.org, today=TODAY + timedelta(days=0))  # idempotent
    assert Flag.objects.filter(resolved_at=None).count() == 2
