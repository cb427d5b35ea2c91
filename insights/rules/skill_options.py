"""Train, cover or recruit: the recommendation for a skills gap, with its reasons
in words. Pure: plain values in, plain values out.

What it weighs, for a **service's** gap in a skill (everyone below it counted):

- **How many more people** must reach their role's level for coverage to reach
  the organisation's threshold.
- **Planned development**: the open development items (planned, booked, in
  progress) of people short of the level that aim at it. Each person counts once,
  at their earliest planned end; the service is expected to recover on the day
  the last of the people it needs is planned to finish (``recovery_on``).
  Time to competence is the days from today to then.
- **Cost**: the development's cost against interim cover for the same period (the
  role's interim day rate, else the organisation's, times the working days until
  recovery; with nothing planned, ``SKILLS_COVER_PERIOD_DAYS``).
- **Whether the skill is statutory** (a legal duty: always covered) **or
  essential** to the roles, and **whether the gap is one person's**.

First match wins:

1. Nobody short: no recommendation.
2. Coverage at or above the threshold, someone at level: **develop** (enough
   people at level).
3. Planned development restores the threshold within ``SKILLS_SHORT_WAIT_DAYS``:
   **develop** (a short course closes it; cover would cost more for nothing).
4. Below the threshold for ``SKILLS_RECRUIT_AFTER_DAYS`` and no planned
   development restores it: **recruit**.
5. A statutory skill, or an essential skill with two or more people short (a
   one-person gap is that person's development, unless the skill is statutory and
   nobody holds it): **interim cover** until recovery, except for an essential,
   not statutory, skill someone still holds when cover until planned recovery
   would cost more than ``SKILLS_COVER_COST_MULTIPLE`` times the development:
   **develop**.
6. Otherwise **develop**.

A **person's** gap is always **develop**, with their planned development and its
date: cover and recruitment are decisions for the service, never advice to a
person about themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.glossary import long_date, money
from insights.models.runs import Recommendation
from insights.rules.thresholds import (
    SKILLS_COVER_COST_MULTIPLE,
    SKILLS_COVER_PERIOD_DAYS,
    SKILLS_RECRUIT_AFTER_DAYS,
    SKILLS_SHORT_WAIT_DAYS,
)


@dataclass(frozen=True)
class Planned:
    """One open development item of a person short of the level, aiming at it."""

    employee_id: int
    ends_on: date
    cost: Decimal


@dataclass(frozen=True)
class Advice:
    recommendation: str
    reasons: tuple[str, ...] = ()
    recovery_on: date | None = None  # when planned development is expected to close the gap

    @property
    def reasons_text(self) -> str:
        return "\n".join(self.reasons)


def working_days(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (0 when end is not after start)."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def people_needed(*, people_required: int, people_meeting: int, threshold: Decimal) -> int:
    """How many more people at level bring coverage to the threshold."""
    target = math.ceil(Decimal(people_required) * Decimal(threshold) / 100)
    return max(0, target - people_meeting)


def earliest_by_person(planned: Iterable[Planned]) -> list[Planned]:
    """Each person once, at their earliest planned end, soonest first."""
    first: dict[int, Planned] = {}
    for p in planned:
        if p.employee_id not in first or p.ends_on < first[p.employee_id].ends_on:
            first[p.employee_id] = p
    return sorted(first.values(), key=lambda p: (p.ends_on, p.employee_id))


def _pct(value: Decimal) -> str:
    """66.7 -> "66.7%", 60.00 -> "60%"."""
    return f"{Decimal(value).normalize():f}%"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def advise_service(
    *,
    essential: bool,
    statutory: bool,
    people_required: int,
    people_meeting: int,
    coverage: Decimal,
    threshold: Decimal,
    below_threshold_since: date | None,
    today: date,
    planned: Sequence[Planned] = (),
    day_rate: Decimal = Decimal(0),
) -> Advice:
    """The recommendation for a service's gap in a skill (rules in the module docstring)."""
    short = people_required - people_meeting
    if short <= 0:
        return Advice(Recommendation.NONE)
    if coverage >= threshold and people_meeting > 0:
        return Advice(
            Recommendation.DEVELOP,
            (
                f"{people_meeting} of {people_required} are at level, at or above the "
                f"{_pct(threshold)} threshold: develop the {_people(short)} short.",
            ),
        )
    needed = people_needed(
        people_required=people_required, people_meeting=people_meeting, threshold=threshold
    )
    needed = max(needed, 1)  # below the threshold, or nobody at level: at least one more
    ahead = earliest_by_person(planned)
    counted = ahead[:needed]
    recovery = counted[-1].ends_on if counted and len(ahead) >= needed else None
    dev_cost = sum((p.cost for p in ahead), Decimal(0))
    reasons = [
        f"{people_meeting} of {people_required} are at level ({_pct(coverage)}), below the {_pct(threshold)} threshold: "
        f"{_people(needed)} more at level would restore it."
    ]
    if recovery is not None:
        wait = max(0, (recovery - today).days)
        cover_days = working_days(today, recovery)
        reasons.append(
            f"Planned development brings {_people(needed)} to level by {long_date(recovery)} "
            f"(time to competence {_days(wait)}), costing {money(dev_cost)}."
        )
    elif ahead:
        cover_days = working_days(today, today + timedelta(days=SKILLS_COVER_PERIOD_DAYS))
        reasons.append(
            f"Development is planned for {_people(len(ahead))} ({money(dev_cost)}), "
            f"not enough: {_people(needed)} are needed."
        )
    else:
        cover_days = working_days(today, today + timedelta(days=SKILLS_COVER_PERIOD_DAYS))
        reasons.append("No development is planned for the people short.")
    cover_cost = Decimal(day_rate) * cover_days
    cover_words = (
        f"Interim cover {'until then' if recovery is not None else 'for a quarter'} would cost "
        f"{money(cover_cost)} ({cover_days} working days at {money(day_rate)} a day)."
    )
    if recovery is not None and (recovery - today).days <= SKILLS_SHORT_WAIT_DAYS:
        reasons.append(f"That is within {SKILLS_SHORT_WAIT_DAYS} days: develop. {cover_words}")
        return Advice(Recommendation.DEVELOP, tuple(reasons), recovery)
    persistent = (
        below_threshold_since is not None
        and (today - below_threshold_since).days >= SKILLS_RECRUIT_AFTER_DAYS
    )
    if persistent and recovery is None:
        reasons.append(
            f"Below the threshold since {long_date(below_threshold_since)}, "
            f"{SKILLS_RECRUIT_AFTER_DAYS} days or more, and no planned development closes it: recruit."
        )
        return Advice(Recommendation.RECRUIT, tuple(reasons), recovery)
    one_person = short == 1
    if statutory and (not one_person or people_meeting == 0):
        reasons.append(f"A statutory skill: the duty cannot wait. {cover_words}")
        return Advice(Recommendation.INTERIM_COVER, tuple(reasons), recovery)
    if essential and not one_person:
        if (
            not statutory
            and recovery is not None
            and people_meeting > 0
            and cover_cost > SKILLS_COVER_COST_MULTIPLE * dev_cost
        ):
            reasons.append(
                f"{cover_words} That is more than {SKILLS_COVER_COST_MULTIPLE} times the development: develop, "
                f"and those at level carry the work meanwhile."
            )
            return Advice(Recommendation.DEVELOP, tuple(reasons), recovery)
        reasons.append(f"An essential skill {_people(short)} short. {cover_words}")
        return Advice(Recommendation.INTERIM_COVER, tuple(reasons), recovery)
    if one_person:
        reasons.append("Only 1 person is short: develop them rather than bring in cover.")
    else:
        reasons.append("Not essential to the roles: develop rather than bring in cover.")
    return Advice(Recommendation.DEVELOP, tuple(reasons), recovery)


def advise_person(*, gap: int, planned: Sequence[Planned] = (), today: date) -> Advice:
    """A person's gap: develop, with what is planned for them and when."""
    if gap <= 0:
        return Advice(Recommendation.NONE)
    reasons = [
        "1 level short: training or coaching should close it."
        if gap == 1
        else f"{gap} levels short: development over time, step by step."
    ]
    ahead = earliest_by_person(planned)
    recovery = ahead[0].ends_on if ahead else None
    if recovery is not None:
        total = sum((p.cost for p in planned), Decimal(0))
        reasons.append(f"Development planned to end by {long_date(recovery)} ({money(total)}).")
    else:
        reasons.append("Nothing planned yet: agree a development item.")
    return Advice(Recommendation.DEVELOP, tuple(reasons), recovery)
