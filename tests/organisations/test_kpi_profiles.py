"""Target profiles and cumulative (year-to-date) KPIs: the pure rules, the stored
statuses, the profile page, and tolerance and materiality in words."""

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import KPIResult, KPITarget
from organisations.rules import kpi_words
from organisations.rules import kpis as k
from organisations.rules import profiles as p
from organisations.rules import years as year_rules
from organisations.selectors.kpis import kpi_scorecard
from organisations.services import kpi_csv
from organisations.services import kpis as svc
from organisations.services.kpi_import import kpi_results_import
from tests.organisations.factories import KPIFactory, KPITargetFactory

D = Decimal
Q1, Q2, Q3, Q4 = date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)
QUARTERS_2025 = [Q1, Q2, Q3, Q4]


# --- The pure rules ---------------------------------------------------------------


@pytest.mark.parametrize("module", [p, kpi_words], ids=["profiles", "kpi_words"])
def test_the_new_rule_modules_stay_pure(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported <= {"__future__", "collections.abc", "datetime", "decimal", "organisations.rules.kpis"}


def test_even_profile_worked_example():
    """A quarterly count built up over the year, spread evenly.

    ========  ======  ====================
    Quarter   Share   Target (year to date)
    ========  ======  ====================
    Q1        1/4      50
    Q2        2/4     100
    Q3        3/4     150
    Q4        4/4     200 (the year's target)
    ========  ======  ====================

    Monthly, 1,000 a year to 0 places: 83, 167, 250 ... 917, 1,000 (half up).
    """
    assert p.even_profile(D(200), 4, 0) == [D(50), D(100), D(150), D(200)]
    monthly = p.even_profile(D(1000), 12, 0)
    assert monthly[:3] == [D(83), D(167), D(250)] and monthly[-2:] == [D(917), D(1000)]
    assert p.even_profile(D("98.5"), 1) == [D("98.5")]
    with pytest.raises(ValueError):
        p.even_profile(D(10), 0)


def test_last_year_shape_worked_example():
    """Last year's shape, the way a council profiles a seasonal year-to-date target.

    Affordable homes delivered, year to date. Last year's outturn was 180; this
    year's target is 200, shaped like last year:

    ========  ====================  ==================  =====================
    Quarter   Last year (to date)   Share of outturn    This year's target
    ========  ====================  ==================  =====================
    Q1         27                   15%                  30
    Q2         72                   40%                  80
    Q3        117                   65%                 130
    Q4        180                   100%                200
    ========  ====================  ==================  =====================

    Rent collected, year to date, a percentage: last year 94.0, 96.0, 97.0,
    98.0 (the outturn); this year's target 98.5 gives 94.5, 96.5, 97.5, 98.5
    (to one place).
    """
    assert p.last_year_shape(D(200), [D(27), D(72), D(117), D(180)], 0) == [D(30), D(80), D(130), D(200)]
    assert p.last_year_shape(D("98.5"), [D(94), D(96), D(97), D(98)], 1) == [
        D("94.5"),
        D("96.5"),
        D("97.5"),
        D("98.5"),
    ]
    with pytest.raises(ValueError, match="no figure for period 2"):
        p.last_year_shape(D(200), [D(27), None, D(117), D(180)])
    with pytest.raises(ValueError, match="outturn is 0"):
        p.last_year_shape(D(200), [D(0), D(0), D(0), D(0)])


def test_period_target_reads_the_profile_else_the_year():
    stored = {"2025-06-30": "50"}
    assert p.period_target(D(200), stored, Q1) == D(50)
    assert p.period_target(D(200), stored, Q2) == D(200)
    assert p.period_target(D(200), {}, Q1) == D(200)


def test_tolerance_bands_in_words_for_both_kinds():
    absolute = kpi_words.tolerance_bands(
        tolerance_kind=k.ABSOLUTE,
        green=0,
        amber=8,
        target=80,
        unit=k.UNIT_PERCENT,
        polarity=k.HIGHER,
        places=1,
    )
    assert absolute == [
        (k.GREEN, "Green: on target or better (80.0% or more)"),
        (k.AMBER, "Amber: up to 8 percentage points below target (down to 72.0%)"),
        (k.RED, "Red: more than 8 percentage points below target (below 72.0%)"),
    ]
    percent = kpi_words.tolerance_bands(
        tolerance_kind=k.PERCENT,
        green=0,
        amber=8,
        target=80,
        unit=k.UNIT_PERCENT,
        polarity=k.HIGHER,
        places=1,
    )
    assert percent[1] == (k.AMBER, "Amber: up to 8% of the target below target (down to 73.6%)")
    lower = kpi_words.tolerance_bands(
        tolerance_kind=k.ABSOLUTE, green=1, amber=3, target=28, unit=k.UNIT_DAYS, polarity=k.LOWER, places=1
    )
    assert lower == [
        (k.GREEN, "Green: on target or better, or up to 1 day above target (29.0 days or less)"),
        (k.AMBER, "Amber: up to 3 days above target (up to 31.0 days)"),
        (k.RED, "Red: more than 3 days above target (above 31.0 days)"),
    ]
    no_amber = kpi_words.tolerance_bands(
        tolerance_kind=k.ABSOLUTE, green=0, amber=0, target=100, unit=k.UNIT_PERCENT, polarity=k.HIGHER
    )
    assert [s for s, _ in no_amber] == [k.GREEN, k.RED] and no_amber[1][1] == "Red: anything below target"
    assert (
        kpi_words.tolerance_bands(
            tolerance_kind=k.PERCENT, green=0, amber=5, target=1, unit=None, polarity=k.NONE
        )
        == []
    )


def test_both_kinds_worked_for_one_target():
    worked = dict(
        kpi_words.tolerance_kinds_example(
            target=80, amber=8, unit=k.UNIT_PERCENT, polarity=k.HIGHER, places=1
        )
    )
    assert "6.4 percentage points below it, so amber reaches down to 73.6%" in worked[k.PERCENT]
    assert "is 8 percentage points. With a target of 80.0%, amber reaches down to 72.0%" in worked[k.ABSOLUTE]


def test_a_cumulative_kpi_is_judged_against_the_same_period_last_year():
    assert k.headline_direction(
        cumulative=True, direction_previous=k.IMPROVING, direction_last_year=k.WORSENING
    ) == (k.WORSENING)
    assert (
        k.headline_direction(
            cumulative=False, direction_previous=k.IMPROVING, direction_last_year=k.WORSENING
        )
        == k.IMPROVING
    )
    assert "year to date against year to date" in kpi_words.travel_words(True)


# --- Stored statuses ------------------------------------------------------------------


@pytest.fixture
def homes(world):
    """Affordable homes delivered, year to date, quarterly, higher is better: 200
    a year, amber within 10% of the period's target."""
    kpi = KPIFactory(
        organisation=world.org,
        service=world.service,
        code="HD-01",
        unit=k.UNIT_COUNT,
        decimal_places=0,
        frequency=year_rules.QUARTERLY,
        cumulative=True,
    )
    KPITargetFactory(kpi=kpi, financial_year=2025, target=D(200), amber_tolerance=D(10))
    return kpi


def test_on_profile_in_q1_is_green_and_the_full_year_rule_would_have_said_red(homes, world):
    # Without a profile the Q1 figure is judged against the full year: 50 of 200 is red.
    result, _ = svc.kpi_result_record(
        kpi=homes, period_end=Q1, value=D(50), corrective_action="Recovery plan.", by=world.officer
    )
    assert result.status == k.RED
    target = KPITarget.objects.get(kpi=homes, financial_year=2025)
    outcome = svc.kpi_target_profile_set(target=target, profile=p.EVEN, by=world.officer)
    assert outcome.regraded == 1
    assert outcome.target.period_targets == {
        "2025-06-30": "50",
        "2025-09-30": "100",
        "2025-12-31": "150",
        "2026-03-31": "200",
    }
    result.refresh_from_db()
    assert result.status == k.GREEN
    # A new result is judged against its own period's target: Q2 at 95 of 100 is amber, not red.
    q2, _ = svc.kpi_result_record(kpi=homes, period_end=Q2, value=D(95), by=world.officer)
    assert q2.status == k.AMBER


def test_a_new_year_target_moves_a_worked_out_profile_and_regrades(homes, world):
    target = KPITarget.objects.get(kpi=homes, financial_year=2025)
    svc.kpi_target_profile_set(target=target, profile=p.EVEN, by=world.officer)
    svc.kpi_result_record(kpi=homes, period_end=Q1, value=D(50), by=world.officer)
    outcome = svc.kpi_target_set(
        kpi=homes, financial_year=2025, target=D(400), amber_tolerance=D(10), by=world.officer
    )
    assert outcome.target.target_for(Q1) == D(100)
    assert KPIResult.objects.get(kpi=homes, period_end=Q1).status == k.RED
    assert outcome.reds_without_action == 1


def test_last_years_shape_from_last_years_results(homes, world):
    KPITargetFactory(kpi=homes, financial_year=2024, target=D(180), amber_tolerance=D(10))
    for end, value in zip(
        year_rules.period_ends_in_year(2024, year_rules.QUARTERLY), [27, 72, 117, 180], strict=True
    ):
        svc.kpi_result_record(kpi=homes, period_end=end, value=D(value), corrective_action="Plan.")
    target = KPITarget.objects.get(kpi=homes, financial_year=2025)
    outcome = svc.kpi_target_profile_set(target=target, profile=p.LAST_YEAR, by=world.officer)
    assert [outcome.target.target_for(e) for e in QUARTERS_2025] == [D(30), D(80), D(130), D(200)]
    # The year before had no results: no shape to follow, said on the profile field.
    earlier = KPITarget.objects.get(kpi=homes, financial_year=2024)
    with pytest.raises(ValidationError) as exc:
        svc.kpi_target_profile_set(target=earlier, profile=p.LAST_YEAR)
    assert "2023/24 cannot give this year its shape" in exc.value.message_dict["profile"][0]


def test_an_entered_profile_needs_every_period_and_ends_on_the_years_target(homes):
    target = KPITarget.objects.get(kpi=homes, financial_year=2025)
    with pytest.raises(ValidationError) as exc:
        svc.kpi_target_profile_set(target=target, profile=p.ENTERED, entered={Q1: D(40)})
    assert set(exc.value.message_dict) == {"2025-09-30", "2025-12-31", "2026-03-31"}
    with pytest.raises(ValidationError) as exc:
        svc.kpi_target_profile_set(
            target=target, profile=p.ENTERED, entered={Q1: D(40), Q2: D(90), Q3: D(140), Q4: D(190)}
        )
    assert "the year's target, 200" in exc.value.message_dict["2026-03-31"][0]
    svc.kpi_target_profile_set(
        target=target, profile=p.ENTERED, entered={Q1: D(40), Q2: D(90), Q3: D(140), Q4: D(200)}
    )
    assert KPITarget.objects.get(pk=target.pk).target_for(Q1) == D(40)


def test_spreading_is_only_for_a_cumulative_kpi(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, frequency=year_rules.QUARTERLY)
    target = KPITargetFactory(kpi=kpi, financial_year=2025)
    with pytest.raises(ValidationError) as exc:
        svc.kpi_target_profile_set(target=target, profile=p.EVEN)
    assert "Only a cumulative" in exc.value.message_dict["profile"][0]


def test_the_import_judges_against_the_periods_target(homes, world):
    target = KPITarget.objects.get(kpi=homes, financial_year=2025)
    svc.kpi_target_profile_set(target=target, profile=p.EVEN)
    csv = "kpi_code,period_end,value,commentary,corrective_action\nHD-01,2025-06-30,50,,\nHD-01,2025-09-30,80,,\n"
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(csv.encode()), today=date(2026, 5, 1)
    )
    assert [(e.row, e.message) for e in outcome.errors] == [
        (3, "80 is red against the Q2 2025/26 profiled target of 100: enter a corrective action.")
    ]
    csv = csv.replace("80,,", "80,,Recovery plan")
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(csv.encode()), today=date(2026, 5, 1)
    )
    assert outcome.ok
    statuses = dict(KPIResult.objects.filter(kpi=homes).values_list("period_end", "status"))
    assert statuses == {Q1: k.GREEN, Q2: k.RED}


