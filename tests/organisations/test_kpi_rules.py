"""Exhaustive tests for the pure KPI rules, organisations.rules.kpis and .years (no Django, no database)."""

import ast
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from core import glossary
from organisations.rules import kpis as k
from organisations.rules import years as year_rules
from organisations.rules.kpis import (
    ABSOLUTE,
    AMBER,
    GREEN,
    GREY,
    HIGHER,
    LOWER,
    NONE,
    PERCENT,
    RED,
)
from organisations.rules.years import ANNUAL, MONTHLY, QUARTERLY

D = Decimal


def test_constants_are_the_contracted_strings():
    assert (k.GREEN, k.AMBER, k.RED, k.GREY) == ("green", "amber", "red", "grey")
    assert (k.HIGHER, k.LOWER, k.NONE) == ("higher", "lower", "none")
    assert (k.PERCENT, k.ABSOLUTE) == ("percent", "absolute")
    assert (year_rules.MONTHLY, year_rules.QUARTERLY, year_rules.ANNUAL) == ("monthly", "quarterly", "annual")


@pytest.mark.parametrize("module", [k, year_rules, glossary], ids=["kpis", "years", "glossary"])
def test_module_imports_only_the_standard_library(module):
    # The rules, and the glossary they take their words from, must stay usable
    # without Django or the ORM (the glossary imports Django's time zones only
    # inside the one function that localises a moment).
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module == "core.glossary" or (
                node.module == "core" and [a.name for a in node.names] == ["glossary"]
            ):
                continue
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "calendar", "re", "datetime", "decimal", "functools", "dataclasses"}


# --- shortfall ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "polarity", "kind", "expected"),
    [
        # higher is better: below target is the bad side
        (90, 100, HIGHER, PERCENT, D(10)),
        (90, 100, HIGHER, ABSOLUTE, D(10)),
        (100, 100, HIGHER, PERCENT, D(0)),
        (110, 100, HIGHER, PERCENT, D(0)),
        (45, 50, HIGHER, PERCENT, D(10)),
        (45, 50, HIGHER, ABSOLUTE, D(5)),
        # lower is better: above target is the bad side
        (110, 100, LOWER, PERCENT, D(10)),
        (110, 100, LOWER, ABSOLUTE, D(10)),
        (100, 100, LOWER, PERCENT, D(0)),
        (90, 100, LOWER, PERCENT, D(0)),
        (12, 10, LOWER, PERCENT, D(20)),
        (12, 10, LOWER, ABSOLUTE, D(2)),
        # no polarity: nothing is ever "bad"
        (0, 100, NONE, PERCENT, D(0)),
        (500, 100, NONE, ABSOLUTE, D(0)),
        # zero target: a percent tolerance counts as absolute
        (3, 0, LOWER, PERCENT, D(3)),
        (3, 0, LOWER, ABSOLUTE, D(3)),
        (-2, 0, HIGHER, PERCENT, D(2)),
        (0, 0, HIGHER, PERCENT, D(0)),
        (0, 0, LOWER, PERCENT, D(0)),
        (-1, 0, LOWER, PERCENT, D(0)),
        # negative values and targets (e.g. budget variance): percent of |target|
        (-110, -100, HIGHER, PERCENT, D(10)),
        (-90, -100, HIGHER, PERCENT, D(0)),
        (-90, -100, LOWER, PERCENT, D(10)),
        (-90, -100, LOWER, ABSOLUTE, D(10)),
        (-5, 10, HIGHER, PERCENT, D(150)),
        (-5, 10, HIGHER, ABSOLUTE, D(15)),
        # floats convert through str: no binary noise
        (0.1, 0.3, HIGHER, ABSOLUTE, D("0.2")),
        (96.4, 97.0, HIGHER, ABSOLUTE, D("0.6")),
        (D("96.40"), D("97"), HIGHER, ABSOLUTE, D("0.6")),
    ],
)
def test_shortfall(value, target, polarity, kind, expected):
    result = k.shortfall(value=value, target=target, polarity=polarity, tolerance_kind=kind)
    assert isinstance(result, Decimal)
    assert result == expected


def test_shortfall_percent_keeps_precision():
    # 1 short of 3 is a third: compared exactly, not rounded to 33.33
    result = k.shortfall(value=2, target=3, polarity=HIGHER, tolerance_kind=PERCENT)
    assert D("33.33") < result < D("33.34")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"value": 1, "target": 2, "polarity": "up", "tolerance_kind": PERCENT}, ValueError),
        ({"value": 1, "target": 2, "polarity": HIGHER, "tolerance_kind": "relative"}, ValueError),
        ({"value": None, "target": 2, "polarity": HIGHER, "tolerance_kind": PERCENT}, TypeError),
        ({"value": 1, "target": None, "polarity": HIGHER, "tolerance_kind": PERCENT}, TypeError),
        ({"value": "1", "target": 2, "polarity": HIGHER, "tolerance_kind": PERCENT}, TypeError),
        ({"value": True, "target": 2, "polarity": HIGHER, "tolerance_kind": PERCENT}, TypeError),
        (
            {"value": float("nan"), "target": 2, "polarity": HIGHER, "tolerance_kind": PERCENT},
            ValueError,
        ),
        (
            {"value": 1, "target": float("inf"), "polarity": HIGHER, "tolerance_kind": PERCENT},
            ValueError,
        ),
        (
            {"value": D("NaN"), "target": 2, "polarity": HIGHER, "tolerance_kind": PERCENT},
            ValueError,
        ),
    ],
)
def test_shortfall_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        k.shortfall(**kwargs)


