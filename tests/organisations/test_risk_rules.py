"""Exhaustive tests for organisations.rules.risks (pure: no Django, no database)."""

import ast
from pathlib import Path

import pytest

from organisations.rules import risks as r


def test_module_imports_only_the_standard_library():
    tree = ast.parse(Path(r.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "collections"}


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_score_is_the_product(likelihood, impact):
    assert r.score(likelihood, impact) == likelihood * impact


@pytest.mark.parametrize(
    ("likelihood", "impact"),
    [(0, 3), (3, 0), (6, 1), (1, 6), (-1, 2), (2.0, 3), ("3", 3), (None, 3), (True, 3), (3, False)],
)
def test_score_rejects_out_of_range(likelihood, impact):
    with pytest.raises(ValueError):
        r.score(likelihood, impact)


# Every score 1..25, including 7, 13 and 14 which no pair of ratings produces.
@pytest.mark.parametrize(
    ("score", "expected"),
    [(s, "low") for s in (1, 2, 3)]
    + [(s, "moderate") for s in (4, 5, 6)]
    + [(s, "high") for s in (7, 8, 9, 10, 11, 12)]
    + [(s, "extreme") for s in range(13, 26)],
)
def test_band(score, expected):
    assert r.band(score) == expected


@pytest.mark.parametrize("score", [0, 26, -1, 100, 12.0, "12", None, True])
def test_band_rejects_out_of_range(score):
    with pytest.raises(ValueError):
        r.band(score)


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (1, 1, "low"),
        (1, 3, "low"),
        (3, 1, "low"),
        (2, 2, "moderate"),
        (2, 3, "moderate"),
        (1, 5, "moderate"),
        (5, 1, "moderate"),
        (2, 4, "high"),
        (3, 3, "high"),
        (3, 4, "high"),
        (4, 3, "high"),
        (3, 5, "extreme"),
        (4, 4, "extreme"),
        (5, 5, "extreme"),
    ],
)
def test_band_of_rating_pairs(likelihood, impact, expected):
    assert r.band(r.score(likelihood, impact)) == expected


def test_npsa_bands_cover_exactly_the_products():
    products = {lk * im for lk in range(1, 6) for im in range(1, 6)}
    by_band = {b: sorted(s for s in products if r.band(s) == b) for b in r.BANDS}
    assert by_band == {
        "low": [1, 2, 3],
        "moderate": [4, 5, 6],
        "high": [8, 9, 10, 12],
        "extreme": [15, 16, 20, 25],
    }


def test_labels():
    assert r.BAND_LABELS == {
        "low": "Low",
        "moderate": "Moderate",
        "high": "High",
        "extreme": "Extreme",
    }
    assert r.LIKELIHOOD_LABELS == {
        1: "Rare",
        2: "Unlikely",
        3: "Possible",
        4: "Likely",
        5: "Almost certain",
    }
    assert r.IMPACT_LABELS == {
        1: "Negligible",
        2: "Minor",
        3: "Moderate",
        4: "Major",
        5: "Catastrophic",
    }


def test_matrix_cells_cover_the_grid_once():
    cells = list(r.matrix_cells())
    assert len(cells) == 25
    assert {(lk, im) for lk, im, _, _ in cells} == {(lk, im) for lk in range(1, 6) for im in range(1, 6)}
    for likelihood, impact, s, b in cells:
        assert s == r.score(likelihood, impact)
        assert b == r.band(s)


def test_matrix_cells_order_is_top_row_almost_certain():
    cells = list(r.matrix_cells())
    assert cells[0] == (5, 1, 5, "moderate")
    assert cells[4] == (5, 5, 25, "extreme")
    assert cells[-1] == (1, 5, 5, "moderate")
    rows = [cells[i : i + 5] for i in range(0, 25, 5)]
    assert [row[0][0] for row in rows] == [5, 4, 3, 2, 1]
    for row in rows:
        assert [cell[1] for cell in row] == [1, 2, 3, 4, 5]


def test_matrix_cells_is_lazy_and_repeatable():
    gen = r.matrix_cells()
    assert iter(gen) is gen
    assert list(r.matrix_cells()) == list(r.matrix_cells())
