"""risk_above_target and risk_review_overdue: the pure rules, then candidates on a small register."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from insights.rules import risks as rules
from insights.rules import thresholds as t
from insights.services.recompute import RunContext, run_recompute
from organisations.rules import risks as risk_bands
from tests.organisations.risk_factories import RiskFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

TODAY = date(2026, 6, 15)


def test_the_thresholds():
    assert (t.RISK_MEDIUM_RESIDUAL_SCORE, t.RISK_HIGH_RESIDUAL_SCORE) == (8, 15)


@pytest.mark.parametrize(
    ("residual", "target", "expected"),
    [
        (6, 6, None),  # on target
        (4, 6, None),  # better than target (bad data, but not a flag)
        (2, 1, FlagSeverity.LOW),  # low band: the register shows it, no flag opens
        (6, 4, FlagSeverity.LOW),  # moderate band
        (7, 1, FlagSeverity.LOW),
        (8, 6, FlagSeverity.MEDIUM),  # the high band starts at 8 (no product is 7)
        (12, 4, FlagSeverity.MEDIUM),
        (14, 1, FlagSeverity.MEDIUM),
        (15, 1, FlagSeverity.HIGH),  # extreme band starts at 15
        (25, 20, FlagSeverity.HIGH),
    ],
)
def test_risk_above_target(residual, target, expected):
    assert rules.risk_above_target(residual_score=residual, target_score=target) == expected


@given(st.integers(1, 25), st.integers(1, 25))
def test_above_target_flags_exactly_when_residual_exceeds_target(residual, target):
    severity = rules.risk_above_target(residual_score=residual, target_score=target)
    assert (severity is not None) == (residual > target)
    if severity:
        assert (severity == FlagSeverity.HIGH) == (residual >= 15)
        assert (severity == FlagSeverity.LOW) == (residual < 8)


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_above_target_severity_follows_the_residual_band(likelihood, impact):
    residual = likelihood * impact
    expected = {
        risk_bands.LOW: FlagSeverity.LOW,
        risk_bands.MODERATE: FlagSeverity.LOW,
        risk_bands.HIGH: FlagSeverity.MEDIUM,
        risk_bands.EXTREME: FlagSeverity.HIGH,
    }[risk_bands.band(residual)]
    assert rules.risk_above_target(residual_score=residual, target_score=1 if residual > 1 else 0) == expected


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
    moderate = RiskFactory(  # above target in the moderate band: a low finding
        organisation=world.org,
        service=world.team,
        title="Lift out of service",
        residual_likelihood=2,
        residual_impact=3,
        target_likelihood=2,
        target_impact=2,
        review_due=TODAY,
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
        (FlagKind.RISK_ABOVE_TARGET, moderate.pk),
        (FlagKind.RISK_REVIEW_OVERDUE, overdue_corporate.pk),
    }
    low = found[(FlagKind.RISK_ABOVE_TARGET, moderate.pk)]
    assert low.severity == FlagSeverity.LOW and low.evidence["residual_band"] == "Moderate"
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
    assert "below 8" in flag.rule and "medium from 8 (high band)" in flag.rule and "15 or more" in flag.rule

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


def test_a_run_opens_flags_from_medium_for_the_risks_owner(world, monkeypatch):
    from insights.services import recompute

    monkeypatch.setattr(recompute, "STEPS", [rules.candidates])
    today = clock.today()

    def risk(title, residual, review_days_ago=-10, owner=world.manager):
        likelihood, impact = residual
        return RiskFactory(
            organisation=world.org,
            service=world.service,
            owner=owner,
            title=title,
            residual_likelihood=likelihood,
            residual_impact=impact,
            target_likelihood=1,
            target_impact=2,
            review_due=today - timedelta(days=review_days_ago),
        )

    moderate = risk("Moderate", (2, 3), review_days_ago=13)  # low above target; review 13 days late: low
    high_band = risk("High band", (2, 4), review_days_ago=14)  # 8: medium; review 14 days late: medium
    extreme = risk("Extreme", (3, 5), owner=None)  # 15: high, no owner
    run_recompute(world.org, today=today)
    flags = {(f.kind, f.subject_id): f for f in Flag.objects.filter(resolved_at=None)}
    assert {key: f.severity for key, f in flags.items()} == {
        (FlagKind.RISK_ABOVE_TARGET, high_band.pk): FlagSeverity.MEDIUM,
        (FlagKind.RISK_REVIEW_OVERDUE, high_band.pk): FlagSeverity.MEDIUM,
        (FlagKind.RISK_ABOVE_TARGET, extreme.pk): FlagSeverity.HIGH,
    }
    assert not Flag.objects.filter(subject_id=moderate.pk).exists()  # low findings open nothing
    assert flags[(FlagKind.RISK_ABOVE_TARGET, high_band.pk)].owner == world.manager  # the risk's owner
    assert flags[(FlagKind.RISK_REVIEW_OVERDUE, high_band.pk)].owner == world.manager
    assert flags[(FlagKind.RISK_ABOVE_TARGET, extreme.pk)].owner == world.service_head  # head of its service