def test_shortfall_is_keyword_only():
    with pytest.raises(TypeError):
        k.shortfall(90, 100, HIGHER, PERCENT)  # type: ignore[misc]


# --- rag_status -----------------------------------------------------------------


@pytest.mark.parametrize("polarity", [HIGHER, LOWER, NONE])
@pytest.mark.parametrize("kind", [PERCENT, ABSOLUTE])
@pytest.mark.parametrize(
    ("value", "target"),
    [(None, 100), (50, None), (None, None), (0, None), (D("1e6"), None)],
)
def test_rag_grey_when_nothing_to_judge(value, target, polarity, kind):
    status = k.rag_status(
        value=value,
        target=target,
        polarity=polarity,
        tolerance_kind=kind,
        green_tolerance=0,
        amber_tolerance=5,
    )
    assert status == GREY


@pytest.mark.parametrize("value", [0, 50, 100, 1000, -100])
@pytest.mark.parametrize("kind", [PERCENT, ABSOLUTE])
def test_rag_grey_for_polarity_none_even_with_target(value, kind):
    status = k.rag_status(
        value=value,
        target=100,
        polarity=NONE,
        tolerance_kind=kind,
        green_tolerance=0,
        amber_tolerance=5,
    )
    assert status == GREY


# Higher-is-better, target 100, green within 1%, amber within 5% (Belfast-style).
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (150, GREEN),
        (100, GREEN),
        (D("99.5"), GREEN),
        (99, GREEN),  # exactly at green tolerance: inclusive toward green
        (D("98.999"), AMBER),
        (97, AMBER),
        (95, AMBER),  # exactly at amber tolerance: inclusive toward amber
        (D("94.999"), RED),
        (50, RED),
        (0, RED),
        (-10, RED),
    ],
)
def test_rag_higher_percent_boundaries(value, expected):
    status = k.rag_status(
        value=value,
        target=100,
        polarity=HIGHER,
        tolerance_kind=PERCENT,
        green_tolerance=1,
        amber_tolerance=5,
    )
    assert status == expected


# Lower-is-better, target 10 days, green within 1 day, amber within 3 days.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, GREEN),
        (-5, GREEN),
        (10, GREEN),
        (11, GREEN),  # boundary inclusive toward green
        (D("11.01"), AMBER),
        (13, AMBER),  # boundary inclusive toward amber
        (D("13.01"), RED),
        (100, RED),
    ],
)
def test_rag_lower_absolute_boundaries(value, expected):
    status = k.rag_status(
        value=value,
        target=10,
        polarity=LOWER,
        tolerance_kind=ABSOLUTE,
        green_tolerance=1,
        amber_tolerance=3,
    )
    assert status == expected


# Lower-is-better, target 8.8 days sickness, percent: green <= 0%, amber <= 10%.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("8.8"), GREEN),
        (D("8.0"), GREEN),
        (D("8.81"), AMBER),
        (D("9.68"), AMBER),  # exactly 10% over
        (D("9.69"), RED),
    ],
)
def test_rag_lower_percent_boundaries(value, expected):
    status = k.rag_status(
        value=value,
        target=D("8.8"),
        polarity=LOWER,
        tolerance_kind=PERCENT,
        green_tolerance=0,
        amber_tolerance=10,
    )
    assert status == expected


# Higher-is-better absolute: target 96 (council tax %), green within 0.5, amber within 2.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("96.0"), GREEN),
        (D("95.5"), GREEN),
        (D("95.49"), AMBER),
        (D("94.0"), AMBER),
        (D("93.99"), RED),
    ],
)
def test_rag_higher_absolute_boundaries(value, expected):
    status = k.rag_status(
        value=value,
        target=96,
        polarity=HIGHER,
        tolerance_kind=ABSOLUTE,
        green_tolerance=D("0.5"),
        amber_tolerance=2,
    )
    assert status == expected


