"""The skills-gap rules as pure functions: no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisals.rules.skill_levels import RatingFact, current_level
from insights.models import FlagSeverity
from insights.models.runs import Recommendation
from insights.rules.skills import (
    PersonGap,
    Requirement,
    ancestor_map,
    coverage_status,
    employee_gaps,
    flag_unit_ids,
    gap_since,
    is_single_point_of_failure,
    nearest_unit,
    percent,
    recommend,
    service_coverage,
    single_point_severity,
    skills_gap_severity,
)
from organisations.models import ServiceKind

D = date(2026, 6, 1)
M, S = "manager", "self"


# --- a person's level --------------------------------------------------------


def test_no_ratings_is_level_zero():
    assert current_level([]) == 0


def test_self_rating_counts_when_no_manager_rating():
    assert current_level([RatingFact(S, 2, D)]) == 2


def test_manager_rating_beats_a_newer_self_rating():
    assert current_level([RatingFact(M, 1, D - timedelta(days=100)), RatingFact(S, 4, D)]) == 1


def test_latest_manager_rating_wins_over_older_ones():
    ratings = [RatingFact(M, 3, D), RatingFact(M, 1, D - timedelta(days=1)), RatingFact(S, 4, D)]
    assert current_level(ratings) == 3


def test_latest_self_rating_wins_over_older_ones():
    assert current_level([RatingFact(S, 1, D - timedelta(days=9)), RatingFact(S, 3, D)]) == 3


def test_same_day_the_one_recorded_last_wins():
    assert current_level([RatingFact(M, 2, D, seq=7), RatingFact(M, 4, D, seq=3)]) == 2
    assert current_level([RatingFact(S, 2, D, seq=1), RatingFact(S, 4, D, seq=3)]) == 4


ratings_strategy = st.lists(
    st.builds(
        RatingFact,
        source=st.sampled_from([M, S]),
        level=st.integers(0, 4),
        rated_on=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
        seq=st.integers(0, 10_000),
    ),
    max_size=12,
    unique_by=lambda r: r.seq,  # seq is the row id: never tied
)


@given(ratings_strategy)
def test_precedence_holds_for_any_ratings(ratings):
    managers = [r for r in ratings if r.source == M]
    selves = [r for r in ratings if r.source == S]
    if managers:
        expected = max(managers, key=lambda r: (r.rated_on, r.seq)).level
    elif selves:
        expected = max(selves, key=lambda r: (r.rated_on, r.seq)).level
    else:
        expected = 0
    assert current_level(ratings) == expected
    assert current_level(list(reversed(ratings))) == expected  # order of input never matters


# --- a person's gaps ---------------------------------------------------------


def test_employee_gaps_required_current_and_gap():
    reqs = [Requirement(1, 3, True), Requirement(2, 2, False), Requirement(3, 1, True)]
    gaps = employee_gaps(reqs, {1: 1, 2: 4})
    assert [(g.skill_id, g.required_level, g.current_level, g.gap, g.meets) for g in gaps] == [
        (1, 3, 1, 2, False),
        (2, 2, 4, 0, True),  # above the requirement: no negative gap
        (3, 1, 0, 1, False),  # never rated: level 0
    ]


# --- coverage with the subtree ----------------------------------------------

#   1 directorate
#   +- 2 service
#   |  +- 3 team A
#   |  +- 4 team B
#   +- 5 other service
TREE = [(1, None), (2, 1), (3, 2), (4, 2), (5, 1)]


def test_ancestor_map_lists_self_then_each_parent():
    anc = ancestor_map(TREE)
    assert anc[3] == (3, 2, 1)
    assert anc[1] == (1,)
    assert anc[5] == (5, 1)


def test_ancestor_map_survives_a_loop():
    assert ancestor_map([(1, 2), (2, 1)])[1] == (1, 2)


def _g(skill, required, current, essential=True):
    return PersonGap(skill, required, current, essential)


def test_service_coverage_rolls_up_the_subtree():
    people = [
        (10, 3, [_g(7, 3, 3)]),  # team A, meets
        (11, 3, [_g(7, 3, 1)]),  # team A, two short
        (12, 4, [_g(7, 2, 2, essential=False)]),  # team B, meets a lower requirement
        (13, 5, [_g(7, 3, 0)]),  # the other service
        (14, 2, [_g(8, 1, 1)]),  # in the service itself, another skill
    ]
    cov = service_coverage(people, ancestor_map(TREE))
    team_a, team_b, service, directorate = cov[(3, 7)], cov[(4, 7)], cov[(2, 7)], cov[(1, 7)]
    assert (team_a.people_required, team_a.people_meeting, team_a.coverage) == (2, 1, Decimal("50.0"))
    assert (team_b.people_required, team_b.people_meeting, team_b.essential) == (1, 1, False)
    assert (service.people_required, service.people_meeting) == (3, 2)
    assert service.coverage == Decimal("66.7")
    assert service.required_level == 3 and service.essential
    assert (directorate.people_required, directorate.people_meeting) == (4, 2)
    assert directorate.coverage == Decimal("50.0")
    assert (5, 7) in cov and (5, 8) not in cov
    assert cov[(2, 8)].people_required == 1 and (3, 8) not in cov  # not pushed down to teams
    assert service.people_short == 1
    assert service.typical_level == 2  # median of 3, 1, 2


def test_top_level_counts_only_people_required_at_the_highest_level():
    people = [
        (1, 3, [_g(7, 2, 2)]),
        (2, 3, [_g(7, 4, 4)]),
        (3, 3, [_g(7, 4, 3)]),
        (4, 3, [_g(7, 2, 4)]),  # expert, but their role needs only 2: not counted at the top
    ]
    c = service_coverage(people, ancestor_map(TREE))[(3, 7)]
    assert (c.required_level, c.top_required, c.top_meeting, c.top_holders) == (4, 2, 1, [2])


def test_percent_rounds_half_up_to_one_place():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(0, 0) == Decimal("0")


# --- recommendations ---------------------------------------------------------

T = Decimal("60")


def advice(**kw):
    base = dict(
        essential=True,
        people_required=10,
        people_meeting=8,
        coverage=Decimal("80"),
        threshold=T,
        below_threshold_since=None,
        today=D,
    )
    base.update(kw)
    return recommend(**base)


def test_no_gap_no_recommendation():
    assert advice(people_meeting=10, coverage=Decimal("100")) == Recommendation.NONE
    assert advice(person_gap=0) == Recommendation.NONE


def test_develop_when_one_level_short_even_where_cover_is_poor():
    assert advice(person_gap=1, people_meeting=0, coverage=Decimal("0")) == Recommendation.DEVELOP


def test_develop_when_the_service_still_has_cover():
    assert advice() == Recommendation.DEVELOP
    assert advice(person_gap=2) == Recommendation.DEVELOP


def test_interim_cover_when_coverage_below_threshold_for_an_essential_skill():
    assert advice(people_meeting=5, coverage=Decimal("50")) == Recommendation.INTERIM_COVER
    # A person's own gap is never "interim cover": cover is the service's decision.
    assert advice(person_gap=2, people_meeting=5, coverage=Decimal("50")) == Recommendation.DEVELOP


def test_interim_cover_when_nobody_is_at_level_even_if_the_threshold_is_zero():
    assert (
        advice(people_meeting=0, coverage=Decimal("0"), threshold=Decimal("0"))
        == Recommendation.INTERIM_COVER
    )


def test_a_desirable_skill_below_threshold_is_development_not_cover():
    assert advice(essential=False, people_meeting=2, coverage=Decimal("20")) == Recommendation.DEVELOP


def test_recruit_when_below_threshold_for_180_days():
    since = D - timedelta(days=180)
    assert (
        advice(people_meeting=2, coverage=Decimal("20"), below_threshold_since=since)
        == Recommendation.RECRUIT
    )
    assert (
        advice(person_gap=3, people_meeting=2, coverage=Decimal("20"), below_threshold_since=since)
        == Recommendation.DEVELOP
    )
    # desirable skills too: the gap persists whatever its importance
    assert (
        advice(essential=False, people_meeting=2, coverage=Decimal("20"), below_threshold_since=since)
        == Recommendation.RECRUIT
    )


def test_not_recruit_a_day_early():
    since = D - timedelta(days=179)
    assert (
        advice(people_meeting=2, coverage=Decimal("20"), below_threshold_since=since)
        == Recommendation.INTERIM_COVER
    )


def test_not_recruit_once_coverage_recovers():
    since = D - timedelta(days=400)
    assert (
        advice(people_meeting=7, coverage=Decimal("70"), below_threshold_since=since)
        == Recommendation.DEVELOP
    )


def test_gap_since_keeps_the_first_date_while_the_gap_stays_open():
    earlier = D - timedelta(days=30)
    assert gap_since(has_gap=True, previous=earlier, today=D) == earlier
    assert gap_since(has_gap=True, previous=None, today=D) == D
    assert gap_since(has_gap=False, previous=earlier, today=D) is None


# --- words and flags ---------------------------------------------------------


@pytest.mark.parametrize(
    "required,meeting,expected",
    [(0, 0, "Not required"), (5, 5, "Met"), (5, 3, "Partly met"), (5, 2, "Gap"), (5, 0, "Gap")],
)
def test_coverage_status_words(required, meeting, expected):
    status = coverage_status(
        people_required=required, people_meeting=meeting, coverage=percent(meeting, required), threshold=T
    )
    assert status.label == expected


@pytest.mark.parametrize(
    "coverage,essential,people,expected",
    [
        ("60", True, 10, None),
        ("59.9", True, 10, FlagSeverity.MEDIUM),
        ("30", True, 10, FlagSeverity.MEDIUM),
        ("29.9", True, 10, FlagSeverity.HIGH),
        ("29.9", False, 10, FlagSeverity.MEDIUM),
        ("50", False, 10, FlagSeverity.LOW),
        ("0", True, 2, None),  # fewer than three people need it: not a service flag
        ("0", True, 3, FlagSeverity.HIGH),
    ],
)
def test_skills_gap_severity(coverage, essential, people, expected):
    assert (
        skills_gap_severity(
            coverage=Decimal(coverage), essential=essential, threshold=T, people_required=people
        )
        == expected
    )


def test_single_point_of_failure():
    assert is_single_point_of_failure(essential=True, people_required=4, people_meeting=1)
    assert is_single_point_of_failure(essential=True, people_required=2, people_meeting=1)
    assert not is_single_point_of_failure(essential=True, people_required=1, people_meeting=1)
    assert not is_single_point_of_failure(essential=True, people_required=4, people_meeting=2)
    assert not is_single_point_of_failure(essential=True, people_required=4, people_meeting=0)
    assert not is_single_point_of_failure(essential=False, people_required=4, people_meeting=1)
    assert single_point_severity(holder_contingent=True) == FlagSeverity.HIGH
    assert single_point_severity(holder_contingent=False) == FlagSeverity.MEDIUM


def test_flag_units_are_services_else_teams():
    assert flag_unit_ids([(1, ServiceKind.DIRECTORATE), (2, ServiceKind.SERVICE), (3, ServiceKind.TEAM)]) == {
        2
    }
    assert flag_unit_ids([(1, ServiceKind.DIRECTORATE), (3, ServiceKind.TEAM)]) == {3}
    assert flag_unit_ids([(1, ServiceKind.DIRECTORATE)]) == {1}


def test_nearest_unit_is_the_first_service_above_a_team():
    anc = ancestor_map(TREE)
    assert nearest_unit(anc[3], {2, 5}) == 2
    assert nearest_unit(anc[1], {2, 5}) == 1  # above every unit: their own
