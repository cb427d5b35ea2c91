"""The pure rules of registrations and mandatory training."""

from datetime import date

import pytest

from core import glossary
from organisations.rules import registrations as rules

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("completed", "months", "expires"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 1, 31), 13, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 4, 1), 36, date(2029, 4, 1)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
    ],
)
def test_training_expires_after_the_renewal_period(completed, months, expires):
    assert rules.training_expires_on(completed, months) == expires


def test_a_course_renews_after_at_least_a_month():
    with pytest.raises(ValueError):
        rules.training_expires_on(TODAY, 0)


@pytest.mark.parametrize(
    ("days", "stage", "status"),
    [
        (61, None, glossary.IN_DATE),
        (60, rules.STAGE_60, glossary.EXPIRING),
        (31, rules.STAGE_60, glossary.EXPIRING),
        (30, rules.STAGE_30, glossary.EXPIRING),
        (0, rules.STAGE_30, glossary.EXPIRING),  # in date on its expiry day
        (-1, rules.LAPSED, glossary.LAPSED),
    ],
)
def test_stages_and_statuses_by_days_left(days, stage, status):
    expires_on = date.fromordinal(TODAY.toordinal() + days)
    assert rules.stage(expires_on, TODAY) == stage
    assert rules.status(expires_on, TODAY) == status
    assert rules.counts_as_in_date(expires_on, TODAY) == (days >= 0)


def test_nothing_recorded_is_its_own_status_and_not_in_date():
    assert rules.status(None, TODAY) == glossary.NOT_RECORDED
    assert not rules.counts_as_in_date(None, TODAY)
    assert rules.percent(0, 0) is None and rules.percent(1, 4) == 25.0