@pytest.mark.parametrize(
    ("value", "polarity", "kind", "expected"),
    [
        # zero target with percent tolerance is graded in absolute units
        (0, LOWER, PERCENT, GREEN),
        (1, LOWER, PERCENT, GREEN),  # 1 over, green tolerance 1 (absolute)
        (2, LOWER, PERCENT, AMBER),
        (3, LOWER, PERCENT, AMBER),
        (4, LOWER, PERCENT, RED),
        (-1, LOWER, PERCENT, GREEN),
        (0, HIGHER, PERCENT, GREEN),
        (-1, HIGHER, PERCENT, GREEN),
        (-3, HIGHER, ABSOLUTE, AMBER),
        (D("-3.5"), HIGHER, ABSOLUTE, RED),
        (5, HIGHER, PERCENT, GREEN),
    ],
)
def test_rag_zero_target(value, polarity, kind, expected):
    status = k.rag_status(
        value=value,
        target=0,
        polarity=polarity,
        tolerance_kind=kind,
        green_tolerance=1,
        amber_tolerance=3,
    )
    assert status == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-100, GREEN),  # on target
        (-99, GREEN),  # better (higher)
        (-101, GREEN),  # 1% short of |target|
        (-104, AMBER),
        (-105, AMBER),
        (-106, RED),
    ],
)
def test_rag_negative_target_higher(value, expected):
    status = k.rag_status(
        value=value,
        target=-100,
        polarity=HIGHER,
        tolerance_kind=PERCENT,
        green_tolerance=1,
        amber_tolerance=5,
    )
    assert status == expected


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (100, HIGHER, GREEN),
        (D("99.99"), HIGHER, RED),
        (100, LOWER, GREEN),
        (D("100.01"), LOWER, RED),
    ],
)
def test_rag_defaults_no_tolerance_means_no_amber(value, polarity, expected):
    # Default green tolerance 0 ("on or better than target"), no amber band.
    status = k.rag_status(value=value, target=100, polarity=polarity, tolerance_kind=PERCENT)
    assert status == expected


def test_rag_amber_below_green_leaves_no_amber_band():
    kwargs = {"target": 100, "polarity": HIGHER, "tolerance_kind": ABSOLUTE}
    assert k.rag_status(value=97, green_tolerance=5, amber_tolerance=2, **kwargs) == GREEN
    assert k.rag_status(value=94, green_tolerance=5, amber_tolerance=2, **kwargs) == RED


def test_rag_equal_tolerances_leave_no_amber_band():
    kwargs = {"target": 100, "polarity": HIGHER, "tolerance_kind": ABSOLUTE}
    assert k.rag_status(value=95, green_tolerance=5, amber_tolerance=5, **kwargs) == GREEN
    assert k.rag_status(value=D("94.9"), green_tolerance=5, amber_tolerance=5, **kwargs) == RED


@pytest.mark.parametrize("number_type", [int, float, Decimal])
def test_rag_accepts_int_float_decimal(number_type):
    status = k.rag_status(
        value=number_type(97),
        target=number_type(100),
        polarity=HIGHER,
        tolerance_kind=PERCENT,
        green_tolerance=number_type(1),
        amber_tolerance=number_type(3),
    )
    assert status == AMBER


def test_rag_float_boundary_is_exact():
    # 0.1 + 0.2 style noise must not push an exact boundary into the next status.
    status = k.rag_status(
        value=0.7,
        target=1.0,
        polarity=HIGHER,
        tolerance_kind=ABSOLUTE,
        green_tolerance=0.3,
        amber_tolerance=0.5,
    )
    assert status == GREEN


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"polarity": "maximise"}, ValueError),
        ({"tolerance_kind": "ratio"}, ValueError),
        ({"green_tolerance": -1}, ValueError),
        ({"amber_tolerance": -1}, ValueError),
        ({"value": "97"}, TypeError),
        ({"green_tolerance": float("nan")}, ValueError),
    ],
)
def test_rag_rejects_bad_input(overrides, error):
    kwargs = {
        "value": 97,
        "target": 100,
        "polarity": HIGHER,
        "tolerance_kind": PERCENT,
        "green_tolerance": 1,
        "amber_tolerance": 5,
    }
    kwargs.update(overrides)
    with pytest.raises(error):
        k.rag_status(**kwargs)


def test_rag_unknown_polarity_rejected_even_without_target():
    with pytest.raises(ValueError):
        k.rag_status(value=1, target=None, polarity="up", tolerance_kind=PERCENT)


def test_rag_is_keyword_only():
    with pytest.raises(TypeError):
        k.rag_status(97, 100, HIGHER, PERCENT, 1, 5)  # type: ignore[misc]


# --- direction of travel ---------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (10, 5, HIGHER, "improving"),
        (5, 10, HIGHER, "worsening"),
        (5, 5, HIGHER, "no change"),
        (10, 5, LOWER, "worsening"),
        (5, 10, LOWER, "improving"),
        (5, 5, LOWER, "no change"),
        (10, 5, NONE, "increasing"),
        (5, 10, NONE, "decreasing"),
        (5, 5, NONE, "no change"),
        # negatives and zero
        (-1, -5, HIGHER, "improving"),
        (-5, -1, LOWER, "improving"),
        (0, -1, NONE, "increasing"),
        (-1, 0, NONE, "decreasing"),
        # mixed numeric types that are equal are "no change"
        (D("5.0"), 5, HIGHER, "no change"),
        (0.1, D("0.1"), LOWER, "no change"),
        (D("96.41"), D("96.4"), HIGHER, "improving"),
    ],
)
def test_direction_of_travel(current, previous, polarity, expected):
    assert k.direction_of_travel(current=current, previous=previous, polarity=polarity) == expected


