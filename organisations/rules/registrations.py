"""Professional registration and mandatory training: the bodies, when a
registration or a course completion is in date, and the stages at which people
are told it is running out. Pure: no database.

A registration or a completion is in date up to and including its expiry date,
and lapsed from the day after. People are told at two stages before expiry
(``STAGE_60``, ``STAGE_30``: 60 and 30 days or fewer left) and once it has
lapsed (``LAPSED``); each stage once.
"""

from __future__ import annotations

import calendar
from datetime import date

from core import glossary

SOCIAL_WORK_ENGLAND = "swe"
HCPC = "hcpc"
NMC = "nmc"
BODIES = (
    (SOCIAL_WORK_ENGLAND, "Social Work England"),
    (HCPC, "Health and Care Professions Council (HCPC)"),
    (NMC, "Nursing and Midwifery Council (NMC)"),
)
BODY_LABELS = dict(BODIES)

STAGE_60 = "60"
STAGE_30 = "30"
LAPSED = "lapsed"
# Days left at or below which each warning stage starts, latest first.
WARNING_DAYS = ((STAGE_30, 30), (STAGE_60, 60))
EXPIRING_DAYS = 60  # "Expiring soon" on pages: the first warning stage


def body_choices() -> list[tuple[str, tuple[str, str]]]:
    """``RegistrationBody``'s members: (NAME, (value, label))."""
    return [(code.upper(), (code, label)) for code, label in BODIES]


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter
    (31 January plus one month is 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def training_expires_on(completed_on: date, renewal_months: int) -> date:
    """A completion is in date until the same day ``renewal_months`` later."""
    if renewal_months < 1:
        raise ValueError("a course is renewed after at least one month")
    return add_months(completed_on, renewal_months)


def days_left(expires_on: date, today: date) -> int:
    """Days until the expiry date (0 on the day itself, negative once lapsed)."""
    return (expires_on - today).days


def stage(expires_on: date, today: date) -> str | None:
    """The stage a registration or completion is at: ``LAPSED`` after its expiry
    date, ``STAGE_30`` or ``STAGE_60`` when that many days or fewer are left,
    else None (nothing to tell anyone)."""
    left = days_left(expires_on, today)
    if left < 0:
        return LAPSED
    for name, days in WARNING_DAYS:
        if left <= days:
            return name
    return None


def status(expires_on: date | None, today: date) -> str:
    """The status a page shows (``core.glossary.COMPLIANCE``): in date, expiring
    soon (60 days or fewer left), lapsed, or not recorded (no expiry date)."""
    if expires_on is None:
        return glossary.NOT_RECORDED
    left = days_left(expires_on, today)
    if left < 0:
        return glossary.LAPSED
    if left <= EXPIRING_DAYS:
        return glossary.EXPIRING
    return glossary.IN_DATE


def counts_as_in_date(expires_on: date | None, today: date) -> bool:
    """For compliance figures: recorded and not lapsed (expiring soon still counts)."""
    return expires_on is not None and days_left(expires_on, today) >= 0


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage; None when nobody is counted."""
    return None if whole == 0 else 100.0 * part / whole
