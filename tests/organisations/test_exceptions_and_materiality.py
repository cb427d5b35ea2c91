"""What counts as an exception (each organisation's rule) and as a change (each
KPI's materiality): the pure rules at their boundaries, then the scorecard, the
KPI form and the flag job using them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core import glossary
from insights.rules import kpis as kpi_flags
from organisations.models import KPI
from organisations.rules import kpis as k
from organisations.selectors.kpis import kpi_scorecard
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal
RED_ONLY, DEFAULT, RED_OR_AMBER = (
    glossary.EXCEPTIONS_RED,
    glossary.EXCEPTIONS_RED_OR_AMBER_WORSENING,
    glossary.EXCEPTIONS_RED_OR_AMBER,
)

# --- The exception rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "direction", "red_only", "default", "red_or_amber"),
    [
        (k.RED, k.IMPROVING, True, True, True),
        (k.RED, None, True, True, True),
        (k.AMBER, k.WORSENING, False, True, True),
        (k.AMBER, k.NO_CHANGE, False, False, True),
        (k.AMBER, k.IMPROVING, False, False, True),
        (k.AMBER, None, False, False, True),
        # Green and worse than before: never an exception (the dashboard once listed it).
        (k.GREEN, k.WORSENING, False, False, False),
        (k.GREY, k.DECREASING, False, False, False),
        (k.NO_RESULT, None, False, False, False),
    ],
)
def test_is_exception_under_each_rule(status, direction, red_only, default, red_or_amber):
    for rule, expected in ((RED_ONLY, red_only), (DEFAULT, default), (RED_OR_AMBER, red_or_amber)):
        assert k.is_exception(status=status, direction=direction, rule=rule) is expected, rule
    assert k.is_exception(status=status, direction=direction) is default  # the default rule


def test_an_unknown_exception_rule_is_refused():
    with pytest.raises(ValueError):
        k.is_exception(status=k.RED, direction=None, rule="everything")


# --- Materiality: the smallest change that counts -------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "polarity", "materiality", "expected"),
    [
        # Higher is better, threshold 0.5 percentage points.
        ("80.0", "80.4", k.HIGHER, "0.5", k.NO_CHANGE),  # below: no change
        ("80.0", "80.5", k.HIGHER, "0.5", k.IMPROVING),  # exactly the threshold: counts
        ("80.0", "80.6", k.HIGHER, "0.5", k.IMPROVING),  # above
        ("80.0", "79.6", k.HIGHER, "0.5", k.NO_CHANGE),
        ("80.0", "79.5", k.HIGHER, "0.5", k.WORSENING),
        # Lower is better: up is worse, by at least the threshold.
        ("10", "10.9", k.LOWER, "1", k.NO_CHANGE),
        ("10", "11", k.LOWER, "1", k.WORSENING),
        ("10", "9", k.LOWER, "1", k.IMPROVING),
        ("10", "9.01", k.LOWER, "1", k.NO_CHANGE),
        # No better direction: increasing and decreasing, with the same threshold.
        ("5", "5.2", k.NONE, "0.25", k.NO_CHANGE),
        ("5", "5.25", k.NONE, "0.25", k.INCREASING),
        ("5", "4.75", k.NONE, "0.25", k.DECREASING),
        # 0 (the default) counts any change, however small.
        ("80.0", "80.0001", k.HIGHER, "0", k.IMPROVING),
        ("80", "80", k.HIGHER, "0", k.NO_CHANGE),
        ("80", "80", k.HIGHER, "0.5", k.NO_CHANGE),
    ],
)
def test_direction_with_materiality(previous, current, polarity, materiality, expected):
    got = k.direction_of_travel(
        current=D(current), previous=D(previous), polarity=polarity, materiality=D(materiality)
    )
    assert got == expected


def test_materiality_leaves_a_missing_figure_missing_and_refuses_a_negative():
    assert k.direction_of_travel(current=None, previous=D(1), polarity=k.HIGHER, materiality=D(5)) is None
    with pytest.raises(ValueError):
        k.direction_of_travel(current=D(2), previous=D(1), polarity=k.HIGHER, materiality=D(-1))


def test_a_worsening_run_ends_at_a_change_below_materiality():
    series = [
        kpi_flags.PeriodResult(date(2026, m, 28), D(v))
        for m, v in ((4, "70"), (3, "79.8"), (2, "80"), (1, "85"))
    ]
    assert kpi_flags.worsening_run(series, k.HIGHER) == 3  # every fall counts
    assert kpi_flags.worsening_run(series, k.HIGHER, D("0.5")) == 1  # 80 -> 79.8 is no change


@pytest.mark.parametrize(
    ("amount", "unit", "words"),
    [
        (D("0.5"), k.UNIT_PERCENT, "0.5 percentage points"),
        (D("1.0000"), k.UNIT_PERCENT, "1 percentage point"),
        (D("1"), k.UNIT_DAYS, "1 day"),
        (D("2.5"), k.UNIT_DAYS, "2.5 days"),
        (D("500000"), k.UNIT_CURRENCY, "£500,000"),
        (D("3"), k.UNIT_COUNT, "3"),
        (D("0.05"), k.UNIT_RATE, "0.05"),
    ],
)
def test_a_threshold_in_the_kpis_units(amount, unit, words):
    assert k.format_difference(amount, unit) == words


def test_materiality_and_tolerances_in_words():
    assert k.materiality_words(D("0.5"), k.UNIT_PERCENT) == (
        "Changes smaller than 0.5 percentage points count as no change"
    )
    assert k.materiality_words(D("0"), k.UNIT_PERCENT) == "Every change counts, however small"
    # Never "green within 0.0 days".
    assert k.tolerance_words(tolerance_kind=k.ABSOLUTE, green=D("0"), amber=D("5"), unit=k.UNIT_DAYS) == (
        "green on target or better, amber within 5 days of target"
    )
    assert k.tolerance_words(tolerance_kind=k.ABSOLUTE, green=D("1"), amber=D("2.5"), unit=k.UNIT_DAYS) == (
        "green within 1 day of target, amber within 2.5 days of target"
    )
    assert k.tolerance_words(tolerance_kind=k.PERCENT, green=D("0"), amber=D("5"), unit=k.UNIT_PERCENT) == (
        "green on target or better, amber within 5% of target"
    )
    assert k.tolerance_words(
        tolerance_kind=k.ABSOLUTE, green=D("0.5"), amber=D("0.5"), unit=k.UNIT_PERCENT
    ) == ("green within 0.5 percentage points of target, otherwise red")


# --- The scorecard, the KPI form and the admin use them ------------------------------


@pytest.fixture
def amber_worsening(world):
    """Amber (87 against 90, 5% amber band) and 0.4 points worse than the month before."""
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    KPITargetFactory(kpi=kpi, financial_year=2026, target=D("90"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("87.4"), status="amber")
    KPIResultFactory(kpi=kpi, period_end=date(2026, 10, 31), value=D("87.0"), status="amber")
    return kpi


def row(today=date(2026, 11, 20)):
    (only,) = kpi_scorecard(KPI.objects.all(), today=today)
    return only


def test_the_organisations_rule_decides_the_scorecards_exceptions(world, amber_worsening):
    assert row().direction_previous == k.WORSENING and row().is_exception  # the default rule
    for rule, expected in ((RED_ONLY, False), (RED_OR_AMBER, True), (DEFAULT, True)):
        world.org.exception_rule = rule
        world.org.save()
        assert row().is_exception is expected, rule
    assert world.org.exception_rule_words == "red, or amber and worsening"


def test_the_kpis_materiality_decides_the_scorecards_direction(world, amber_worsening):
    amber_worsening.materiality = D("0.5")  # 0.4 points is a wobble
    amber_worsening.save()
    assert row().direction_previous == k.NO_CHANGE and not row().is_exception
    amber_worsening.materiality = D("0.4")  # exactly the threshold: it counts
    amber_worsening.save()
    assert row().direction_previous == k.WORSENING and row().is_exception


def test_the_kpi_form_takes_materiality_with_help_text(world):
    client = client_for(world.service_head)
    page = client.get(reverse("organisations:kpi_create")).content.decode()
    assert "Smallest change that counts" in page and "shows as no change" in page
    data = {
        "service": world.service.pk,
        "code": "ho-02",
        "name": "Decisions within 56 days",
        "unit": "percent",
        "decimal_places": "1",
        "polarity": "higher",
        "materiality": "0.5",
        "frequency": "monthly",
        "data_lag_days": "30",
        "active": "on",
    }
    assert client.post(reverse("organisations:kpi_create"), data).status_code == 302
    assert KPI.objects.get(code="HO-02").materiality == D("0.5")
    # Blank is 0 (every change counts); a negative is an error next to the field.
    data.update(code="ho-03", materiality="")
    assert client.post(reverse("organisations:kpi_create"), data).status_code == 302
    assert KPI.objects.get(code="HO-03").materiality == 0
    data.update(code="ho-04", materiality="-1")
    response = client.post(reverse("organisations:kpi_create"), data)
    assert response.status_code == 200
    assert "The smallest change that counts must be 0 or more." in response.content.decode()


def test_the_exception_rule_is_editable_in_the_admin(world, admin_client):
    url = reverse("admin:organisations_organisation_change", args=[world.org.pk])
    html = admin_client.get(url).content.decode()
    assert "What counts as an exception" in html and "Red, or amber and worsening (the default)" in html