@pytest.mark.parametrize("polarity", [HIGHER, LOWER, NONE])
@pytest.mark.parametrize(("current", "previous"), [(None, 5), (5, None), (None, None)])
def test_direction_none_when_missing(current, previous, polarity):
    assert k.direction_of_travel(current=current, previous=previous, polarity=polarity) is None


def test_direction_rejects_unknown_polarity():
    with pytest.raises(ValueError):
        k.direction_of_travel(current=1, previous=2, polarity="sideways")


@pytest.mark.parametrize(
    ("direction", "arrow", "label"),
    [
        ("improving", "\u2191", "Improving"),
        ("worsening", "\u2193", "Worsening"),
        ("no change", "\u2192", "No change"),
        ("increasing", "\u2191", "Increasing"),
        ("decreasing", "\u2193", "Decreasing"),
    ],
)
def test_direction_arrows_and_labels(direction, arrow, label):
    assert k.DIRECTION_ARROWS[direction] == arrow
    assert k.direction_label(direction) == label
    assert k.direction_label(direction, with_arrow=True) == f"{arrow} {label}"


def test_every_direction_has_arrow_and_label():
    assert set(k.DIRECTION_ARROWS) == set(k.DIRECTIONS) == set(k.DIRECTION_LABELS)


def test_direction_label_missing_and_unknown():
    assert k.direction_label(None) == "No comparison available"
    assert k.direction_label(None, with_arrow=True) == "No comparison available"
    with pytest.raises(ValueError):
        k.direction_label("sideways")


# --- financial year -------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "start_month", "expected"),
    [
        (date(2026, 4, 1), 4, 2026),
        (date(2026, 3, 31), 4, 2025),
        (date(2027, 3, 31), 4, 2026),
        (date(2026, 12, 31), 4, 2026),
        (date(2027, 1, 1), 4, 2026),
        (date(2024, 2, 29), 4, 2023),
        (date(2026, 1, 1), 1, 2026),
        (date(2026, 12, 31), 1, 2026),
        (date(2026, 6, 30), 7, 2025),
        (date(2026, 7, 1), 7, 2026),
        (date(2026, 9, 30), 10, 2025),
        (date(2026, 10, 1), 10, 2026),
        (date(2026, 12, 31), 12, 2026),
        (date(2026, 11, 30), 12, 2025),
    ],
)
def test_financial_year_start(d, start_month, expected):
    assert year_rules.financial_year_start(d, start_month) == expected
    assert year_rules.financial_year_start(d, start_month=start_month) == expected


def test_financial_year_start_defaults_to_april():
    assert year_rules.financial_year_start(date(2026, 3, 31)) == 2025
    assert year_rules.financial_year_start(date(2026, 4, 1)) == 2026


@pytest.mark.parametrize("start_month", [0, 13, -1])
def test_bad_start_month_rejected(start_month):
    with pytest.raises(ValueError):
        year_rules.financial_year_start(date(2026, 1, 1), start_month)
    with pytest.raises(ValueError):
        year_rules.fy_bounds(2026, start_month)
    with pytest.raises(ValueError):
        year_rules.quarter_of(date(2026, 1, 1), start_month)


@pytest.mark.parametrize(
    ("year", "start_month", "label"),
    [
        (2026, 4, "2026/27"),
        (2025, 4, "2025/26"),
        (1999, 4, "1999/00"),
        (2009, 4, "2009/10"),
        (2099, 4, "2099/00"),
        (2026, 7, "2026/27"),
        (2026, 1, "2026"),
    ],
)
def test_fy_label_round_trips(year, start_month, label):
    assert year_rules.fy_label(year, start_month) == label
    assert year_rules.parse_fy_label(label, start_month) == year


def test_fy_label_default_april():
    assert year_rules.fy_label(2026) == "2026/27"


@pytest.mark.parametrize(
    ("d", "start_month", "label"),
    [
        (date(2026, 10, 15), 4, "2026/27"),
        (date(2027, 3, 31), 4, "2026/27"),
        (date(2026, 3, 31), 4, "2025/26"),
        (date(2026, 8, 1), 9, "2025/26"),
        (date(2026, 8, 1), 1, "2026"),
    ],
)
def test_fy_label_for_date(d, start_month, label):
    assert year_rules.fy_label_for_date(d, start_month) == label


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2026/27", 2026),
        (" 2026/27 ", 2026),
        ("2026-27", 2026),
        ("2026\u201327", 2026),
        ("2026/2027", 2026),
        ("2026 / 27", 2026),
        ("1999/00", 1999),
        ("1999/2000", 1999),
    ],
)
def test_parse_fy_label_accepts(label, expected):
    assert year_rules.parse_fy_label(label) == expected


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2026",  # bare year only for a January start
        "2026/28",
        "2026/26",
        "2026/2028",
        "26/27",
        "2026/7",
        "2026/027",
        "FY2026/27",
        "2026/27/28",
        "abcd/ef",
        None,
        2026,
    ],
)
def test_parse_fy_label_rejects(label):
    with pytest.raises(ValueError):
        year_rules.parse_fy_label(label)


def test_parse_fy_label_january_start_rejects_nonsense():
    with pytest.raises(ValueError):
        year_rules.parse_fy_label("20266", 1)


