"""The scorecard selector: latest, previous and last year's results, overdue data."""

from datetime import date
from decimal import Decimal

import pytest

from organisations.models import KPI
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.kpis import kpi_scorecard, latest_due_period, scorecard_summary, status_counts
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal


@pytest.mark.parametrize(
    ("frequency", "lag", "today", "expected"),
    [
        (year_rules.MONTHLY, 30, date(2026, 11, 20), date(2026, 9, 30)),  # October due 30 Nov
        (year_rules.MONTHLY, 30, date(2026, 11, 30), date(2026, 9, 30)),  # due today: still on time
        (year_rules.MONTHLY, 30, date(2026, 12, 1), date(2026, 10, 31)),
        (year_rules.MONTHLY, 0, date(2026, 11, 1), date(2026, 10, 31)),
        (year_rules.QUARTERLY, 45, date(2026, 11, 14), date(2026, 6, 30)),  # Q2 due 14 Nov
        (year_rules.QUARTERLY, 45, date(2026, 11, 15), date(2026, 9, 30)),
        (year_rules.ANNUAL, 60, date(2026, 5, 30), date(2025, 3, 31)),  # 2025/26 due 30 May
        (year_rules.ANNUAL, 60, date(2026, 5, 31), date(2026, 3, 31)),
    ],
)
def test_latest_due_period(world, frequency, lag, today, expected):
    kpi = KPIFactory.build(organisation=world.org, frequency=frequency, data_lag_days=lag)
    assert latest_due_period(kpi, today) == expected


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    KPITargetFactory(kpi=kpi, financial_year=2025, target=D("90"))
    KPITargetFactory(kpi=kpi, financial_year=2026, target=D("92"))
    return kpi


def rows(**kw):
    return kpi_scorecard(KPI.objects.all(), **kw)


def test_row_compares_with_previous_period_and_same_period_last_year(kpi):
    KPIResultFactory(kpi=kpi, period_end=date(2025, 9, 30), value=D("95"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 8, 31), value=D("93"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("91"))
    (row,) = rows(today=date(2026, 11, 20))
    assert row.latest.value == D("91") and row.previous.value == D("93") and row.last_year.value == D("95")
    assert row.target.financial_year == 2026 and row.target_display == "92.0%"
    assert row.status == kpi_rules.AMBER
    assert (row.direction_previous, row.direction_last_year) == (kpi_rules.WORSENING, kpi_rules.WORSENING)
    assert row.period_label == "Sep 2026" and row.value_display == "91.0%"
    # September is in, so nothing is overdue; the ten months between the two years
    # are missing (counted since the first result, within the last year).
    assert row.overdue_period is None and row.missing_in_a_row == 0
    assert row.missing_periods[0] == date(2026, 7, 31) and len(row.missing_periods) == 10
    assert row.is_exception  # amber and worse than the period before (the default rule)


def test_figures_only_gives_the_same_figures_in_three_queries(kpi, django_assert_num_queries):
    KPIResultFactory(kpi=kpi, period_end=date(2025, 9, 30), value=D("95"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 8, 31), value=D("93"), commentary="Two vacancies")
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("91"))
    (full,) = rows(today=date(2026, 11, 20))
    # KPIs, result figures, targets: no results in full.
    with django_assert_num_queries(3):
        (row,) = rows(today=date(2026, 11, 20), figures_only=True)
    for attr in ("status", "direction_previous", "direction_last_year", "period_label", "value_display"):
        assert getattr(row, attr) == getattr(full, attr), attr
    assert (row.latest.value, row.previous.value, row.last_year.value) == (D("91"), D("93"), D("95"))
    assert row.target_display == full.target_display == "92.0%" and row.is_exception
    assert row.missing_periods == [] and full.missing_periods


def test_missing_periods_in_the_last_year_since_the_first_result(kpi):
    for month in (1, 2, 4, 6, 7):  # 2026: March, May, August and September missing
        KPIResultFactory(
            kpi=kpi, period_end=year_rules.period_end_for(date(2026, month, 1), "monthly"), value=D("95")
        )
    (row,) = rows(today=date(2026, 11, 20))
    assert row.missing_periods == [date(2026, 9, 30), date(2026, 8, 31), date(2026, 5, 31), date(2026, 3, 31)]
    assert row.overdue_period == date(2026, 9, 30) and row.overdue_label == "Sep 2026"
    assert row.missing_in_a_row == 2
    by = row.by_period
    assert row.series(4) == [by[date(2026, 7, 31)], by[date(2026, 6, 30)], None, by[date(2026, 4, 30)]]


def test_as_of_reads_the_scorecard_at_a_quarter_end(kpi):
    KPIResultFactory(kpi=kpi, period_end=date(2026, 6, 30), value=D("80"), corrective_action="Plan")
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("95"))
    (row,) = rows(today=date(2026, 11, 20), as_of=date(2026, 6, 30))
    assert row.latest.period_end == date(2026, 6, 30) and row.status == kpi_rules.RED


def test_counts(world, kpi):
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("80"), corrective_action="Plan")
    KPIFactory(organisation=world.org, service=world.service, code="HO-02")  # no results
    result = rows(today=date(2026, 11, 20))
    # A KPI with no result is "no_result" ("No result"), never counted as grey ("Monitoring only").
    assert status_counts(result) == {"green": 0, "amber": 0, "red": 1, "grey": 0, "no_result": 1}
    summary = scorecard_summary(result)
    assert (summary.total, summary.red, summary.grey, summary.no_result, summary.overdue) == (2, 1, 0, 1, 1)
