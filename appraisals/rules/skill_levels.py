"""A person's level in a skill, from their ratings: a pure rule.

The latest manager rating, else the latest self-assessment, else 0 (none).
"Latest" is the latest ``rated_on``; on the same day, the one recorded last
(``seq``, the row id). Used by the my-skills page and by the skills-gap job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from appraisals.models.skills import RatingSource


@dataclass(frozen=True)
class RatingFact:
    source: str
    level: int
    rated_on: date
    seq: int = 0


def latest_rating(ratings: Iterable[RatingFact], source: str) -> RatingFact | None:
    of_source = [r for r in ratings if r.source == source]
    return max(of_source, key=lambda r: (r.rated_on, r.seq)) if of_source else None


def current_rating(ratings: Iterable[RatingFact]) -> RatingFact | None:
    """The rating that sets the level: the latest manager one, else the latest self one."""
    ratings = list(ratings)
    for source in (RatingSource.MANAGER, RatingSource.SELF):
        latest = latest_rating(ratings, source)
        if latest is not None:
            return latest
    return None


def current_level(ratings: Iterable[RatingFact]) -> int:
    """The latest manager rating, else the latest self rating, else 0."""
    rating = current_rating(ratings)
    return rating.level if rating is not None else 0