@pytest.mark.parametrize(
    ("year", "start_month", "first", "last"),
    [
        (2026, 4, date(2026, 4, 1), date(2027, 3, 31)),
        (2023, 4, date(2023, 4, 1), date(2024, 3, 31)),
        (2026, 1, date(2026, 1, 1), date(2026, 12, 31)),
        (2026, 7, date(2026, 7, 1), date(2027, 6, 30)),
        (2027, 3, date(2027, 3, 1), date(2028, 2, 29)),  # ends on a leap day
        (2026, 3, date(2026, 3, 1), date(2027, 2, 28)),
        (2026, 12, date(2026, 12, 1), date(2027, 11, 30)),
    ],
)
def test_fy_bounds(year, start_month, first, last):
    assert year_rules.fy_bounds(year, start_month) == (first, last)


@pytest.mark.parametrize(
    ("d", "start_month", "q"),
    [
        (date(2026, 4, 1), 4, 1),
        (date(2026, 6, 30), 4, 1),
        (date(2026, 7, 1), 4, 2),
        (date(2026, 9, 30), 4, 2),
        (date(2026, 10, 1), 4, 3),
        (date(2026, 12, 31), 4, 3),
        (date(2027, 1, 1), 4, 4),
        (date(2027, 3, 31), 4, 4),
        (date(2024, 2, 29), 4, 4),
        (date(2026, 1, 1), 1, 1),
        (date(2026, 3, 31), 1, 1),
        (date(2026, 4, 1), 1, 2),
        (date(2026, 12, 31), 1, 4),
        (date(2026, 7, 1), 7, 1),
        (date(2026, 6, 30), 7, 4),
        (date(2026, 1, 15), 7, 3),
        (date(2026, 11, 1), 11, 1),
        (date(2026, 10, 31), 11, 4),
    ],
)
def test_quarter_of(d, start_month, q):
    assert year_rules.quarter_of(d, start_month) == q


@pytest.mark.parametrize(
    ("year", "q", "start_month", "first", "last"),
    [
        (2026, 1, 4, date(2026, 4, 1), date(2026, 6, 30)),
        (2026, 2, 4, date(2026, 7, 1), date(2026, 9, 30)),
        (2026, 3, 4, date(2026, 10, 1), date(2026, 12, 31)),
        (2026, 4, 4, date(2027, 1, 1), date(2027, 3, 31)),
        (2023, 4, 4, date(2024, 1, 1), date(2024, 3, 31)),
        (2026, 1, 1, date(2026, 1, 1), date(2026, 3, 31)),
        (2026, 4, 1, date(2026, 10, 1), date(2026, 12, 31)),
        (2027, 4, 12, date(2028, 9, 1), date(2028, 11, 30)),
        (2027, 1, 12, date(2027, 12, 1), date(2028, 2, 29)),  # leap Feb end
        (2026, 1, 12, date(2026, 12, 1), date(2027, 2, 28)),
        (2026, 4, 11, date(2027, 8, 1), date(2027, 10, 31)),
    ],
)
def test_quarter_bounds(year, q, start_month, first, last):
    assert year_rules.quarter_bounds(year, q, start_month) == (first, last)


@pytest.mark.parametrize("q", [0, 5, -1, True])
def test_quarter_bounds_rejects_bad_quarter(q):
    with pytest.raises(ValueError):
        year_rules.quarter_bounds(2026, q)


@pytest.mark.parametrize("start_month", range(1, 13))
def test_quarters_tile_the_year(start_month):
    first, last = year_rules.fy_bounds(2027, start_month)
    bounds = [year_rules.quarter_bounds(2027, q, start_month) for q in range(1, 5)]
    assert bounds[0][0] == first
    assert bounds[-1][1] == last
    for (_, end), (start, _) in pairwise(bounds):
        assert (start - end).days == 1
    for q, (start, end) in enumerate(bounds, 1):
        assert year_rules.quarter_of(start, start_month) == q
        assert year_rules.quarter_of(end, start_month) == q
        assert year_rules.financial_year_start(start, start_month) == 2027
        assert year_rules.financial_year_start(end, start_month) == 2027


