"""risk_above_target and risk_review_overdue: the pure rules, then candidates on a small register."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core import clock
from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import risks as rules
from insights.rules import thresholds as t
from insights.services.recompute import RunContext
from tests.organisations.risk_factories import RiskFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("residual", "target", "expected"),
    [
        (6, 6, None),  # on target
        (4, 6, None),  # better than target (bad data, but not a flag)
        (8, 6, FlagSeverity.MEDIUM),
        (12, 4, FlagSeverity.MEDIUM),
        (t.RISK_HIGH_RESIDUAL_SCORE - 1, 1, FlagSeverity.MEDIUM),
        (t.RISK_HIGH_RESIDUAL_SCORE, 1, FlagSeverity.HIGH),  # extreme band starts at 15
        (25, 20, FlagSeverity.HIGH),
        (2, 1, FlagSeverity.MEDIUM),
    ],
)
def test_risk_above_target(residual, target, expected):
    assert rules.risk_above_target(residual_score=residual, target_score=target) == expected


@given(st.integers(1, 25), st.integers(1, 25))
def test_above_target_flags_exactly_when_residual_exceeds_target(residual, target):
    severity = rules.risk_above_target(residual_score=residual, target_score=target)
    assert (severity is not None) == (residual > target)
    if severity:
        assert (severity == FlagSeverity.HIGH) == (residual >= t.RISK_HIGH_RESIDUAL_SCORE)


@pytest.mark.parametrize(
    ("days_overdue", "expected"),
    [
        (-30, None),
        (0, None),  # due today is not overdue
        (1, FlagSeverity.LOW),
        (t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS - 1, FlagSeverity.LOW),
        (t.RISK_REVIEW_OVERDUE_MEDIUM_DAYS, FlagSeverity.MEDIUM),
        (t.RISK_REVIEW_OVERDUE_HIGH_DAYS - 1, FlagSeverity.MEDIUM),
        (t.RISK_REVIEW_OVERDUE_HIGH_DAYS, FlagSeverity.HIGH),
        (400, FlagSeverity.HIGH),
    ],
)
def test_risk_review_overdue(days_overdue, expected):
    due = TODAY - timedelta(days=days_overdue)
    assert rules.risk_review_overdue(review_due=due, today=TODAY) == expected


def ctx_for(org, today=TODAY):

    return RunContext(organisation=org, today=today, now=clock.now())


def test_candidates_on_a_small_register(world):
    above = RiskFactory(
        organisation=world.org,
        service=world.service,
        owner=world.service_head,
        reference="HO01",
        title="Case system fails",
        residual_likelihood=4,
        residual_impact=4,
        target_likelihood=2,
        target_impact=2,
        review_due=TODAY + timedelta(days=10),
    )
    overdue_corporate = RiskFactory(
        organisation=world.org,
        service=None,
        title="Cyber attack",
        residual_likelihood=2,
        residual_impact=3,
        target_likelihood=2,
        target_impact=3,
        review_due=TODAY - timedelta(days=20),
    )
    RiskFactory(  # on target and reviewed: nothing
        organisation=world.org,
        service=world.team,
        residual_likelihood=2,
        residual_impact=2,
        target_likelihood=2,
        target_impact=2,
        review_due=TODAY,
    )
    RiskFactory(  # closed: nothing, however bad
        organisation=world.org,
        is_open=False,
        residual_likelihood=5,
        residual_impact=5,
        inherent_likelihood=5,
        inherent_impact=5,
        review_due=TODAY - timedelta(days=300),
    )
    RiskFactory(  # another organisation's: not this run's business
        organisation=world.other_org,
        residual_likelihood=5,
        residual_impact=5,
        inherent_likelihood=5,
        inherent_impact=5,
    )
    found = {(c.kind, c.subject_id): c for c in rules.candidates(ctx_for(world.org))}
    assert set(found) == {
        (FlagKind.RISK_ABOVE_TARGET, above.pk),
        (FlagKind.RISK_REVIEW_OVERDUE, overdue_corporate.pk),
    }
    flag = found[(FlagKind.RISK_ABOVE_TARGET, above.pk)]
    assert flag.severity == FlagSeverity.HIGH  # residual 16
    assert flag.subject_type == SubjectType.RISK
    assert flag.service_id == world.service.pk and flag.employee_id is None
    assert "HO01 Case system fails" in flag.title and "16" in flag.title and "4" in flag.title
    assert flag.evidence["residual_score"] == 16 and flag.evidence["target_score"] == 4
    assert (
        flag.evidence["residual_band"] == "Extreme" and flag.evidence["owner"] == world.service_head.full_name
    )
    urls = [link["url"] for link in flag.evidence["links"]]
    assert reverse("organisations:risk_detail", args=[above.pk]) in urls
    assert "above its target" in flag.rule or "above" in flag.rule

    review = found[(FlagKind.RISK_REVIEW_OVERDUE, overdue_corporate.pk)]
    assert review.severity == FlagSeverity.MEDIUM  # 20 days
    assert review.service_id is None  # corporate
    assert review.evidence["days_overdue"] == 20
    assert review.evidence["review_due"] == (TODAY - timedelta(days=20)).isoformat()
    assert review.evidence["register"] == "Corporate (strategic) register"


def test_candidates_take_one_query(world, django_assert_num_queries):
    for i in range(5):
        RiskFactory(organisation=world.org, service=world.service, owner=world.staff, title=f"R{i}")
    with django_assert_num_queries(1):
        rules.candidates(ctx_for(world.org))
