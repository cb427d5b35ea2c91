"""Each dashboard figure on the hand-built service (tests/insights/conftest.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from appraisals.models import SessionKind
from appraisals.selectors.supervision import cadence_for, most_overdue
from core import clock
from insights import selectors
from organisations.access import Viewer
from organisations.models import KPI, Employee
from organisations.rules import years as year_rules
from organisations.selectors.kpis import kpi_scorecard, status_counts
from tests.insights.factories import (
    CycleFactory,
    KPIFactory,
    KPIResultFactory,
    KPITargetFactory,
    SessionFactory,
)


def subtree(world, service):
    return Viewer(world.officer).service_subtree_ids(service)


def staff_of(world, service):
    return Employee.objects.filter(
        organisation=world.org, active=True, service_id__in=subtree(world, service)
    )


def test_workforce_headcount_fte_interim_share_and_contracts_ending(world, scenario):
    counts = selectors.workforce_by_service(staff_of(world, world.service), scenario.today)
    mix = selectors.workforce_mix(counts, None, world.org.interim_reliance_threshold)
    by_type = {r.employment_type: r for r in mix.rows}
    assert mix.headcount == 7
    assert mix.fte == Decimal("6.5")
    assert (by_type["permanent"].headcount, by_type["permanent"].fte) == (4, Decimal("4.00"))
    assert (by_type["interim"].headcount, by_type["agency"].fte) == (1, Decimal("0.50"))
    assert by_type["fixed_term"].headcount == 1
    assert by_type["secondment"].headcount == 0  # every type is shown, even when empty
    assert mix.contingent_headcount == 2
    assert mix.interim_share == pytest.approx(1.5 / 6.5 * 100)
    assert mix.above_threshold  # 23.1% > 20%
    assert (mix.ending_30, mix.ending_90) == (1, 2)
    assert (by_type["agency"].ending_30, by_type["fixed_term"].ending_90) == (1, 1)


def test_workforce_rolls_up_a_subtree_from_one_grouped_query(world, scenario):
    counts = selectors.workforce_by_service(
        Employee.objects.filter(organisation=world.org, active=True), scenario.today
    )
    team_only = selectors.workforce_mix(counts, [world.other_team.pk], world.org.interim_reliance_threshold)
    assert team_only.headcount == 2  # interim and agency
    assert team_only.interim_share == 100.0
    whole = selectors.workforce_mix(counts, None, world.org.interim_reliance_threshold)
    assert whole.headcount == 10  # the 8 of the world and the 2 added; the leaver is not counted


def test_interim_share_at_the_threshold_is_not_above_it(world):
    # The world alone: interim 1.0 of 5.0 FTE in the service = exactly 20%.
    counts = selectors.workforce_by_service(staff_of(world, world.service), clock.today())
    mix = selectors.workforce_mix(counts, None, Decimal("20"))
    assert mix.interim_share == 20.0
    assert not mix.above_threshold


def test_supervision_compliance_and_who_is_overdue(world, scenario):
    cadences = cadence_for(staff_of(world, world.service), world.org, scenario.today)
    s = selectors.supervision_summary(cadences.values())
    assert (s.in_date, s.total) == (3, 7)
    assert s.percent == pytest.approx(300 / 7)
    overdue = {c.employee.pk: c.days_overdue for c in s.overdue}
    assert set(overdue) == {world.service_head.pk, world.peer.pk, world.interim.pk, scenario.agency.pk}
    assert overdue[world.peer.pk] == 12
    assert s.overdue[0].days_overdue >= s.overdue[-1].days_overdue  # most overdue first
    assert s.overdue[-1].employee == world.peer


def test_kpi_counts_by_status_in_the_subtree(world, scenario):
    ids = subtree(world, world.service)
    rows = kpi_scorecard(KPI.objects.filter(organisation=world.org, service_id__in=ids, active=True))
    assert status_counts(rows) == {"green": 2, "amber": 1, "red": 1, "grey": 0, "no_result": 1}
    # HO-02 is green and worse than before: not an exception (red, or amber and worsening).
    assert {r.kpi.code for r in rows if r.is_exception} == {"HO-01"}
    by_service = selectors.kpi_status_by_service(rows)
    assert by_service[world.team.pk] == {"green": 1, "amber": 0, "red": 0, "grey": 0, "no_result": 0}
    assert selectors.add_counts([by_service[world.team.pk], by_service[world.service.pk]]) == {
        "green": 1,
        "amber": 1,
        "red": 1,
        "grey": 0,
        "no_result": 1,
    }


def test_goals_by_status_and_level(world, scenario):
    rows = {r.status: r for r in selectors.goals_by_status(world.org, subtree(world, world.service))}
    assert rows["on_track"].by_level == {"service": 1, "team": 0, "individual": 0}
    assert rows["at_risk"].by_level == {"service": 0, "team": 1, "individual": 0}  # officer's is outside
    assert rows["off_track"].by_level == {"service": 0, "team": 0, "individual": 1}
    assert rows["dropped"].total == 1
    assert sum(r.total for r in rows.values()) == 4
    priorities = selectors.organisation_priorities(world.org)
    assert [g.title for g in priorities] == ["Prevent homelessness"]


def test_cycle_completion(world, scenario):
    done = selectors.cycle_completion(world.org, staff_of(world, world.service), 7, scenario.today)
    assert done.cycle is not None
    assert (done.mid_year_done, done.year_end_done, done.staff) == (1, 0, 7)
    assert done.mid_year_percent == pytest.approx(100 / 7)


def test_cycle_completion_counts_each_person_once_and_only_in_the_window(world):
    cycle = CycleFactory(organisation=world.org)  # mid-year from 1 Sep 2026, year-end from 1 Mar 2027
    for person, held_on, kind in [
        (world.staff, date(2026, 9, 5), SessionKind.MID_YEAR),
        (world.staff, date(2026, 10, 5), SessionKind.MID_YEAR),  # twice: one person
        (world.peer, date(2026, 8, 31), SessionKind.MID_YEAR),  # before the window
        (world.manager, date(2026, 9, 10), SessionKind.ONE_TO_ONE),  # not a review
        (world.interim, date(2027, 3, 2), SessionKind.MID_YEAR),  # late: after year-end opened
        (world.staff, date(2027, 3, 20), SessionKind.ANNUAL),
        (world.peer, date(2027, 5, 20), SessionKind.ANNUAL),  # late, still done
        (world.officer, date(2027, 3, 20), SessionKind.ANNUAL),  # not in the scope
    ]:
        SessionFactory(employee=person, held_on=held_on, kind=kind)
    done = selectors.cycle_completion(world.org, staff_of(world, world.service), 5, date(2027, 6, 1))
    assert done.cycle == cycle
    assert (done.mid_year_done, done.year_end_done) == (1, 2)
    assert (
        selectors.cycle_completion(world.other_org, Employee.objects.none(), 0, date(2027, 6, 1)).cycle
        is None
    )


def cycle_for(org, year: int):
    """A cycle for the financial year starting in April ``year``: mid-year reviews
    from September, year-end reviews from the next March."""
    return CycleFactory(
        organisation=org,
        financial_year=year,
        mid_year_opens=date(year, 9, 1),
        mid_year_closes=date(year, 10, 31),
        year_end_opens=date(year + 1, 3, 1),
        year_end_closes=date(year + 1, 4, 30),
    )


def test_current_cycle_is_the_latest_begun_else_the_next(world):
    today = date(2026, 6, 1)
    later = cycle_for(world.org, 2026)
    assert selectors.pick_current_cycle([], today) is None
    assert selectors.pick_current_cycle([later], today) == later
    earlier = cycle_for(world.org, 2025)
    # In June the 2025/26 year-end reviews are still the cycle in view.
    assert selectors.pick_current_cycle([later, earlier], today) == earlier
    assert selectors.pick_current_cycle([later, earlier], date(2026, 9, 1)) == later
    # cycle_completion reads only the cycles that can be current, and picks the same.
    cycle_for(world.org, 2024)
    none = Employee.objects.none()
    for day, expected in [(date(2024, 6, 1), 2024), (today, 2025), (date(2026, 9, 1), 2026)]:
        assert selectors.cycle_completion(world.org, none, 0, day).cycle.financial_year == expected, day


def test_attention_lists_what_the_viewer_acts_on_and_counts_the_rest(world, scenario):
    # The head of the directorate: the high KPI flag in their services is theirs to see to;
    # the team's flags are the manager's, counted.
    head = selectors.attention(Viewer(world.head))
    assert [f.title for f in head.items] == ["Prevention outcomes is red"]
    assert head.total == 1
    assert {c.severity: c.n for c in head.below} == {"high": 1, "medium": 1, "low": 0}
    # The manager owns both of the team's flags: high first.
    manager = selectors.attention(Viewer(world.manager))
    assert [f.title for f in manager.items] == ["Feedback overdue for Pat Peer", "HO-02 worsening"]
    assert manager.below_total == 0
    # A performance officer acts on none of them, and never sees the personal one.
    officer = selectors.attention(Viewer(world.officer))
    assert officer.items == [] and officer.below_total == 3  # the Resources flag too


def test_attention_is_limited_and_says_how_many_more(world, scenario):
    summary = selectors.attention(Viewer(world.manager), limit=1)
    assert len(summary.items) == 1
    assert summary.more == 1


def test_a_services_flag_counts_are_those_the_viewer_may_see(world, scenario):
    ids = subtree(world, world.service)
    officer = {c.severity: c.n for c in selectors.service_flag_counts(Viewer(world.officer), ids)}
    assert officer == {"high": 1, "medium": 1, "low": 0}  # not the flag about Pat Peer
    head = {c.severity: c.n for c in selectors.service_flag_counts(Viewer(world.head), ids)}
    assert head == {"high": 2, "medium": 1, "low": 0}


def test_high_flags_by_service(world, scenario):
    assert selectors.high_flags_by_service(Viewer(world.chief)) == {
        world.service.pk: 1,
        world.team.pk: 1,
        world.corporate.pk: 1,
    }


def test_top_skill_gaps_are_service_level_gaps_in_the_subtree(world, scenario):
    gaps = selectors.top_skill_gaps(world.org, subtree(world, world.service))
    assert [(g.service, g.employee, g.recommendation) for g in gaps] == [(world.team, None, "interim_cover")]


def test_top_risks_and_risks_above_target(world, scenario):
    assert [r.title for r in selectors.top_risks(world.org)] == [
        "Cyber attack",
        "Temporary accommodation costs",
        "Team at target",
    ]
    ids = subtree(world, world.service)
    assert [r.title for r in selectors.top_risks(world.org, ids, above_target_only=True)] == [
        "Temporary accommodation costs"
    ]


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 5, 10), (2025, 4)),
        (date(2026, 7, 1), (2026, 1)),
        (date(2026, 12, 31), (2026, 2)),
        (date(2027, 1, 1), (2026, 3)),
        (date(2027, 3, 31), (2026, 3)),
    ],
)
def test_latest_complete_quarter(today, expected):
    assert selectors.latest_complete_quarter(today, 4) == expected


def test_quarter_rows_compare_with_the_previous_quarter_and_last_year(world):
    q_start, q_end = year_rules.quarter_bounds(2025, 2)  # July to September 2025
    monthly = KPIFactory(service=world.service, code="M", frequency="monthly")
    quarterly = KPIFactory(service=world.service, code="Q", frequency="quarterly", polarity="lower")
    stale = KPIFactory(service=world.service, code="S", frequency="monthly")
    for k in (monthly, quarterly, stale):
        KPITargetFactory(kpi=k, financial_year=2025, target=Decimal("90"))
    for period, value in [
        (date(2025, 9, 30), "80"),
        (date(2025, 8, 31), "99"),  # not the quarter-end month: not compared
        (date(2025, 6, 30), "85"),
        (date(2024, 9, 30), "70"),
        (date(2025, 10, 31), "10"),  # after the quarter: not seen
    ]:
        KPIResultFactory(kpi=monthly, period_end=period, value=Decimal(value), status="red")
    KPIResultFactory(kpi=quarterly, period_end=date(2025, 9, 30), value=Decimal("5"), status="green")
    KPIResultFactory(kpi=quarterly, period_end=date(2025, 6, 30), value=Decimal("7"), status="green")
    KPIResultFactory(kpi=stale, period_end=date(2025, 5, 31), value=Decimal("95"), status="green")

    rows = kpi_scorecard(KPI.objects.filter(code__in=["M", "Q", "S"]).order_by("code"), as_of=q_end)
    m, q, s = selectors.quarter_rows(rows, q_start)
    assert m.result.value == Decimal("80")
    assert (m.previous_quarter.value, m.last_year.value) == (Decimal("85"), Decimal("70"))
    assert (m.direction_previous, m.direction_last_year) == ("worsening", "improving")
    assert m.is_exception and m.period_label == "Sep 2025"
    assert q.direction_previous == "improving"  # lower is better: 7 -> 5
    assert q.last_year is None and q.direction_last_year is None
    assert not q.is_exception
    assert not s.has_result and s.status == "no_result" and s.period_label == "No result for this quarter"
    assert s.target is None


def test_kpi_trends_oldest_first_with_each_years_target(world):
    k = KPIFactory(service=world.service, code="T", frequency="quarterly")
    KPITargetFactory(kpi=k, financial_year=2024, target=Decimal("80"))
    KPITargetFactory(kpi=k, financial_year=2025, target=Decimal("85"))
    ends = [date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30)]
    for i, end in enumerate(ends):
        KPIResultFactory(kpi=k, period_end=end, value=Decimal(80 + i), status=["green", "green", "amber"][i])
    trend = selectors.kpi_trends([k], date(2025, 7, 15))[k.pk]
    assert [(p.label, p.value, p.target, p.status) for p in trend] == [
        ("Q3 2024/25", "80.0%", "80.0%", "green"),
        ("Q4 2024/25", "81.0%", "80.0%", "green"),
        ("Q1 2025/26", "82.0%", "85.0%", "amber"),  # each point's status, for its colour and shape
    ]
    # Only the most recent points: 8 quarters.
    for i in range(10):
        end = year_rules.period_end_for(date(2022, 4, 1) + timedelta(days=92 * i), "quarterly")
        if end not in ends:
            KPIResultFactory(kpi=k, period_end=end, value=Decimal("1"))
    assert len(selectors.kpi_trends([k], date(2025, 7, 15))[k.pk]) == 8


def test_compliance_by_service_sums_over_any_subtree(world, scenario):
    cadences = cadence_for(
        Employee.objects.filter(organisation=world.org, active=True), world.org, scenario.today
    )
    by_service = selectors.compliance_by_service(cadences.values())
    housing = selectors.compliance_over(by_service, subtree(world, world.directorate))
    assert (housing.in_date, housing.total) == (3, 8)  # the director has had no session
    assert housing.percent == 37.5
    assert selectors.compliance_over(by_service, []).percent == 100.0  # no one to be overdue


# --- The same figures counted by the database (the council-wide pages) ----------


def _python_figures(world, staff, today):
    cadences = cadence_for(staff, world.org, today)
    return (
        selectors.workforce_by_service(staff, today),
        selectors.compliance_by_service(cadences.values()),
        selectors.supervision_summary(cadences.values()),
    )


def _add_awkward_people(world, today):
    """Newly qualified workers at each step of the ASYE rhythm, own intervals,
    a session in the future, a contract ending today and one just ended."""
    from tests.factories import EmployeeFactory

    made = []
    for days_in, last_session_ago in [
        (20, 8),
        (20, 6),
        (100, 15),
        (100, 13),
        (300, 29),
        (300, 27),
        (5, None),
    ]:
        e = EmployeeFactory(
            organisation=world.org,
            service=world.team,
            line_manager=world.manager,
            newly_qualified=True,
            start_date=today - timedelta(days=days_in),
        )
        if last_session_ago is not None:
            SessionFactory(employee=e, held_on=today - timedelta(days=last_session_ago))
        made.append(e)
    own = EmployeeFactory(
        organisation=world.org, service=world.other_team, feedback_interval_days=7, end_date=today
    )
    SessionFactory(employee=own, held_on=today - timedelta(days=8))
    SessionFactory(employee=own, held_on=today - timedelta(days=20))
    ahead = EmployeeFactory(
        organisation=world.org,
        service=world.other_team,
        feedback_interval_days=90,
        end_date=today - timedelta(days=1),
    )
    SessionFactory(employee=ahead, held_on=today + timedelta(days=3))
    return made


@pytest.mark.parametrize("awkward", [False, True])
def test_staff_figures_match_the_rules_applied_person_by_person(world, scenario, awkward):
    today = scenario.today
    if awkward:
        _add_awkward_people(world, today)
    staff = Employee.objects.filter(organisation=world.org, active=True)
    workforce, by_service, summary = _python_figures(world, staff, today)
    db_workforce, db_by_service = selectors.staff_figures(staff, world.org, today)
    assert db_workforce == workforce
    assert db_by_service == by_service
    supervision = selectors.supervision_over(db_by_service, staff, world.org, today, listed=3)
    assert (supervision.in_date, supervision.total, supervision.percent) == (
        summary.in_date,
        summary.total,
        summary.percent,
    )
    assert supervision.overdue_count == summary.overdue_count
    assert [(c.employee.pk, c.days_overdue, c.last_session, c.next_due) for c in supervision.overdue] == [
        (c.employee.pk, c.days_overdue, c.last_session, c.next_due) for c in summary.overdue[:3]
    ]


def test_newly_qualified_rhythm_counted_by_the_database(world, scenario):
    today = scenario.today
    made = _add_awkward_people(world, today)
    staff = Employee.objects.filter(pk__in=[e.pk for e in made])
    _, by_service = selectors.staff_figures(staff, world.org, today)
    # Weekly in the first six weeks (8 days ago: overdue, 6: in date), fortnightly
    # to six months (15 overdue, 13 in date), then monthly (29 overdue, 27 in
    # date); a new starter 5 days in is in date.
    assert by_service[world.team.pk] == selectors.Compliance(in_date=4, total=7)
    overdue = most_overdue(staff, world.org, today, limit=10)
    assert sorted((c.days_overdue, c.interval_days) for c in overdue) == [(1, 7), (1, 14), (1, 28)]


def test_latest_statuses_are_the_scorecards_status_column(world, scenario):
    from organisations.selectors.kpis import latest_statuses

    today = scenario.today
    # Beyond the scorecard's window: a monthly KPI whose only result is three
    # years old (grey there), an annual one whose result is three years old (in
    # its longer window), and a result after the as-of date.
    old = KPIFactory(service=world.team, code="OLD-1")
    KPIResultFactory(kpi=old, period_end=year_rules.period_end_for(today - timedelta(days=1000), "monthly"))
    annual = KPIFactory(service=world.team, code="ANN-1", frequency="annual")
    KPIResultFactory(
        kpi=annual,
        period_end=year_rules.period_end_for(today - timedelta(days=1000), "annual"),
        status="red",
    )
    future = KPIFactory(service=world.team, code="FUT-1")
    KPIResultFactory(kpi=future, period_end=year_rules.period_end_for(today + timedelta(days=40), "monthly"))
    kpis = KPI.objects.filter(organisation=world.org, active=True)
    expected = {r.kpi.pk: (r.kpi.service_id, r.status) for r in kpi_scorecard(kpis, today=today)}
    got = {pk: (service_id, status) for pk, service_id, status in latest_statuses(kpis, as_of=today)}
    assert got == expected
    assert got[old.pk][1] == "no_result" and got[annual.pk][1] == "red" and got[future.pk][1] == "no_result"
    assert selectors.kpi_status_counts_by_service(latest_statuses(kpis, as_of=today)) == (
        selectors.kpi_status_by_service(kpi_scorecard(kpis, today=today))
    )
