"""Pure rules for KPI results: RAG status, direction of travel and value formatting.

Nothing here touches Django or the database, so the rules can be tested
exhaustively and reused by models, views, imports and the Celery flag job alike
(the rules in README.md). Inputs are plain values: Decimal, int, float, str.
Financial years and reporting periods are in ``organisations/rules/years.py``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core import glossary
from core.glossary import (  # noqa: F401  (re-exported: the rules' vocabulary)
    AMBER,
    DECREASING,
    EXCEPTIONS_RED,
    EXCEPTIONS_RED_OR_AMBER,
    EXCEPTIONS_RED_OR_AMBER_WORSENING,
    GREEN,
    GREY,
    IMPROVING,
    INCREASING,
    NO_CHANGE,
    NO_RESULT,
    RED,
    WORSENING,
)

Number = Decimal | int | float

# --- Vocabulary -------------------------------------------------------------
# Plain strings rather than enums so they can be stored in CharFields and
# compared in templates without conversion. The status and direction codes, with
# their words and tag colours, are the glossary's (core/glossary.py).

STATUSES = (GREEN, AMBER, RED, GREY)  # what a stored result can be
SHOWN_STATUSES = glossary.KPI_STATUS_ORDER  # what a KPI's row can show, worst first
NO_RESULT_LABEL = glossary.KPI_STATUS[NO_RESULT].label

HIGHER = "higher"  # higher is better ("aim to maximise")
LOWER = "lower"  # lower is better ("aim to minimise")
NONE = "none"  # no better direction: monitoring only
POLARITIES = (HIGHER, LOWER, NONE)

PERCENT = "percent"  # tolerance as a percentage of the target
ABSOLUTE = "absolute"  # tolerance in the KPI's own units
TOLERANCE_KINDS = (PERCENT, ABSOLUTE)

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
DIRECTION_ARROWS: dict[str, str] = glossary.DIRECTION_ARROWS
DIRECTION_LABELS: dict[str, str] = {code: term.label for code, term in glossary.DIRECTION.items()}

# Shown when there is no earlier result to compare with.
NO_COMPARISON_LABEL = glossary.NO_COMPARISON


def direction_of_travel(
    *, current: Number | None, previous: Number | None, polarity: str, materiality: Number = 0
) -> str | None:
    """LG Inform-style direction: improving / worsening / no change with a
    polarity, increasing / decreasing / no change without. None when either
    value is missing, because a missing figure is not "no change".

    ``materiality`` is the smallest change that counts, in the KPI's units
    (percentage points for a percentage): a change smaller than it is "no
    change", one exactly equal to it counts. 0, the default, counts any change.
    """
    _check_polarity(polarity)
    if current is None or previous is None:
        return None
    c = _to_decimal(current)
    p = _to_decimal(previous)
    threshold = _to_decimal(materiality)
    if threshold < 0:
        raise ValueError("materiality must not be negative")
    if c == p or abs(c - p) < threshold:
        return NO_CHANGE
    went_up = c > p
    if polarity == HIGHER:
        return IMPROVING if went_up else WORSENING
    if polarity == LOWER:
        return WORSENING if went_up else IMPROVING
    return INCREASING if went_up else DECREASING


def headline_direction(
    *, cumulative: bool, direction_previous: str | None, direction_last_year: str | None
) -> str | None:
    """The direction a KPI's row is judged by (worsening, exceptions): against
    the previous period for a point-in-time KPI; for a cumulative (year-to-date)
    KPI against the same period last year, year to date against year to date,
    because a year-to-date figure builds through the year and comparing it with
    the previous period says only that the year went on."""
    return direction_last_year if cumulative else direction_previous


# --- Exceptions ----------------------------------------------------------------

EXCEPTION_RULES = tuple(glossary.EXCEPTION_RULES)


def is_exception(*, status: str, direction: str | None, rule: str = glossary.DEFAULT_EXCEPTION_RULE) -> bool:
    """Whether a KPI's latest result is an exception under the organisation's
    ``rule`` (Organisation.exception_rule): red only; red, or amber and worsening
    (the default); or red or amber. A green, unjudged or missing result never is,
    however it moved, and neither is overdue data (marked on its own)."""
    if rule not in EXCEPTION_RULES:
        raise ValueError(f"unknown exception rule {rule!r}; expected one of {EXCEPTION_RULES}")
    if status == RED:
        return True
    if status != AMBER:
        return False
    if rule == EXCEPTIONS_RED_OR_AMBER:
        return True
    return rule == EXCEPTIONS_RED_OR_AMBER_WORSENING and direction == WORSENING


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


def _plain(d: Decimal) -> str:
    """A threshold without padding zeros, with thousands separated: 0.5000 -> "0.5", 500000 -> "500,000"."""
    d = d.normalize()
    places = max(0, -d.as_tuple().exponent)
    return f"{d:,.{places}f}"


def format_difference(amount: Number, unit: str | None) -> str:
    """A difference or threshold in a KPI's units, in words: "0.5 percentage
    points" (a change in a percentage is in points, never "%"), "1 day",
    "2.5 days", "£500,000", "3". Never padded ("0.0 days")."""
    d = abs(_to_decimal(amount))
    text = _plain(d)
    one = text == "1"
    if unit == UNIT_PERCENT:
        return f"{text} percentage point{'' if one else 's'}"
    if unit == UNIT_DAYS:
        return f"{text} day{'' if one else 's'}"
    if unit == UNIT_CURRENCY:
        return f"£{text}"
    return text


def tolerance_words(*, tolerance_kind: str, green: Number, amber: Number, unit: str | None) -> str:
    """A target's tolerances in words: "green on target or better, amber within
    5% of target", "green within 1 day of target, amber within 2.5 days of
    target", "green on target or better, otherwise red" (no amber band)."""

    def amount(x: Decimal) -> str:
        if tolerance_kind == PERCENT:
            return f"{_plain(x)}% of target"
        return f"{format_difference(x, unit)} of target"

    g, a = _to_decimal(green), _to_decimal(amber)
    words = "green on target or better" if g == 0 else f"green within {amount(g)}"
    if a <= g:
        return f"{words}, otherwise red"
    return f"{words}, amber within {amount(a)}"


def materiality_words(materiality: Number | None, unit: str | None) -> str:
    """ "Changes smaller than 0.5 percentage points count as no change"; with no
    threshold, "Every change counts, however small"."""
    if not materiality:
        return "Every change counts, however small"
    return f"Changes smaller than {format_difference(materiality, unit)} count as no change"
