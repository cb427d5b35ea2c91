"""Train, cover or recruit: the pure rule, its reasons and its figures."""

from datetime import date, timedelta
from decimal import Decimal

from insights.models.runs import Recommendation
from insights.rules.skill_options import (
    Planned,
    advise_person,
    advise_service,
    earliest_by_person,
    people_needed,
    working_days,
)

D = date(2026, 6, 1)  # a Monday
RATE = Decimal("500")


def service(**kw):
    base = dict(
        essential=True,
        statutory=False,
        people_required=5,
        people_meeting=1,
        coverage=Decimal("20"),
        threshold=Decimal("60"),
        below_threshold_since=D,
        today=D,
        planned=(),
        day_rate=RATE,
    )
    base.update(kw)
    return advise_service(**base)


def test_working_days_count_weekdays_after_the_start():
    assert working_days(D, D) == 0
    assert working_days(D, D + timedelta(days=7)) == 5
    assert working_days(D, D + timedelta(days=5)) == 4  # Tuesday to Saturday
    assert working_days(D, D - timedelta(days=3)) == 0


def test_people_needed_to_reach_the_threshold():
    assert people_needed(people_required=5, people_meeting=1, threshold=Decimal("60")) == 2
    assert people_needed(people_required=3, people_meeting=2, threshold=Decimal("60")) == 0


def test_each_person_counts_once_at_their_earliest_end():
    plans = [Planned(1, D + timedelta(days=30), Decimal(1)), Planned(1, D + timedelta(days=10), Decimal(2))]
    assert [p.ends_on for p in earliest_by_person(plans)] == [D + timedelta(days=10)]


def test_essential_gap_with_nothing_planned_is_interim_cover_costed_for_a_quarter():
    advice = service()
    assert advice.recommendation == Recommendation.INTERIM_COVER
    assert advice.recovery_on is None
    text = advice.reasons_text
    assert "1 of 5 are at level (20%), below the 60% threshold: 2 people more" in text
    assert "No development is planned" in text
    assert "for a quarter would cost £32,500 (65 working days at £500 a day)" in text


def test_short_courses_for_enough_people_turn_cover_into_develop():
    plans = [
        Planned(7, D + timedelta(days=14), Decimal("400")),
        Planned(8, D + timedelta(days=21), Decimal("350")),
    ]
    advice = service(planned=plans)
    assert advice.recommendation == Recommendation.DEVELOP
    assert advice.recovery_on == D + timedelta(days=21)
    assert "time to competence 21 days), costing £750" in advice.reasons_text
    assert "would cost £7,500 (15 working days" in advice.reasons_text


def test_not_enough_people_planned_stays_cover():
    advice = service(planned=[Planned(7, D + timedelta(days=14), Decimal("400"))])
    assert advice.recommendation == Recommendation.INTERIM_COVER
    assert "not enough: 2 people are needed" in advice.reasons_text


def test_slow_development_compared_on_cost():
    slow = [
        Planned(7, D + timedelta(days=120), Decimal("900")),
        Planned(8, D + timedelta(days=120), Decimal("900")),
    ]
    # Someone at level carries the work; cover until then costs far more than 3 times £1,800.
    assert service(planned=slow).recommendation == Recommendation.DEVELOP
    assert "more than 3 times the development" in service(planned=slow).reasons_text
    # Dear development: cover is the cheaper way to keep the service safe meanwhile.
    dear = [
        Planned(7, D + timedelta(days=120), Decimal("30000")),
        Planned(8, D + timedelta(days=120), Decimal("9000")),
    ]
    assert service(planned=dear).recommendation == Recommendation.INTERIM_COVER
    # Nobody at level: cover whatever the cost.
    assert (
        service(planned=slow, people_meeting=0, coverage=Decimal(0)).recommendation
        == Recommendation.INTERIM_COVER
    )


def test_statutory_skill_is_covered_while_slow_development_runs():
    slow = [
        Planned(7, D + timedelta(days=120), Decimal("900")),
        Planned(8, D + timedelta(days=120), Decimal("900")),
    ]
    advice = service(planned=slow, statutory=True)
    assert advice.recommendation == Recommendation.INTERIM_COVER
    assert "A statutory skill" in advice.reasons_text


def test_a_one_person_gap_is_development_unless_a_statutory_duty_is_uncovered():
    one = dict(people_required=2, people_meeting=1, coverage=Decimal("50"))
    advice = service(**one)
    assert advice.recommendation == Recommendation.DEVELOP
    assert "Only 1 person is short" in advice.reasons_text
    assert service(**one, statutory=True).recommendation == Recommendation.DEVELOP
    alone = dict(people_required=1, people_meeting=0, coverage=Decimal("0"))
    assert service(**alone).recommendation == Recommendation.DEVELOP
    assert service(**alone, statutory=True).recommendation == Recommendation.INTERIM_COVER


def test_recruit_when_persistent_and_nothing_planned_closes_it():
    since = D - timedelta(days=180)
    assert service(below_threshold_since=since).recommendation == Recommendation.RECRUIT
    quick = [Planned(7, D + timedelta(days=10), Decimal(0)), Planned(8, D + timedelta(days=10), Decimal(0))]
    assert service(below_threshold_since=since, planned=quick).recommendation == Recommendation.DEVELOP


def test_a_person_is_always_advised_to_develop():
    assert advise_person(gap=0, today=D).recommendation == Recommendation.NONE
    advice = advise_person(gap=2, today=D)
    assert advice.recommendation == Recommendation.DEVELOP
    assert "Nothing planned yet" in advice.reasons_text
    planned = advise_person(gap=1, planned=[Planned(1, D + timedelta(days=9), Decimal("120"))], today=D)
    assert planned.recovery_on == D + timedelta(days=9)
    assert "£120" in planned.reasons_text