def test_the_scorecard_judges_a_cumulative_kpi_year_to_date_against_last_year(homes, world):
    KPITargetFactory(kpi=homes, financial_year=2024, target=D(200), amber_tolerance=D(10))
    svc.kpi_result_record(kpi=homes, period_end=date(2024, 9, 30), value=D(120), corrective_action="Plan.")
    svc.kpi_result_record(kpi=homes, period_end=Q1, value=D(60), corrective_action="Plan.")
    svc.kpi_result_record(kpi=homes, period_end=Q2, value=D(110), corrective_action="Plan.")
    (row,) = kpi_scorecard(homes.__class__.objects.filter(pk=homes.pk), today=date(2026, 1, 15))
    # 110 after 60 is not "improving": the year went on. Against Q2 last year (120) it is worse.
    assert row.direction_previous is None
    assert row.direction_last_year == k.WORSENING and row.is_worsening


# --- Pages ------------------------------------------------------------------------------


def test_the_profile_page_spreads_the_target_and_keeps_what_was_typed(homes, officer_client):
    url = reverse("organisations:kpi_target_profile", args=[homes.pk, 2025])
    page = officer_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("<h1") == 1 and "What spreading the target gives" in text
    bad = officer_client.post(url, {"profile": p.ENTERED, "2025-06-30": "45", "2025-09-30": "lots"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "govuk-error-summary" in body and "Enter the target for Q3 2025/26." in body
    assert 'value="45"' in body and 'value="lots"' in body
    done = officer_client.post(url, {"profile": p.EVEN})
    assert done.status_code == 302
    assert KPITarget.objects.get(kpi=homes, financial_year=2025).profile == p.EVEN


def test_the_profile_page_is_for_editors_and_a_year_with_a_target(homes, staff_client, officer_client):
    assert (
        staff_client.get(reverse("organisations:kpi_target_profile", args=[homes.pk, 2025])).status_code
        == 403
    )
    assert (
        officer_client.get(reverse("organisations:kpi_target_profile", args=[homes.pk, 2019])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        (k.ABSOLUTE, k.AMBER, "Amber: up to 8 percentage points below target (down to 72.0%)"),
        (k.PERCENT, k.RED, "Amber: up to 8% of the target below target (down to 73.6%)"),
    ],
)
def test_the_same_shortfall_reads_amber_or_red_by_tolerance_kind(world, officer_client, kind, status, words):
    """80% target, amber tolerance 8, a result of 72.5%: 7.5 percentage points short.
    Absolute: within 8 points, amber. Percentage of target: 7.5 / 80 = 9.4% of the
    target, beyond 8%, red."""
    kpi = KPIFactory(organisation=world.org, service=world.service, materiality=D("0.5"))
    svc.kpi_target_set(
        kpi=kpi,
        financial_year=2025,
        target=D(80),
        tolerance_kind=kind,
        amber_tolerance=D(8),
        by=world.officer,
    )
    result, _ = svc.kpi_result_record(
        kpi=kpi, period_end=date(2025, 6, 30), value=D("72.5"), corrective_action="Plan."
    )
    assert result.status == status
    page = officer_client.get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    assert "How the status is judged" in page and words in page
    assert "Changes smaller than 0.5 percentage points count as no change" in page


def test_the_target_form_works_both_kinds_for_this_kpis_target(world, officer_client):
    kpi = KPIFactory(organisation=world.org, service=world.service)
    KPITargetFactory(kpi=kpi, financial_year=2025, target=D(80), amber_tolerance=D(8))
    page = officer_client.get(reverse("organisations:kpi_targets", args=[kpi.pk]) + "?year=2025")
    text = page.content.decode()
    assert "amber reaches down to 73.6%" in text and "amber reaches down to 72.0%" in text


def test_the_profile_page_reads_in_a_fixed_number_of_queries(
    homes, officer_client, django_assert_max_num_queries
):
    url = reverse("organisations:kpi_target_profile", args=[homes.pk, 2025])
    officer_client.get(url)  # the session and the viewer's caches warm
    for end, value in zip(QUARTERS_2025, [50, 100, 150, 200], strict=True):
        svc.kpi_result_record(kpi=homes, period_end=end, value=D(value), corrective_action="Plan.")
    with django_assert_max_num_queries(12):
        assert officer_client.get(url).status_code == 200
