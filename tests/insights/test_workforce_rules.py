"""interim_contract_ending and interim_reliance: the pure rules, then candidates
on the test world (a service's share includes the teams below it)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core import clock
from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import thresholds as t
from insights.rules import workforce as rules
from insights.services.recompute import RunContext
from organisations.models import EmploymentType
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

TODAY = date(2026, 6, 15)
E = EmploymentType


@pytest.mark.parametrize(
    ("kind", "days_left", "expected"),
    [
        (E.INTERIM, 31, None),
        (E.INTERIM, t.INTERIM_ENDING_DAYS, FlagSeverity.MEDIUM),
        (E.AGENCY, t.INTERIM_ENDING_HIGH_DAYS + 1, FlagSeverity.MEDIUM),
        (E.AGENCY, t.INTERIM_ENDING_HIGH_DAYS, FlagSeverity.HIGH),
        (E.INTERIM, 0, FlagSeverity.HIGH),
        (E.INTERIM, -5, FlagSeverity.HIGH),  # overrunning and still active
        (E.PERMANENT, 3, None),
        (E.FIXED_TERM, 3, None),  # only interim and agency
        (E.SECONDMENT, 3, None),
    ],
)
def test_interim_contract_ending(kind, days_left, expected):
    end = TODAY + timedelta(days=days_left)
    assert rules.interim_contract_ending(employment_type=kind, end_date=end, today=TODAY) == expected


def test_interim_contract_with_no_end_date_is_not_flagged():
    assert rules.interim_contract_ending(employment_type=E.INTERIM, end_date=None, today=TODAY) is None


@pytest.mark.parametrize(
    ("contingent", "total", "threshold", "expected"),
    [
        ("0", "0", "20", None),  # nobody: no share
        ("2", "10", "20", None),  # exactly at the threshold: not above it
        ("2.01", "10", "20", FlagSeverity.MEDIUM),
        ("3", "10", "20", FlagSeverity.MEDIUM),  # 30% = threshold + 10: still medium
        ("3.01", "10", "20", FlagSeverity.HIGH),
        ("10", "10", "20", FlagSeverity.HIGH),
        ("1", "10", "5", FlagSeverity.MEDIUM),  # the organisation's own threshold
        ("1", "10", "0", FlagSeverity.MEDIUM),
    ],
)
def test_interim_reliance(contingent, total, threshold, expected):
    assert (
        rules.interim_reliance(
            contingent_fte=Decimal(contingent), total_fte=Decimal(total), threshold=Decimal(threshold)
        )
        == expected
    )


def test_subtree_totals_add_each_service_to_all_above_it():
    parents = {1: None, 2: 1, 3: 2, 4: 2, 5: 1}
    own = {3: {"n": 2}, 4: {"n": 3}, 5: {"n": 1}, 2: {"n": 10}}
    totals = rules.subtree_totals(parents, own)
    assert totals[1] == {"n": 16}
    assert totals[2] == {"n": 15}
    assert totals[3] == {"n": 2} and totals[5] == {"n": 1}


def test_subtree_totals_survive_a_loop_in_the_data():
    totals = rules.subtree_totals({1: 2, 2: 1}, {1: {"n": 1}})
    assert totals == {1: {"n": 1}, 2: {"n": 1}}


def ctx_for(org, today=TODAY):
    return RunContext(organisation=org, today=today, now=clock.now())


def test_contract_ending_candidates(world):
    # world.interim's contract ends in 2030: not flagged.
    soon = EmployeeFactory(
        organisation=world.org,
        service=world.team,
        line_manager=world.manager,
        employment_type=E.AGENCY,
        end_date=TODAY + timedelta(days=10),
        first_name="Ada",
        last_name="Agency",
    )
    later = EmployeeFactory(
        organisation=world.org,
        service=world.team,
        employment_type=E.INTERIM,
        end_date=TODAY + timedelta(days=20),
    )
    EmployeeFactory(  # left: not flagged
        organisation=world.org,
        service=world.team,
        employment_type=E.INTERIM,
        end_date=TODAY + timedelta(days=5),
        active=False,
    )
    EmployeeFactory(  # fixed-term: not this rule
        organisation=world.org,
        service=world.team,
        employment_type=E.FIXED_TERM,
        end_date=TODAY + timedelta(days=5),
    )
    found = {
        c.subject_id: c
        for c in rules.candidates(ctx_for(world.org))
        if c.kind == FlagKind.INTERIM_CONTRACT_ENDING
    }
    assert set(found) == {soon.pk, later.pk}
    flag = found[soon.pk]
    assert flag.severity == FlagSeverity.HIGH and found[later.pk].severity == FlagSeverity.MEDIUM
    assert flag.subject_type == SubjectType.EMPLOYEE
    assert flag.employee_id == soon.pk and flag.service_id == world.team.pk
    assert flag.title == "Ada Agency's agency contract ends in 10 days"
    assert flag.evidence["contract_end_date"] == (TODAY + timedelta(days=10)).isoformat()
    assert flag.evidence["days_left"] == 10


def test_reliance_is_computed_over_each_service_with_its_teams(world):
    # The world: Housing Options (service) has the Options Team (manager, staff, peer:
    # permanent) and the Lettings Team (interim, who ends in 2030); service_head sits in
    # the service itself. 1 interim of 5 FTE = 20%: exactly the default threshold.
    found = [c for c in rules.candidates(ctx_for(world.org)) if c.kind == FlagKind.INTERIM_RELIANCE]
    assert found == []

    # Two agency staff in the Lettings Team: 3 of 7 FTE = 42.9% in Housing Options and
    # 3 of 8 = 37.5% in its directorate, Housing (both high); 3 of 10 = 30% in the
    # whole council (the root, a directorate: medium, as 30% is not above 20 + 10).
    # The Lettings Team itself is not flagged: teams are too small for a share to mean much.
    for _ in range(2):
        EmployeeFactory(
            organisation=world.org,
            service=world.other_team,
            employment_type=E.AGENCY,
            end_date=date(2030, 1, 1),
        )
    found = {
        c.subject_id: c for c in rules.candidates(ctx_for(world.org)) if c.kind == FlagKind.INTERIM_RELIANCE
    }
    assert world.other_team.pk not in found
    assert found[world.service.pk].severity == FlagSeverity.HIGH  # 42.9% > 30%
    assert found[world.service.pk].evidence["interim_and_agency_share_percent"] == "42.9"
    assert found[world.service.pk].evidence["agency_staff"] == 2
    assert found[world.service.pk].evidence["interim_staff"] == 1
    assert found[world.service.pk].evidence["total_fte"] == "7"
    assert found[world.directorate.pk].severity == FlagSeverity.HIGH  # 37.5%
    assert found[world.root.pk].severity == FlagSeverity.MEDIUM  # 3 of 10 = 30%: not above 30
    assert world.corporate.pk not in found  # Resources: the officer only, permanent
    flag = found[world.service.pk]
    assert flag.subject_type == SubjectType.SERVICE and flag.service_id == world.service.pk
    assert flag.employee_id is None
    assert "20%" in flag.rule and "30%" in flag.rule


def test_reliance_uses_the_organisations_threshold(world):
    world.org.interim_reliance_threshold = Decimal("10")
    world.org.save()
    found = {
        c.subject_id for c in rules.candidates(ctx_for(world.org)) if c.kind == FlagKind.INTERIM_RELIANCE
    }
    assert world.service.pk in found  # 20% > 10%


def test_reliance_counts_fte_not_heads(world):
    world.interim.fte = Decimal("0.5")
    world.interim.save()
    # 0.5 of 4.5 FTE = 11.1%: below 20% although 1 of 5 people.
    found = [c for c in rules.candidates(ctx_for(world.org)) if c.kind == FlagKind.INTERIM_RELIANCE]
    assert found == []


def test_candidates_take_three_queries_whatever_the_size(world, django_assert_num_queries):
    for _ in range(30):
        EmployeeFactory(
            organisation=world.org,
            service=world.team,
            employment_type=E.AGENCY,
            end_date=TODAY + timedelta(days=3),
        )
    with django_assert_num_queries(3):
        found = rules.candidates(ctx_for(world.org))
    assert len(found) > 30
