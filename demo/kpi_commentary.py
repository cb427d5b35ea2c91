"""The demo's KPI commentary, written from each figure's own status and direction.

Every sentence says something the figure shows: "below target" only for a
higher-is-better result that is amber or red ("above target" when lower is
better), "on target" only for a green one, and a comparison with the same period
last year only when there is one and it went that way (the direction the KPI
page shows beside it, allowing for the KPI's smallest change that counts; year
to date against year to date for a cumulative KPI). ``agrees`` checks a
commentary against its figure, for the demo's tests.
"""

from __future__ import annotations

from organisations.rules import kpis as kpi_rules

REASONS = [
    "two vacancies in the team and a rise in demand",
    "a new case management system bedding in",
    "sickness absence in the team over the period",
    "seasonal pressure over the winter",
    "data quality problems found in the monthly audit",
    "a backlog carried over from the previous quarter",
    "a contractor's performance falling short of the contract",
]
ACTIONS = [
    "Agency cover agreed for three months while two posts are recruited to; the head of service reviews progress weekly.",
    "Recovery plan agreed at the directorate management team: backlog cleared by the end of next quarter, reported fortnightly.",
    "Process review with the performance team; the first changes start next month and are tracked in the service plan.",
    "Overtime authorised for six weeks and cases triaged daily by the team manager.",
    "Contract performance notice issued; monthly contract meetings until the measure is back on target.",
    "Data cleansing project under way with the systems team; figures re-checked before the next report.",
]
ON_TARGET = [
    "On target, in line with the service plan.",
    "On target this period.",
    "Meeting the target; no concerns.",
]
MONITORING = "Monitoring only: no target is set."

# What each direction against the same period last year reads as.
LAST_YEAR_WORDS = {
    kpi_rules.IMPROVING: "Better than the same period last year.",
    kpi_rules.WORSENING: "Worse than the same period last year.",
    kpi_rules.NO_CHANGE: "Much the same as the same period last year.",
    kpi_rules.INCREASING: "Higher than the same period last year.",
    kpi_rules.DECREASING: "Lower than the same period last year.",
}
YEAR_TO_DATE = " (year to date against year to date)"


def _side(polarity: str) -> str:
    """Where a result short of its target lies: below it, or above it when lower is better."""
    return "above" if polarity == kpi_rules.LOWER else "below"


def _last_year(direction: str | None, cumulative: bool) -> str:
    if direction is None:
        return ""
    words = LAST_YEAR_WORDS[direction]
    return words[:-1] + YEAR_TO_DATE + "." if cumulative else words


def notes(rng, *, status: str, polarity: str, direction: str | None, cumulative: bool) -> tuple[str, str]:
    """(commentary, corrective action) for one result: ``direction`` is against
    the same period last year (None without a result then)."""
    side = _side(polarity)
    last_year = _last_year(direction, cumulative)
    if status == kpi_rules.RED:
        reason = rng.choice(REASONS)
        text = f"{side.capitalize()} target because of {reason}."
        return " ".join(filter(None, [text, last_year])), rng.choice(ACTIONS)
    if status == kpi_rules.AMBER:
        reason = rng.choice(REASONS)
        text = rng.choice(
            [
                f"Slightly {side} target: {reason}. Expected to recover next period.",
                f"Just {side} target because of {reason}; being monitored by the team manager.",
            ]
        )
        return " ".join(filter(None, [text, last_year])), ""
    if rng.random() < 0.5:
        return "", ""
    text = rng.choice(ON_TARGET) if status == kpi_rules.GREEN else MONITORING
    return " ".join(filter(None, [text, last_year])), ""


def agrees(commentary: str, *, status: str, polarity: str, direction: str | None, cumulative: bool) -> bool:
    """Whether ``commentary`` says only what its figure shows: its words about the
    target match its status (and which way is better), and any comparison with
    last year is the direction shown beside it."""
    text = commentary.lower()
    if not text:
        return status != kpi_rules.RED  # a red result always explains itself
    short = "below target" in text or "above target" in text
    if short != (status in (kpi_rules.AMBER, kpi_rules.RED)):
        return False
    if short and f"{_side(polarity)} target" not in text:
        return False
    if ("on target" in text or "meeting the target" in text) != (status == kpi_rules.GREEN):
        return False
    if ("monitoring only" in text) != (status == kpi_rules.GREY):
        return False
    said = [d for d, words in LAST_YEAR_WORDS.items() if words[:-1].lower() in text]
    if direction is None:
        return not said and "last year" not in text
    if cumulative and said and YEAR_TO_DATE.strip().lower() not in text:
        return False
    return said in ([], [direction])
