"""KPI thresholds in words for the pages and forms: each status's band for a
target, both ways of measuring a tolerance worked for one target, and how
direction of travel is judged. Pure, like ``organisations/rules/kpis.py``, whose
vocabulary and formatting they use."""

from __future__ import annotations

from decimal import Decimal

from organisations.rules.kpis import (
    AMBER,
    GREEN,
    HIGHER,
    LOWER,
    NONE,
    PERCENT,
    RED,
    TOLERANCE_KINDS,
    Number,
    _check_polarity,
    _plain,
    _to_decimal,
    format_difference,
    format_value,
)

_HUNDRED = Decimal(100)


def travel_words(cumulative: bool) -> str:
    """How direction of travel is judged for a KPI, in words (the KPI page)."""
    if cumulative:
        return (
            "Against the same period last year, year to date against year to date: a year-to-date "
            "figure builds through the year, so it is not compared with the previous period"
        )
    return "Against the previous period, and the same period last year alongside"


def tolerance_limit(*, target: Number, tolerance: Number, tolerance_kind: str, polarity: str) -> Decimal:
    """The value at the edge of a tolerance: the target moved to its bad side by
    the tolerance, as ``shortfall`` measures it (a percentage of |target|, or
    the KPI's units; a percentage of a zero target counts in units)."""
    _check_polarity(polarity)
    if tolerance_kind not in TOLERANCE_KINDS:
        raise ValueError(f"unknown tolerance kind {tolerance_kind!r}; expected one of {TOLERANCE_KINDS}")
    t, tol = _to_decimal(target), _to_decimal(tolerance)
    amount = abs(t) * tol / _HUNDRED if tolerance_kind == PERCENT and t != 0 else tol
    if polarity == LOWER:
        return t + amount
    return t - amount


def _side(polarity: str) -> str:
    return "above" if polarity == LOWER else "below"


def _tolerance_amount(tolerance_kind: str, tolerance: Decimal, unit: str | None) -> str:
    if tolerance_kind == PERCENT:
        return f"{_plain(tolerance)}% of the target"
    return format_difference(tolerance, unit)


def tolerance_bands(
    *,
    tolerance_kind: str,
    green: Number,
    amber: Number,
    target: Number,
    unit: str | None,
    polarity: str,
    places: int | None = None,
) -> list[tuple[str, str]]:
    """Each status's band in words, best first, with the values it starts from
    for this target: ``[("green", "Green: on target or better (80.0% or more)"),
    ("amber", "Amber: up to 8 percentage points below target (down to 72.0%)"),
    ("red", "Red: more than 8 percentage points below target (below 72.0%)")]``.
    A KPI with no better direction has no bands (it is monitoring only)."""
    _check_polarity(polarity)
    if polarity == NONE:
        return []
    g, a = _to_decimal(green), _to_decimal(amber)
    side = _side(polarity)
    better = "or more" if polarity == HIGHER else "or less"
    t = _to_decimal(target)

    def limit(tol: Decimal) -> str:
        edge = tolerance_limit(target=t, tolerance=tol, tolerance_kind=tolerance_kind, polarity=polarity)
        return format_value(edge, unit, places)

    if g == 0:
        bands = [(GREEN, f"Green: on target or better ({format_value(t, unit, places)} {better})")]
    else:
        bands = [
            (
                GREEN,
                f"Green: on target or better, or up to {_tolerance_amount(tolerance_kind, g, unit)} "
                f"{side} target ({limit(g)} {better})",
            )
        ]
    edge = max(g, a)
    if a > g:
        bands.append(
            (
                AMBER,
                f"Amber: up to {_tolerance_amount(tolerance_kind, a, unit)} {side} target "
                f"({'down' if polarity == HIGHER else 'up'} to {limit(a)})",
            )
        )
    beyond = "below" if polarity == HIGHER else "above"
    if edge == 0:
        bands.append((RED, f"Red: anything {side} target"))
    else:
        bands.append(
            (
                RED,
                f"Red: more than {_tolerance_amount(tolerance_kind, edge, unit)} {side} target "
                f"({beyond} {limit(edge)})",
            )
        )
    return bands


def tolerance_kinds_example(
    *, target: Number, amber: Number, unit: str | None, polarity: str, places: int | None = None
) -> list[tuple[str, str]]:
    """Both ways of measuring a tolerance, worked for one target and amber
    tolerance, for the target form: [(kind, words)]. For a target of 80% and 8:
    percentage of target, "amber down to 73.6% (8% of 80.0% is 6.4 percentage
    points)"; absolute, "amber down to 72.0% (8 percentage points below)"."""
    _check_polarity(polarity)
    if polarity == NONE:
        return []
    t, a = _to_decimal(target), _to_decimal(amber)
    side = _side(polarity)
    towards = "down" if polarity == HIGHER else "up"
    out = []
    for kind in TOLERANCE_KINDS:
        edge = tolerance_limit(target=t, tolerance=a, tolerance_kind=kind, polarity=polarity)
        if kind == PERCENT:
            gap = format_difference(abs(edge - t), unit)
            words = (
                f"Percentage of target: an amber tolerance of {_plain(a)} is {_plain(a)}% of the target. "
                f"With a target of {format_value(t, unit, places)}, that is {gap} {side} it, so amber "
                f"reaches {towards} to {format_value(edge, unit, places)}."
            )
        else:
            amount = format_difference(a, unit)
            if amount == _plain(a):
                amount += " in the KPI's units"
            words = (
                f"Absolute: an amber tolerance of {_plain(a)} is {amount}. "
                f"With a target of {format_value(t, unit, places)}, amber reaches {towards} to "
                f"{format_value(edge, unit, places)}."
            )
        out.append((kind, words))
    return out