# --- periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "frequency", "start_month", "expected"),
    [
        (date(2026, 10, 15), MONTHLY, 4, date(2026, 10, 31)),
        (date(2026, 10, 31), MONTHLY, 4, date(2026, 10, 31)),
        (date(2026, 11, 1), MONTHLY, 4, date(2026, 11, 30)),
        (date(2024, 2, 1), MONTHLY, 4, date(2024, 2, 29)),
        (date(2023, 2, 1), MONTHLY, 4, date(2023, 2, 28)),
        (date(2100, 2, 10), MONTHLY, 4, date(2100, 2, 28)),  # not a leap year
        (date(2000, 2, 10), MONTHLY, 4, date(2000, 2, 29)),  # leap year
        (date(2026, 12, 31), MONTHLY, 1, date(2026, 12, 31)),
        (date(2026, 4, 1), QUARTERLY, 4, date(2026, 6, 30)),
        (date(2026, 6, 30), QUARTERLY, 4, date(2026, 6, 30)),
        (date(2026, 10, 15), QUARTERLY, 4, date(2026, 12, 31)),
        (date(2027, 2, 14), QUARTERLY, 4, date(2027, 3, 31)),
        (date(2026, 2, 14), QUARTERLY, 1, date(2026, 3, 31)),
        (date(2026, 2, 14), QUARTERLY, 12, date(2026, 2, 28)),
        (date(2028, 1, 14), QUARTERLY, 12, date(2028, 2, 29)),
        (date(2026, 12, 1), QUARTERLY, 12, date(2027, 2, 28)),
        (date(2026, 8, 1), QUARTERLY, 7, date(2026, 9, 30)),
        (date(2026, 4, 1), ANNUAL, 4, date(2027, 3, 31)),
        (date(2026, 3, 31), ANNUAL, 4, date(2026, 3, 31)),
        (date(2026, 10, 15), ANNUAL, 4, date(2027, 3, 31)),
        (date(2026, 10, 15), ANNUAL, 1, date(2026, 12, 31)),
        (date(2027, 6, 1), ANNUAL, 3, date(2028, 2, 29)),
        (date(2026, 6, 1), ANNUAL, 3, date(2027, 2, 28)),
    ],
)
def test_period_end_for(d, frequency, start_month, expected):
    assert year_rules.period_end_for(d, frequency, start_month) == expected
    assert year_rules.is_period_end(expected, frequency, start_month)


@pytest.mark.parametrize(
    ("d", "frequency", "start_month", "expected"),
    [
        (date(2026, 10, 31), MONTHLY, 4, True),
        (date(2026, 10, 30), MONTHLY, 4, False),
        (date(2024, 2, 28), MONTHLY, 4, False),
        (date(2024, 2, 29), MONTHLY, 4, True),
        (date(2023, 2, 28), MONTHLY, 4, True),
        (date(2026, 6, 30), QUARTERLY, 4, True),
        (date(2026, 7, 31), QUARTERLY, 4, False),
        (date(2026, 3, 31), QUARTERLY, 4, True),
        (date(2026, 3, 31), QUARTERLY, 1, True),
        (date(2026, 4, 30), QUARTERLY, 2, True),
        (date(2026, 3, 31), QUARTERLY, 2, False),
        (date(2027, 3, 31), ANNUAL, 4, True),
        (date(2026, 12, 31), ANNUAL, 4, False),
        (date(2026, 12, 31), ANNUAL, 1, True),
        (date(2027, 6, 30), ANNUAL, 7, True),
    ],
)
def test_is_period_end(d, frequency, start_month, expected):
    assert year_rules.is_period_end(d, frequency, start_month) is expected


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (year_rules.period_end_for, (date(2026, 1, 1), "weekly")),
        (year_rules.is_period_end, (date(2026, 1, 1), "fortnightly")),
        (year_rules.period_ends_in_year, (2026, "daily")),
        (year_rules.previous_period_end, (date(2026, 1, 31), "")),
        (year_rules.same_period_last_year, (date(2026, 1, 31), "Monthly")),
        (year_rules.period_label, (date(2026, 1, 31), "biannual")),
    ],
)
def test_unknown_frequency_rejected(func, args):
    with pytest.raises(ValueError):
        func(*args)


def test_period_ends_in_year_monthly_april():
    assert year_rules.period_ends_in_year(2023, MONTHLY) == [
        date(2023, 4, 30),
        date(2023, 5, 31),
        date(2023, 6, 30),
        date(2023, 7, 31),
        date(2023, 8, 31),
        date(2023, 9, 30),
        date(2023, 10, 31),
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]


@pytest.mark.parametrize(
    ("year", "frequency", "start_month", "expected"),
    [
        (
            2026,
            QUARTERLY,
            4,
            [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31), date(2027, 3, 31)],
        ),
        (
            2026,
            QUARTERLY,
            1,
            [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
        ),
        (
            2027,
            QUARTERLY,
            12,
            [date(2028, 2, 29), date(2028, 5, 31), date(2028, 8, 31), date(2028, 11, 30)],
        ),
        (2026, ANNUAL, 4, [date(2027, 3, 31)]),
        (2026, ANNUAL, 1, [date(2026, 12, 31)]),
        (2026, ANNUAL, 9, [date(2027, 8, 31)]),
    ],
)
def test_period_ends_in_year(year, frequency, start_month, expected):
    assert year_rules.period_ends_in_year(year, frequency, start_month) == expected


@pytest.mark.parametrize("start_month", range(1, 13))
@pytest.mark.parametrize(("frequency", "count"), [(MONTHLY, 12), (QUARTERLY, 4), (ANNUAL, 1)])
def test_period_ends_in_year_are_period_ends_in_that_year(start_month, frequency, count):
    ends = year_rules.period_ends_in_year(2027, frequency, start_month)
    assert len(ends) == count
    assert ends == sorted(ends)
    assert ends[-1] == year_rules.fy_bounds(2027, start_month)[1]
    for end in ends:
        assert year_rules.is_period_end(end, frequency, start_month)
        assert year_rules.financial_year_start(end, start_month) == 2027
    # each period's previous is the one before it
    for before, after in pairwise(ends):
        assert year_rules.previous_period_end(after, frequency, start_month) == before


