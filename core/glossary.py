"""One vocabulary: the word, tag colour and meaning of every status, the date
formats and the exception rules, written once (docs/ARCHITECTURE.md, "One
vocabulary").

Each meaning has one word and one GOV.UK tag colour, on every page: a KPI with a
result but nothing to judge it against is "Monitoring only" everywhere (never
"Grey"), one without a result for its period is "No result", and amber and "At
risk" are orange wherever they appear. Templates reach these through the
builtin tags in ``core/templatetags/vocabulary.py``; Python code (exports, flag
evidence, emails) through the functions here. The codes are the strings stored
in the database, so this module is the one place they are spelt.

App-free and plain Python on purpose (core sits below every app, and the pure
rules import their codes from here); the tags that render these as HTML are in
``core/templatetags/vocabulary.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Term:
    label: str  # the one word for the meaning
    tag: str  # the one GOV.UK tag modifier for it
    meaning: str  # what it means, in words a reader can be shown


# --- KPI status ------------------------------------------------------------------

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"  # stored for a result with nothing to judge it against
NO_RESULT = "no_result"  # never stored: a KPI with no result for the period

KPI_STATUS: dict[str, Term] = {
    RED: Term("Red", "govuk-tag--red", "Short of the target by more than the amber tolerance."),
    AMBER: Term(
        "Amber",
        "govuk-tag--orange",
        "Short of the target by more than the green tolerance but no more than the amber tolerance.",
    ),
    GREEN: Term("Green", "govuk-tag--green", "On or better than the target, or within the green tolerance."),
    GREY: Term(
        "Monitoring only",
        "govuk-tag--grey",
        "A result with no target or no better direction, so there is nothing to judge it against.",
    ),
    NO_RESULT: Term("No result", "govuk-tag--grey", "No result has been recorded for the period yet."),
}
# The order pages count and list them in: worst first, then the unjudged.
KPI_STATUS_ORDER = (RED, AMBER, GREEN, GREY, NO_RESULT)

# --- Direction of travel ---------------------------------------------------------

IMPROVING = "improving"
WORSENING = "worsening"
NO_CHANGE = "no change"
INCREASING = "increasing"
DECREASING = "decreasing"

DIRECTION: dict[str, Term] = {
    IMPROVING: Term("Improving", "govuk-tag--green", "Better than before by at least the KPI's materiality."),
    WORSENING: Term("Worsening", "govuk-tag--red", "Worse than before by at least the KPI's materiality."),
    NO_CHANGE: Term(
        "No change", "govuk-tag--grey", "The same, or changed by less than the KPI's materiality."
    ),
    INCREASING: Term("Increasing", "govuk-tag--blue", "Higher than before (a KPI with no better direction)."),
    DECREASING: Term("Decreasing", "govuk-tag--blue", "Lower than before (a KPI with no better direction)."),
}
# Arrows go with the words, never instead of them (WCAG 1.4.1).
DIRECTION_ARROWS: dict[str, str] = {
    IMPROVING: "\u2191",
    WORSENING: "\u2193",
    NO_CHANGE: "\u2192",
    INCREASING: "\u2191",
    DECREASING: "\u2193",
}
NO_COMPARISON = "No comparison available"  # no result for the earlier period

# --- Exceptions --------------------------------------------------------------------
# What a report or dashboard lists first. Each organisation chooses its rule
# (Organisation.exception_rule); overdue data is marked on its own, never an exception.

EXCEPTIONS_RED = "red"
EXCEPTIONS_RED_OR_AMBER_WORSENING = "red_or_amber_worsening"
EXCEPTIONS_RED_OR_AMBER = "red_or_amber"
DEFAULT_EXCEPTION_RULE = EXCEPTIONS_RED_OR_AMBER_WORSENING

# The rule in the words every list of exceptions states: "Exceptions: red, or amber and worsening".
EXCEPTION_RULES: dict[str, str] = {
    EXCEPTIONS_RED: "red",
    EXCEPTIONS_RED_OR_AMBER_WORSENING: "red, or amber and worsening",
    EXCEPTIONS_RED_OR_AMBER: "red or amber",
}

# The choices an organisation picks from (Organisation.exception_rule).
EXCEPTION_RULE_CHOICES = [
    (EXCEPTIONS_RED, "Red only"),
    (EXCEPTIONS_RED_OR_AMBER_WORSENING, "Red, or amber and worsening (the default)"),
    (EXCEPTIONS_RED_OR_AMBER, "Red or amber"),
]


def exception_rule_words(rule: str) -> str:
    """ "red, or amber and worsening": what counts as an exception under ``rule``."""
    return EXCEPTION_RULES.get(rule, EXCEPTION_RULES[DEFAULT_EXCEPTION_RULE])


# --- Goals, flags and runs --------------------------------------------------------

GOAL_STATUS: dict[str, Term] = {
    "draft": Term("Draft", "govuk-tag--grey", "Proposed, not yet agreed with the manager."),
    "agreed": Term("Agreed", "govuk-tag--blue", "Agreed, with no check-in yet."),
    "on_track": Term("On track", "govuk-tag--green", "Expected to be met by its due date."),
    "at_risk": Term("At risk", "govuk-tag--orange", "May not be met by its due date without action."),
    "off_track": Term("Off track", "govuk-tag--red", "Will not be met by its due date as things stand."),
    "achieved": Term("Achieved", "govuk-tag--turquoise", "Met."),
    "dropped": Term("Dropped", "govuk-tag--grey", "No longer pursued."),
}

FLAG_SEVERITY: dict[str, Term] = {
    "high": Term("High", "govuk-tag--red", "Needs attention now."),
    "medium": Term("Medium", "govuk-tag--orange", "Needs attention soon."),
    "low": Term("Low", "govuk-tag--blue", "Worth knowing about."),
}

FLAG_STATE: dict[str, Term] = {
    "new": Term("New", "govuk-tag--blue", "Raised and not yet acknowledged."),
    "acknowledged": Term("Acknowledged", "govuk-tag--green", "Someone has said what is being done."),
    "dismissed": Term("Dismissed", "govuk-tag--grey", "Judged not to need action, with a reason."),
    "resolved": Term("Resolved", "govuk-tag--grey", "The condition no longer holds."),
}

RUN_STATUS: dict[str, Term] = {
    "running": Term("Running", "govuk-tag--blue", "Under way."),
    "succeeded": Term("Succeeded", "govuk-tag--green", "Finished: flags and skills gaps are up to date."),
    "failed": Term("Failed", "govuk-tag--red", "Stopped with an error; nothing it computed was saved."),
    "interrupted": Term("Interrupted", "govuk-tag--orange", "The worker stopped before it finished."),
}

# A KPI result's sign-off (organisations.models.ResultState), and where a KPI
# stands for a period on the collection page (a missing result is "Due", then
# "Overdue" once past its due date).
RESULT_STATE: dict[str, Term] = {
    "submitted": Term(
        "Awaiting sign-off",
        "govuk-tag--blue",
        "Submitted and not yet checked: not on the committee report, the public page or the API.",
    ),
    "validated": Term("Signed off", "govuk-tag--turquoise", "Checked and signed off: published."),
    "returned": Term(
        "Returned", "govuk-tag--pink", "Returned to its owner with a reason; counts nowhere until corrected."
    ),
    "not_due": Term("Due", "govuk-tag--grey", "No result yet, and not yet past its due date."),
}

# --- Professional registration and mandatory training ---------------------------

IN_DATE = "in_date"
EXPIRING = "expiring"
LAPSED = "lapsed"
NOT_RECORDED = "not_recorded"

COMPLIANCE: dict[str, Term] = {
    IN_DATE: Term("In date", "govuk-tag--green", "Recorded, with more than 60 days before it expires."),
    EXPIRING: Term("Expiring soon", "govuk-tag--orange", "In date, but it expires within 60 days."),
    LAPSED: Term(
        "Lapsed",
        "govuk-tag--red",
        "Past its expiry date. A professional whose registration has lapsed must not practise.",
    ),
    NOT_RECORDED: Term("Not recorded", "govuk-tag--grey", "The role requires it and nothing is recorded."),
}

# Tags that are not a status of one thing but read the same everywhere.
OVERDUE = Term("Overdue", "govuk-tag--red", "Past its due date and not done.")
ABOVE_THRESHOLD = Term("Above threshold", "govuk-tag--red", "More than the organisation's threshold.")
WITHIN_THRESHOLD = Term("Within threshold", "govuk-tag--green", "No more than the organisation's threshold.")
ESSENTIAL = Term("Essential", "govuk-tag--purple", "A skill the job role cannot be done without.")
# A KPI's quartile position among a comparator group of councils (benchmarks),
# allowing for which way is better: the top quartile is always the best quarter.
QUARTILE: dict[str, Term] = {
    "top_quartile": Term(
        "Top quartile", "govuk-tag--green", "Among the best quarter of the comparator group."
    ),
    "upper_middle_quartile": Term(
        "Upper middle quartile",
        "govuk-tag--turquoise",
        "Better than the comparator group's median, but not in its best quarter.",
    ),
    "lower_middle_quartile": Term(
        "Lower middle quartile",
        "govuk-tag--yellow",
        "Worse than the comparator group's median, but not in its worst quarter.",
    ),
    "bottom_quartile": Term(
        "Bottom quartile", "govuk-tag--red", "Among the worst quarter of the comparator group."
    ),
    "not_ranked": Term(
        "Not ranked",
        "govuk-tag--grey",
        "No quartile: the KPI has no better direction, the group is too small, or there is no figure to place.",
    ),
}
TAGS: dict[str, Term] = {
    "overdue": OVERDUE,
    "above_threshold": ABOVE_THRESHOLD,
    "within_threshold": WITHIN_THRESHOLD,
    "essential": ESSENTIAL,
    # A dashboard's figure that nobody has signed off yet.
    "unvalidated": RESULT_STATE["submitted"],
    **QUARTILE,
}


def result_standing(code: str) -> Term:
    """The tag for where a KPI stands for a period (organisations.rules.collection):
    a sign-off state, "Due", or "Overdue" for a late result."""
    return OVERDUE if code == "late" else RESULT_STATE[code]


# Words retired in favour of the one above, which a page must not show (a test
# renders the pages and looks for them).
RETIRED = {
    "Grey": KPI_STATUS[GREY].label,
    "No data": KPI_STATUS[NO_RESULT].label,
}

# --- Dates ---------------------------------------------------------------------
# One format per kind. A date is "2 December 2026" in prose and tables alike; a
# moment is "2 December 2026, 14:05" (local time). A reporting period is named
# by its period label instead ("Oct 2026", "Q3 2026/27", "2026/27":
# organisations/rules/years.py). Only machine-read values (CSV, URLs) use ISO dates.

DATE_FORMAT = "j F Y"  # Django's date filter syntax
DATETIME_FORMAT = "j F Y, H:i"


def _local(dt: datetime) -> datetime:
    from django.utils import timezone  # only here: the rest of the glossary is plain Python

    return timezone.localtime(dt) if timezone.is_aware(dt) else dt


def long_date(d: date | datetime | None) -> str:
    """ "2 December 2026" ("" for None). A datetime gives its local date."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = _local(d)
    return f"{d.day} {d:%B %Y}"


def money(value) -> str:
    """ "£1,250" or "£1,250.50": pounds, with pence only when there are some ("" for None)."""
    if value is None:
        return ""
    value = Decimal(value)
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def date_time(dt: datetime | None) -> str:
    """ "2 December 2026, 14:05" in local time ("" for None)."""
    if dt is None:
        return ""
    dt = _local(dt)
    return f"{dt.day} {dt:%B %Y, %H:%M}"


# --- Durations -----------------------------------------------------------------


def days(n: int | float) -> str:
    """ "the same day", "1 day", "3 days", "1.5 days": a whole number without
    decimals (never "0.0 days")."""
    if n == 0:
        return "the same day"
    whole = float(n).is_integer()
    text = f"{int(n):,}" if whole else f"{float(n):,.1f}".rstrip("0").rstrip(".")
    return f"{text} {'day' if text == '1' else 'days'}"


# --- Look-ups ------------------------------------------------------------------


def kpi_status(status: str | None) -> Term:
    """The term for a KPI status; None (no result) is "No result"."""
    return KPI_STATUS.get(status or NO_RESULT, KPI_STATUS[NO_RESULT])


def kpi_status_label(status: str | None) -> str:
    return kpi_status(status).label
