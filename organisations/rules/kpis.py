"""Pure rules for KPI results: RAG status, direction of travel and value formatting.

Nothing here touches Django or the database, so the rules can be tested
exhaustively and reused by models, views, imports and the Celery flag job alike
(the rules in README.md). Inputs are plain values: Decimal, int, float, str.
Financial years and reporting periods are in ``organisations/rules/years.py``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = Decimal | int | float

# --- Vocabulary -------------------------------------------------------------
# Plain strings rather than enums so they can be stored in CharFields and
# compared in templates without conversion.

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"  # monitoring only: no target or no polarity, nothing to judge against
STATUSES = (GREEN, AMBER, RED, GREY)

HIGHER = "higher"  # higher is better ("aim to maximise")
LOWER = "lower"  # lower is better ("aim to minimise")
NONE = "none"  # no better direction: monitoring only
POLARITIES = (HIGHER, LOWER, NONE)

PERCENT = "percent"  # tolerance as a percentage of the target
ABSOLUTE = "absolute"  # tolerance in the KPI's own units
TOLERANCE_KINDS = (PERCENT, ABSOLUTE)

IMPROVING = "improving"
WORSENING = "worsening"
NO_CHANGE = "no change"
INCREASING = "increasing"
DECREASING = "decreasing"
DIRECTIONS = (IMPROVING, WORSENING, NO_CHANGE, INCREASING, DECREASING)

# Units understood by format_value. PERCENT is shared with the tolerance kind
# on purpose: both are the string "percent".
UNIT_PERCENT = "percent"
UNIT_CURRENCY = "currency"
UNIT_DAYS = "days"
UNIT_COUNT = "count"
UNIT_RATE = "rate"
UNITS = (UNIT_PERCENT, UNIT_CURRENCY, UNIT_DAYS, UNIT_COUNT, UNIT_RATE)

# Shown for a missing value, so an empty cell is visibly "no data", not zero.
MISSING = "\u2013"  # en dash

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def _to_decimal(x: Number) -> Decimal:
    """Convert to Decimal through str() so a float such as 0.1 becomes
    Decimal("0.1"), not its binary approximation."""
    # bool is an int subclass; True as a KPI value is always a bug upstream.
    if isinstance(x, bool) or not isinstance(x, Decimal | int | float):
        raise TypeError(f"expected a number, got {type(x).__name__}")
    try:
        d = Decimal(str(x))
    except InvalidOperation as exc:  # pragma: no cover - str() of a number parses
        raise ValueError(f"not a number: {x!r}") from exc
    if not d.is_finite():
        # NaN compares false with everything and would silently grade green.
        raise ValueError(f"not a finite number: {x!r}")
    return d


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}; expected one of {POLARITIES}")


# --- RAG status ------------------------------------------------------------


def shortfall(*, value: Number, target: Number, polarity: str, tolerance_kind: str) -> Decimal:
    """How far ``value`` is on the bad side of ``target``; 0 when on or better.

    In percent of |target| for a percent tolerance, else in the KPI's units.
    |target| so that a negative target (e.g. a budget variance) still yields a
    positive shortfall. A percent of a zero target is undefined, so a zero
    target is measured in absolute units instead. Polarity ``none`` has no bad
    side, so its shortfall is always 0.
    """
    _check_polarity(polarity)
    if tolerance_kind not in TOLERANCE_KINDS:
        raise ValueError(f"unknown tolerance kind {tolerance_kind!r}; expected one of {TOLERANCE_KINDS}")
    v = _to_decimal(value)
    t = _to_decimal(target)
    if polarity == HIGHER:
        gap = t - v
    elif polarity == LOWER:
        gap = v - t
    else:
        return _ZERO
    if gap <= 0:
        return _ZERO
    if tolerance_kind == PERCENT and t != 0:
        return gap / abs(t) * _HUNDRED
    return gap


def rag_status(
    *,
    value: Number | None,
    target: Number | None,
    polarity: str,
    tolerance_kind: str,
    green_tolerance: Number = 0,
    amber_tolerance: Number | None = None,
) -> str:
    """RAG status of one result against the target of its period.

    Grey when there is nothing to judge: no target, polarity ``none``, or no
    value. Otherwise the shortfall decides, with each bound inclusive toward the
    better status (a shortfall exactly at the green tolerance is green).
    ``green_tolerance`` defaults to 0 (green means on or better than target);
    ``amber_tolerance`` of None means the KPI has no amber band, so anything
    beyond green is red. An amber tolerance below the green one likewise leaves
    no amber band rather than raising, since green is checked first.
    """
    _check_polarity(polarity)
    if target is None or polarity == NONE or value is None:
        return GREY
    green_tol = _to_decimal(green_tolerance)
    amber_tol = green_tol if amber_tolerance is None else _to_decimal(amber_tolerance)
    if green_tol < 0 or amber_tol < 0:
        # A negative tolerance would make an on-target result amber or red.
        raise ValueError("tolerances must not be negative")
    gap = shortfall(value=value, target=target, polarity=polarity, tolerance_kind=tolerance_kind)
    if gap <= green_tol:
        return GREEN
    if gap <= amber_tol:
        return AMBER
    return RED


# --- Direction of travel ---------------------------------------------------

# Arrows go with the words, never instead of them, and never colour alone
# (WCAG 1.4.1). Up means "better" with polarity and "bigger" without.
DIRECTION_ARROWS: dict[str, str] = {
    IMPROVING: "\u2191",  # ↑
    WORSENING: "\u2193",  # ↓
    NO_CHANGE: "\u2192",  # →
    INCREASING: "\u2191",  # ↑
    DECREASING: "\u2193",  # ↓
}

DIRECTION_LABELS: dict[str, str] = {
    IMPROVING: "Improving",
    WORSENING: "Worsening",
    NO_CHANGE: "No change",
    INCREASING: "Increasing",
    DECREASING: "Decreasing",
}

# Shown when there is no earlier result to compare with.
NO_COMPARISON_LABEL = "No comparison available"


def direction_of_travel(*, current: Number | None, previous: Number | None, polarity: str) -> str | None:
    """LG Inform-style direction: improving / worsening / no change with a
    polarity, increasing / decreasing / no change without. None when either
    value is missing, because a missing figure is not "no change"."""
    _check_polarity(polarity)
    if current is None or previous is None:
        return None
    c = _to_decimal(current)
    p = _to_decimal(previous)
    # Exact comparison: any rounding threshold belongs to the caller, who knows
    # the KPI's decimal places.
    if c == p:
        return NO_CHANGE
    went_up = c > p
    if polarity == HIGHER:
        return IMPROVING if went_up else WORSENING
    if polarity == LOWER:
        return WORSENING if went_up else IMPROVING
    return INCREASING if went_up else DECREASING


def direction_label(direction: str | None, *, with_arrow: bool = False) -> str:
    """Words for a direction ("Improving"), optionally prefixed by its arrow
    ("↑ Improving"). None reads "No comparison available" so a table cell is
    never blank."""
    if direction is None:
        return NO_COMPARISON_LABEL
    try:
        words = DIRECTION_LABELS[direction]
    except KeyError:
        raise ValueError(f"unknown direction {direction!r}") from None
    return f"{DIRECTION_ARROWS[direction]} {words}" if with_arrow else words


# --- Formatting --------------------------------------------------------------

_DEFAULT_PLACES = {
    UNIT_PERCENT: 1,
    UNIT_CURRENCY: 2,
    UNIT_DAYS: 1,
    UNIT_COUNT: 0,
    UNIT_RATE: 2,
}


def format_value(value: Number | None, unit: str | None, decimal_places: int | None = None) -> str:
    """Display a KPI value: "96.4%", "£1,234.50", "12.3 days", "1,234", "4.25".

    Rounds half up (what readers of a report expect, unlike Python's default
    banker's rounding). Thousands are separated by commas in every unit, as the
    GOV.UK style guide asks. ``decimal_places`` None uses the unit's usual
    places; an unknown or empty unit formats as a plain number rather than
    failing a whole dashboard. None becomes an en dash.
    """
    if value is None:
        return MISSING
    if decimal_places is None:
        decimal_places = _DEFAULT_PLACES.get(unit or "", 2)
    if isinstance(decimal_places, bool) or not isinstance(decimal_places, int):
        raise TypeError("decimal_places must be an int")
    if decimal_places < 0:
        raise ValueError("decimal_places must not be negative")
    d = _to_decimal(value).quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""  # also drops the sign of a value that rounds to -0
    body = f"{abs(d):,.{decimal_places}f}"
    if unit == UNIT_CURRENCY:
        return f"{sign}£{body}"
    if unit == UNIT_PERCENT:
        return f"{sign}{body}%"
    if unit == UNIT_DAYS:
        return f"{sign}{body} {'day' if body == '1' else 'days'}"
    return f"{sign}{body}"