@pytest.mark.parametrize(
    ("period_end", "frequency", "start_month", "expected"),
    [
        (date(2026, 10, 31), MONTHLY, 4, date(2026, 9, 30)),
        (date(2026, 1, 31), MONTHLY, 4, date(2025, 12, 31)),
        (date(2024, 3, 31), MONTHLY, 4, date(2024, 2, 29)),
        (date(2023, 3, 31), MONTHLY, 4, date(2023, 2, 28)),
        (date(2026, 10, 15), MONTHLY, 4, date(2026, 9, 30)),  # normalised first
        (date(2026, 6, 30), QUARTERLY, 4, date(2026, 3, 31)),  # Q1 -> last year's Q4
        (date(2027, 3, 31), QUARTERLY, 4, date(2026, 12, 31)),
        (date(2026, 12, 31), QUARTERLY, 4, date(2026, 9, 30)),
        (date(2026, 11, 5), QUARTERLY, 4, date(2026, 9, 30)),  # normalised first
        (date(2026, 3, 31), QUARTERLY, 1, date(2025, 12, 31)),
        (date(2028, 5, 31), QUARTERLY, 12, date(2028, 2, 29)),
        (date(2027, 3, 31), ANNUAL, 4, date(2026, 3, 31)),
        (date(2026, 12, 31), ANNUAL, 1, date(2025, 12, 31)),
        (date(2028, 2, 29), ANNUAL, 3, date(2027, 2, 28)),
    ],
)
def test_previous_period_end(period_end, frequency, start_month, expected):
    assert year_rules.previous_period_end(period_end, frequency, start_month) == expected


@pytest.mark.parametrize(
    ("period_end", "frequency", "start_month", "expected"),
    [
        (date(2026, 10, 31), MONTHLY, 4, date(2025, 10, 31)),
        (date(2024, 2, 29), MONTHLY, 4, date(2023, 2, 28)),  # leap -> non-leap
        (date(2025, 2, 28), MONTHLY, 4, date(2024, 2, 29)),  # non-leap -> leap
        (date(2026, 1, 31), MONTHLY, 4, date(2025, 1, 31)),
        (date(2026, 10, 5), MONTHLY, 4, date(2025, 10, 31)),  # normalised first
        (date(2026, 12, 31), QUARTERLY, 4, date(2025, 12, 31)),
        (date(2027, 3, 31), QUARTERLY, 4, date(2026, 3, 31)),
        (date(2026, 6, 30), QUARTERLY, 4, date(2025, 6, 30)),
        (date(2028, 2, 29), QUARTERLY, 12, date(2027, 2, 28)),
        (date(2027, 2, 28), QUARTERLY, 12, date(2026, 2, 28)),
        (date(2029, 2, 28), QUARTERLY, 12, date(2028, 2, 29)),
        (date(2027, 3, 31), ANNUAL, 4, date(2026, 3, 31)),
        (date(2028, 2, 29), ANNUAL, 3, date(2027, 2, 28)),
        (date(2026, 12, 31), ANNUAL, 1, date(2025, 12, 31)),
    ],
)
def test_same_period_last_year(period_end, frequency, start_month, expected):
    assert year_rules.same_period_last_year(period_end, frequency, start_month) == expected


@pytest.mark.parametrize("start_month", range(1, 13))
@pytest.mark.parametrize("frequency", [MONTHLY, QUARTERLY, ANNUAL])
def test_same_period_last_year_keeps_quarter_and_label(start_month, frequency):
    for end in year_rules.period_ends_in_year(2028, frequency, start_month):
        last_year = year_rules.same_period_last_year(end, frequency, start_month)
        assert year_rules.is_period_end(last_year, frequency, start_month)
        assert year_rules.financial_year_start(last_year, start_month) == 2027
        assert year_rules.quarter_of(last_year, start_month) == year_rules.quarter_of(end, start_month)
        assert last_year.month == end.month


@pytest.mark.parametrize(
    ("period_end", "frequency", "start_month", "label"),
    [
        (date(2026, 10, 31), MONTHLY, 4, "Oct 2026"),
        (date(2027, 1, 31), MONTHLY, 4, "Jan 2027"),
        (date(2024, 2, 29), MONTHLY, 4, "Feb 2024"),
        (date(2026, 9, 30), MONTHLY, 1, "Sep 2026"),
        (date(2026, 12, 31), QUARTERLY, 4, "Q3 2026/27"),
        (date(2027, 3, 31), QUARTERLY, 4, "Q4 2026/27"),
        (date(2026, 6, 30), QUARTERLY, 4, "Q1 2026/27"),
        (date(2026, 3, 31), QUARTERLY, 4, "Q4 2025/26"),
        (date(2026, 3, 31), QUARTERLY, 1, "Q1 2026"),
        (date(2026, 9, 30), QUARTERLY, 7, "Q1 2026/27"),
        (date(2027, 3, 31), ANNUAL, 4, "2026/27"),
        (date(2026, 12, 31), ANNUAL, 1, "2026"),
        (date(2027, 6, 30), ANNUAL, 7, "2026/27"),
        (date(2000, 3, 31), ANNUAL, 4, "1999/00"),
    ],
)
def test_period_label(period_end, frequency, start_month, label):
    assert year_rules.period_label(period_end, frequency, start_month) == label


