"""The pure benchmark rules: QUARTILE.INC boundaries, quartile position allowing
for polarity, and the periods benchmark files name."""

from datetime import date
from decimal import Decimal

import pytest

from organisations.rules import benchmarks as rules
from organisations.rules import kpis as kpi_rules

D = Decimal


# --- QUARTILE.INC ---------------------------------------------------------------


def test_quartiles_are_excels_quartile_inc():
    # Microsoft's own example for QUARTILE.INC: {1,2,4,7,8,9,10,12}, quartile 1 is 3.5.
    data = [1, 2, 4, 7, 8, 9, 10, 12]
    assert rules.quartile_inc(data, "0.25") == D("3.5")
    assert rules.quartile_inc(data, "0.5") == D("7.5")
    assert rules.quartile_inc(data, "0.75") == D("9.25")
    assert rules.quartiles([1, 2, 3, 4]) == rules.Quartiles(D("1.75"), D("2.5"), D("3.25"))
    # Order does not matter, and the ends are the minimum and maximum.
    assert rules.quartile_inc([12, 1, 7], "0") == 1
    assert rules.quartile_inc([12, 1, 7], "1") == 12
    assert rules.quartile_inc([5], "0.75") == 5


def test_quartile_inc_refuses_nothing_and_fractions_outside_0_to_1():
    with pytest.raises(ValueError):
        rules.quartile_inc([], "0.5")
    with pytest.raises(ValueError):
        rules.quartile_inc([1, 2], "1.5")
    with pytest.raises(ValueError):
        rules.quartile_inc([1, float("nan")], "0.5")


# --- Position, allowing for polarity ------------------------------------------------

BOUNDS = rules.Quartiles(lower=D("40"), median=D("50"), upper=D("60"))


@pytest.mark.parametrize(
    "value, higher, lower",
    [
        (70, rules.TOP, rules.BOTTOM),
        (60, rules.TOP, rules.LOWER_MIDDLE),  # on a boundary: the better quartile
        (55, rules.UPPER_MIDDLE, rules.LOWER_MIDDLE),
        (50, rules.UPPER_MIDDLE, rules.UPPER_MIDDLE),
        (45, rules.LOWER_MIDDLE, rules.UPPER_MIDDLE),
        (40, rules.LOWER_MIDDLE, rules.TOP),
        (30, rules.BOTTOM, rules.TOP),
    ],
)
def test_the_top_quartile_is_the_best_whichever_way_is_better(value, higher, lower):
    assert rules.quartile_position(value, BOUNDS, kpi_rules.HIGHER) == higher
    assert rules.quartile_position(value, BOUNDS, kpi_rules.LOWER) == lower
    assert rules.quartile_position(value, BOUNDS, kpi_rules.NONE) == rules.NOT_RANKED


def test_compare_places_the_council_in_its_group():
    group = [D("38.2"), D("41.0"), D("44.5"), D("47.3"), D("50.1"), D("52.4"), D("55.0"), D("61.8")]
    higher = rules.compare(value=D("52.4"), group=group, polarity=kpi_rules.HIGHER)
    assert higher.group_size == 8
    assert higher.median == D("48.7")
    assert higher.position == rules.UPPER_MIDDLE
    assert higher.best_boundary == higher.bounds.upper and higher.worst_boundary == higher.bounds.lower
    lower = rules.compare(value=D("52.4"), group=group, polarity=kpi_rules.LOWER)
    assert lower.position == rules.LOWER_MIDDLE
    assert lower.best_boundary == lower.bounds.lower
    assert rules.compare(value=D("38.2"), group=group, polarity=kpi_rules.LOWER).position == rules.TOP
    assert rules.compare(value=D("38.2"), group=group, polarity=kpi_rules.HIGHER).position == rules.BOTTOM


def test_no_quartile_without_a_value_a_direction_or_enough_councils():
    group = [1, 2, 3, 4]
    assert rules.compare(value=None, group=group, polarity=kpi_rules.HIGHER).position == rules.NOT_RANKED
    none = rules.compare(value=2, group=group, polarity=kpi_rules.NONE)
    assert none.position == rules.NOT_RANKED and none.median == D("2.5") and none.best_boundary is None
    small = rules.compare(value=3, group=[1, 2, 3], polarity=kpi_rules.HIGHER)
    assert small.position == rules.NOT_RANKED
    assert small.median == 2 and small.group_size == 3 and small.bounds is None
    assert rules.MIN_GROUP_SIZE == 4
    empty = rules.compare(value=None, group=[], polarity=kpi_rules.HIGHER)
    assert empty.median is None and empty.group_size == 0


def test_every_position_has_the_glossarys_words():
    from core import glossary

    assert set(rules.POSITIONS) == set(glossary.QUARTILE)
    assert glossary.QUARTILE[rules.TOP].label == "Top quartile"


# --- Periods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024/25", date(2025, 3, 31)),
        ("2024-25", date(2025, 3, 31)),
        ("2024/2025", date(2025, 3, 31)),
        ("Q1 2024/25", date(2024, 6, 30)),
        ("2024/25 Q4", date(2025, 3, 31)),
        ("q3 2024-25", date(2024, 12, 31)),
        ("2024", date(2024, 12, 31)),
        ("Mar 2025", date(2025, 3, 31)),
        ("February 2024", date(2024, 2, 29)),
        ("Apr 2024 - Mar 2025", date(2025, 3, 31)),
        ("2025-03-31", date(2025, 3, 31)),
        ("31/03/2025", date(2025, 3, 31)),
        ("  2024/25  ", date(2025, 3, 31)),
    ],
)
def test_periods_as_benchmark_files_write_them(text, expected):
    assert rules.period_end(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "2024/26", "Q5 2024/25", "Smarch 2024", "31/02/2025", "0000"])
def test_what_is_not_a_period(text):
    assert rules.period_end(text) is None


def test_a_financial_year_follows_the_organisations_start_month():
    assert rules.period_end("2024", start_month=1) == date(2024, 12, 31)
    assert rules.period_end("Q1 2024/25", start_month=7) == date(2024, 9, 30)
