"""Pure rules for the risk register: Orange Book likelihood x impact scoring
and the NHS/NPSA banding.

No Django here, so the register, the matrix on the dashboard and the
risk_above_target flag all score and band a risk the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

LOW = "low"
MODERATE = "moderate"
HIGH = "high"
EXTREME = "extreme"
BANDS = (LOW, MODERATE, HIGH, EXTREME)

BAND_LABELS: dict[str, str] = {
    LOW: "Low",
    MODERATE: "Moderate",
    HIGH: "High",
    EXTREME: "Extreme",
}

LIKELIHOOD_LABELS: dict[int, str] = {
    1: "Rare",
    2: "Unlikely",
    3: "Possible",
    4: "Likely",
    5: "Almost certain",
}

# NPSA wording, which pairs with its banding; some registers say
# "insignificant" and "severe" for 1 and 5.
IMPACT_LABELS: dict[int, str] = {
    1: "Negligible",
    2: "Minor",
    3: "Moderate",
    4: "Major",
    5: "Catastrophic",
}

SCALE = range(1, 6)
MIN_SCORE = 1
MAX_SCORE = 25

# Upper bound (inclusive) of each band but the last. The NPSA bands are 1-3,
# 4-6, 8-12 and 15-25; 7, 13 and 14 are not products of two 1..5 ratings, but a
# score may be typed in or imported, so they fall into the band below the
# next gap (7 high, 13-14 extreme) instead of having no band.
_BAND_UPPER_BOUNDS = ((3, LOW), (6, MODERATE), (12, HIGH))


def _check_rating(name: str, rating: int) -> None:
    # Exact type check so True/False (an int subclass) and 3.0 are refused; the
    # brief asks for ValueError on any bad rating, so forms catch one exception.
    if type(rating) is not int or rating not in SCALE:
        raise ValueError(f"{name} must be an int 1..5, got {rating!r}")


def score(likelihood: int, impact: int) -> int:
    """Risk score 1..25 = likelihood x impact, each rated 1..5."""
    _check_rating("likelihood", likelihood)
    _check_rating("impact", impact)
    return likelihood * impact


def band(score: int) -> str:
    """Band of a score 1..25: low, moderate, high or extreme."""
    if type(score) is not int or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score must be an int 1..25, got {score!r}")
    for upper, name in _BAND_UPPER_BOUNDS:
        if score <= upper:
            return name
    return EXTREME


def matrix_cells() -> Iterator[tuple[int, int, int, str]]:
    """Every cell of the 5x5 matrix as (likelihood, impact, score, band).

    Ordered likelihood 5 down to 1, then impact 1 to 5: the conventional
    layout, with "almost certain" on the top row and read left to right, so a
    template can emit rows as they come.
    """
    for likelihood in reversed(SCALE):
        for impact in SCALE:
            s = likelihood * impact
            yield likelihood, impact, s, band(s)