def test_period_label_default_april():
    assert year_rules.period_label(date(2026, 12, 31), QUARTERLY) == "Q3 2026/27"


@pytest.mark.parametrize(
    ("period_end", "today", "lag", "expected"),
    [
        (date(2026, 6, 30), date(2026, 7, 30), 30, False),  # last allowed day
        (date(2026, 6, 30), date(2026, 7, 31), 30, True),
        (date(2026, 6, 30), date(2026, 6, 30), 0, False),
        (date(2026, 6, 30), date(2026, 7, 1), 0, True),
        (date(2026, 6, 30), date(2026, 5, 1), 0, False),  # period not over
        (date(2024, 2, 29), date(2024, 3, 30), 30, False),
        (date(2024, 2, 29), date(2024, 3, 31), 30, True),
        (date(2026, 12, 31), date(2027, 1, 31), 31, False),
        (date(2026, 12, 31), date(2027, 2, 1), 31, True),
        (date(2026, 3, 31), date(2026, 7, 1), 90, True),  # lags by months
    ],
)
def test_is_result_overdue(period_end, today, lag, expected):
    assert year_rules.is_result_overdue(period_end=period_end, today=today, lag_days=lag) is expected


def test_is_result_overdue_rejects_negative_lag():
    with pytest.raises(ValueError):
        year_rules.is_result_overdue(period_end=date(2026, 6, 30), today=date(2026, 7, 1), lag_days=-1)


def test_is_result_overdue_is_keyword_only():
    with pytest.raises(TypeError):
        year_rules.is_result_overdue(date(2026, 6, 30), date(2026, 7, 1), 0)  # type: ignore[misc]


# --- formatting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "places", "expected"),
    [
        (D("96.4"), "percent", 1, "96.4%"),
        (D("96.44"), "percent", 1, "96.4%"),
        (D("96.45"), "percent", 1, "96.5%"),  # half up, not banker's rounding
        (96.4, "percent", 1, "96.4%"),
        (100, "percent", 0, "100%"),
        (D("0.5"), "percent", 0, "1%"),
        (D("2.5"), "percent", 0, "3%"),
        (D("1234.5"), "currency", 2, "£1,234.50"),
        (1234567, "currency", 0, "£1,234,567"),
        (0, "currency", 2, "£0.00"),
        (D("-1234.5"), "currency", 2, "-£1,234.50"),
        (D("0.005"), "currency", 2, "£0.01"),
        (D("12.34"), "days", 1, "12.3 days"),
        (D("12.35"), "days", 1, "12.4 days"),
        (1, "days", 0, "1 day"),
        (1, "days", 1, "1.0 days"),
        (0, "days", 0, "0 days"),
        (D("1234.5"), "days", 1, "1,234.5 days"),
        (1234, "count", 0, "1,234"),
        (1234567, "count", 0, "1,234,567"),
        (7, "count", 0, "7"),
        (D("2.5"), "count", 0, "3"),
        (D("-1234"), "count", 0, "-1,234"),
        (D("4.256"), "rate", 2, "4.26"),
        (D("45"), "rate", 1, "45.0"),
        (D("12345.6"), "rate", 1, "12,345.6"),
        (-0.04, "percent", 1, "0.0%"),  # rounds to zero: no "-0.0%"
        (D("-0.4"), "count", 0, "0"),
        (D("-5.5"), "percent", 0, "-6%"),  # half away from zero
    ],
)
def test_format_value(value, unit, places, expected):
    assert k.format_value(value, unit, places) == expected


@pytest.mark.parametrize("unit", ["percent", "currency", "days", "count", "rate", "", None])
def test_format_value_missing_is_en_dash(unit):
    assert k.format_value(None, unit, 2) == "\u2013"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (D("96.44"), "percent", "96.4%"),
        (D("1234.5"), "currency", "£1,234.50"),
        (D("12.34"), "days", "12.3 days"),
        (D("1234.4"), "count", "1,234"),
        (D("4.256"), "rate", "4.26"),
        (D("4.256"), None, "4.26"),
    ],
)
def test_format_value_default_places(value, unit, expected):
    assert k.format_value(value, unit) == expected


@pytest.mark.parametrize("unit", ["", None, "widgets"])
def test_format_value_unknown_unit_is_plain(unit):
    assert k.format_value(D("1234.5"), unit, 1) == "1,234.5"


@pytest.mark.parametrize(
    ("value", "places", "error"),
    [
        (1, -1, ValueError),
        (1, 1.5, TypeError),
        ("12", 0, TypeError),
        (float("nan"), 0, ValueError),
    ],
)
def test_format_value_rejects_bad_input(value, places, error):
    with pytest.raises(error):
        k.format_value(value, "count", places)
