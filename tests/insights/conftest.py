"""A hand-built Housing Options service (the world's ``service``, with its two
teams) whose every dashboard figure is known in advance.

People in the service's subtree (7): service_head, manager, staff, peer,
interim (1.0 FTE, contract ends 2030), agency (0.5 FTE, ends in 20 days) and
fixed (fixed-term, ends in 60 days, started 10 days ago). 6.5 FTE, of which
1.5 interim or agency: 23.1%, above the 20% threshold. Contracts ending: 1
within 30 days, 2 within 90.

Feedback in date (28-day interval): staff (mid-year review 10 days ago),
manager (5 days ago), fixed (new starter): 3 of 7, 43%. peer is 12 days
overdue; the others have never had a session.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from appraisals.models import GoalLevel, GoalStatus, SessionKind
from core import clock
from insights.models import FlagKind, FlagSeverity, SubjectType
from organisations.models import EmploymentType
from organisations.rules import years as year_rules
from tests.factories import EmployeeFactory
from tests.insights.factories import (
    CycleFactory,
    FlagFactory,
    GoalFactory,
    KPIFactory,
    KPIResultFactory,
    KPITargetFactory,
    RiskFactory,
    RunFactory,
    SessionFactory,
    SkillGapFactory,
)


@dataclass
class Scenario:
    today: date
    last_month: date
    month_before: date
    kpis: dict
    flags: dict
    agency: object
    fixed: object


def month_ends(today: date) -> tuple[date, date]:
    this = year_rules.period_end_for(today, year_rules.MONTHLY)
    last = year_rules.previous_period_end(this, year_rules.MONTHLY)
    return last, year_rules.previous_period_end(last, year_rules.MONTHLY)


def build_scenario(w) -> Scenario:
    today = clock.today()
    org = w.org
    fy = year_rules.financial_year_start(today)
    last, before = month_ends(today)

    agency = EmployeeFactory(
        organisation=org,
        service=w.other_team,
        first_name="Ada",
        last_name="Agency",
        line_manager=w.service_head,
        employment_type=EmploymentType.AGENCY,
        fte=Decimal("0.50"),
        end_date=today + timedelta(days=20),
    )
    fixed = EmployeeFactory(
        organisation=org,
        service=w.team,
        first_name="Fay",
        last_name="Fixed",
        line_manager=w.manager,
        employment_type=EmploymentType.FIXED_TERM,
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=60),
    )
    # Left: counted nowhere.
    EmployeeFactory(organisation=org, service=w.team, first_name="Lee", last_name="Left", active=False)

    # Sessions: staff's mid-year review, the manager's 1:1, peer 12 days overdue.
    SessionFactory(employee=w.staff, held_on=today - timedelta(days=10), kind=SessionKind.MID_YEAR)
    SessionFactory(employee=w.manager, held_on=today - timedelta(days=5))
    SessionFactory(employee=w.peer, held_on=today - timedelta(days=40))
    CycleFactory(
        organisation=org,
        financial_year=fy,
        mid_year_opens=today - timedelta(days=30),
        mid_year_closes=today + timedelta(days=30),
        year_end_opens=today + timedelta(days=100),
        year_end_closes=today + timedelta(days=160),
    )

    # KPIs: red, worsening, improving, amber, no result; one outside, one inactive.
    def kpi(code, service, results, **kw):
        k = KPIFactory(service=service, code=code, name=kw.pop("name", f"Measure {code}"), **kw)
        for year in {year_rules.financial_year_start(last), year_rules.financial_year_start(before)}:
            KPITargetFactory(kpi=k, financial_year=year, target=Decimal("90"))
        for period, value, status in results:
            KPIResultFactory(
                kpi=k,
                period_end=period,
                value=Decimal(value),
                status=status,
                corrective_action="Recovery plan" if status == "red" else "",
            )
        return k

    kpis = {
        "red": kpi("HO-01", w.service, [(last, "70", "red")], name="Prevention outcomes"),
        "worsening": kpi("HO-02", w.team, [(before, "99", "green"), (last, "95", "green")]),
        "improving": kpi("HO-03", w.other_team, [(before, "91", "green"), (last, "96", "green")]),
        "amber": kpi("HO-04", w.service, [(last, "88", "amber")]),
        "empty": kpi("HO-05", w.service, []),
        "outside": kpi("RES-01", w.corporate, [(last, "10", "red")]),
        "inactive": kpi("HO-99", w.service, [(last, "10", "red")], active=False),
    }

    now = clock.now()
    flags = {
        "kpi_red": FlagFactory(
            service=w.service,
            kind=FlagKind.KPI_RED,
            severity=FlagSeverity.HIGH,
            subject_type=SubjectType.KPI,
            subject_id=kpis["red"].pk,
            title="Prevention outcomes is red",
            opened_at=now - timedelta(hours=1),
            owner=w.service_head,
        ),
        "worsening": FlagFactory(
            service=w.team,
            kind=FlagKind.KPI_WORSENING,
            severity=FlagSeverity.MEDIUM,
            title="HO-02 worsening",
            opened_at=now - timedelta(days=2),
            owner=w.manager,
        ),
        "personal": FlagFactory(
            service=w.team,
            employee=w.peer,
            kind=FlagKind.FEEDBACK_OVERDUE,
            severity=FlagSeverity.HIGH,
            subject_type=SubjectType.EMPLOYEE,
            subject_id=w.peer.pk,
            title="Feedback overdue for Pat Peer",
            opened_at=now - timedelta(days=3),
            owner=w.peer.line_manager,
        ),
        "resolved": FlagFactory(
            service=w.service, severity=FlagSeverity.LOW, title="Resolved flag", resolved_at=now
        ),
        "dismissed": FlagFactory(
            service=w.service, severity=FlagSeverity.MEDIUM, title="Dismissed flag", dismissed_at=now
        ),
        "outside": FlagFactory(service=w.corporate, severity=FlagSeverity.HIGH, title="Resources flag"),
    }

    # Goals: one of each level in the subtree, plus ones outside it.
    GoalFactory(organisation=org, level=GoalLevel.SERVICE, service=w.service, status=GoalStatus.ON_TRACK)
    GoalFactory(organisation=org, level=GoalLevel.TEAM, service=w.team, status=GoalStatus.AT_RISK)
    GoalFactory(organisation=org, owner=w.staff, status=GoalStatus.OFF_TRACK, title="Cut waiting times")
    GoalFactory(organisation=org, owner=w.peer, status=GoalStatus.DROPPED)
    GoalFactory(organisation=org, owner=w.officer, status=GoalStatus.AT_RISK)
    GoalFactory(
        organisation=org,
        level=GoalLevel.ORGANISATION,
        status=GoalStatus.ON_TRACK,
        progress=40,
        title="Prevent homelessness",
    )

    # Skills gaps: one service-level gap to show; a person's gap, a covered
    # skill and another service's gap that must not show.
    SkillGapFactory(service=w.team, coverage=Decimal("25.0"), recommendation="interim_cover")
    SkillGapFactory(service=w.team, employee=w.staff, recommendation="develop")
    SkillGapFactory(service=w.service, people_meeting=4, coverage=Decimal("100"), recommendation="")
    SkillGapFactory(service=w.corporate, coverage=Decimal("10"))

    # Risks: above target in the service; at target in the team; a corporate one; a closed one.
    RiskFactory(organisation=org, service=w.service, title="Temporary accommodation costs", reference="R1")
    RiskFactory(
        organisation=org,
        service=w.team,
        title="Team at target",
        residual_likelihood=2,
        residual_impact=2,
    )
    RiskFactory(
        organisation=org,
        title="Cyber attack",
        residual_likelihood=4,
        residual_impact=5,
        target_likelihood=2,
        target_impact=3,
    )
    RiskFactory(organisation=org, service=w.service, title="Closed risk", is_open=False)

    RunFactory(organisation=org)
    return Scenario(
        today=today,
        last_month=last,
        month_before=before,
        kpis=kpis,
        flags=flags,
        agency=agency,
        fixed=fixed,
    )


@pytest.fixture
def scenario(world) -> Scenario:
    return build_scenario(world)
