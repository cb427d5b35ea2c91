"""Each dashboard and the report take the same number of queries however much
data there is, and no more than 23.

Every signed-in page starts with 4 (the session, the user, the viewer's
employee record, the organisation's services for roles and subtrees) and ends
with 3 (SESSION_SAVE_EVERY_REQUEST: the session's UPDATE, inside a savepoint
under test). The navigation asks "has direct reports" on every HTML page (1).
Then:

- service dashboard (23 = 4 + 1 + 15 + 3): the services' figures as the last run
  stored them 1 (KPIs by status and the exceptions in order, workforce and
  supervision counts by employment type, goals by status, who may be among the
  most overdue: a read model), the listed exceptions' scorecard 3 (KPIs, result
  figures, targets), the viewer's "needs your attention" 3 (its counts by
  severity with how many are new, the count of those for the people below them,
  the first ten), the service's flags by severity 1, risks above target or
  overdue 1, skills gaps 1, the most overdue people 1, appraisal cycles with
  reviews done 1, last run 1, registration and mandatory training 2 (the people
  with their role's body and latest registration; each required course with
  their latest completion). Without stored figures from today it counts
  instead: one query more (the stored figures' own).
- organisation overview (14 = 4 + 1 + 6 + 3): the KPIs with their latest
  result's status 1 (counts by status need nothing else of the scorecard),
  high flags by service 1, workforce and supervision counts 1 (stored), top risks 1,
  priorities 1, last run 1.
- my page (13 = 4 + 1 + 5 + 3): goals 1, cadence 2, open actions 1, sessions
  to acknowledge 1.
- quarterly report (17 = 4 + 1 + 7 + 3 + 2): scorecard 4 (whose figures hold the
  previous quarter's and last year's results too), the comparisons older than
  the scorecard's window 1 (asked every time, empty when there are none: a KPI
  whose latest figure is stale needs them, and the count must not depend on
  the data), risks above target 1, workforce and supervision counts 1 (stored),
  the committees whose papers it offers 1 and the quarter's sign-off 1. Its CSV,
  Excel, Word and PDF downloads: the report without the navigation (14); a
  committee's paper reads its template too (15).
- public page (7, no sign-in and no session): organisation 1, scorecard 3 (figures
  only: it shows no commentary), the shared goals that link measures to
  priorities 1, the headline measures' trend results 1 and targets 1.
- a service's public page (8): organisation 1, service 1, scorecard 4 (the latest
  results in full, for their public commentary), trend results 1, targets 1.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalLevel, SessionKind, SessionState
from insights.models import FlagKind, FlagSeverity
from insights.services.recompute import run_recompute
from organisations.models import (
    KPI,
    EmploymentType,
    MandatoryCourse,
    ProfessionalRegistration,
    RoleCourseRequirement,
    RoleRegistrationRequirement,
    TrainingRecord,
)
from organisations.rules import years as year_rules
from tests.conftest import client_for
from tests.factories import EmployeeFactory, JobRoleFactory, ServiceFactory
from tests.insights.conftest import month_ends
from tests.insights.factories import (
    ActionFactory,
    FlagFactory,
    GoalFactory,
    KPIFactory,
    KPIResultFactory,
    KPITargetFactory,
    RiskFactory,
    SessionFactory,
    SkillGapFactory,
)

BUDGET = 23


def pages(w, today):
    # The quarter holding last month's results, so the comparison query runs.
    last_month = month_ends(today)[0]
    report = {
        "financial_year": year_rules.financial_year_start(last_month),
        "quarter": year_rules.quarter_of(last_month),
    }
    return {
        "service dashboard": (w.head, reverse("insights:service_dashboard", args=[w.directorate.pk]), {}),
        "organisation overview": (w.officer, reverse("insights:org_overview"), {}),
        "my page": (w.staff, reverse("insights:my_page"), {}),
        "report, organisation": (
            w.officer,
            reverse("insights:quarterly_report"),
            {**report, "scope": "organisation"},
        ),
        "report, service": (w.head, reverse("insights:quarterly_report"), {**report, "scope": w.service.pk}),
        "report CSV": (w.officer, reverse("insights:quarterly_report_csv"), report),
        "report Excel": (w.officer, reverse("insights:quarterly_report_xlsx"), report),
        "report Word": (w.officer, reverse("insights:quarterly_report_docx"), report),
        "report PDF": (w.officer, reverse("insights:quarterly_report_pdf"), report),
        "public page": (None, reverse("insights:public_performance", args=[w.org.slug]), {}),
        "public service page": (
            None,
            reverse("insights:public_service", args=[w.org.slug, w.service.pk]),
            {},
        ),
    }


def count_queries(w, today) -> dict[str, int]:
    counts = {}
    for name, (who, url, params) in pages(w, today).items():
        client = client_for(who) if who else Client()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


def grow(w, scenario, n: int) -> None:
    """n more of everything the pages read, spread over the tree."""
    today = scenario.today
    teams = [w.team, w.other_team]
    social_worker = JobRoleFactory(organisation=w.org, title="Grown social worker")
    RoleRegistrationRequirement.objects.create(job_role=social_worker, body="swe")
    course = MandatoryCourse.objects.create(organisation=w.org, name="Grown course", renewal_months=12)
    RoleCourseRequirement.objects.create(job_role=social_worker, course=course)
    for i in range(n):
        team = teams[i % 2]
        new_team = ServiceFactory(organisation=w.org, parent=w.service, name=f"Extra team {i}", kind="team")
        person = EmployeeFactory(
            organisation=w.org,
            service=new_team if i % 3 == 0 else team,
            line_manager=w.manager,
            employment_type=EmploymentType.AGENCY if i % 4 == 0 else EmploymentType.PERMANENT,
            end_date=today + timedelta(days=10 + i) if i % 4 == 0 else None,
            job_role=social_worker,
        )
        ProfessionalRegistration.objects.create(
            organisation=w.org,
            employee=person,
            body="swe",
            number=f"SW{i}",
            expires_on=today + timedelta(days=i - 5),
        )
        TrainingRecord.objects.create(
            organisation=w.org,
            employee=person,
            course=course,
            completed_on=today - timedelta(days=300 + i),
            expires_on=today + timedelta(days=65 - i),
        )
        session = SessionFactory(
            employee=person, held_on=today - timedelta(days=i), kind=SessionKind.MID_YEAR
        )
        ActionFactory(session=session, owner=w.staff)
        SessionFactory(employee=w.staff, held_on=today - timedelta(days=i + 1), state=SessionState.SHARED)
        GoalFactory(organisation=w.org, owner=person)
        GoalFactory(organisation=w.org, owner=w.staff)
        GoalFactory(organisation=w.org, level=GoalLevel.TEAM, service=team)
        GoalFactory(organisation=w.org, level=GoalLevel.ORGANISATION)
        kpi = KPIFactory(
            service=w.service if i % 5 == 0 else team,
            published=True,
            frequency="monthly" if i % 2 else "quarterly",
        )
        KPITargetFactory(kpi=kpi, financial_year=2025, target=Decimal("50"))
        for period in (scenario.last_month, scenario.month_before):
            KPIResultFactory(kpi=kpi, period_end=period, value=Decimal(i), status="red")
        FlagFactory(service=team, severity=FlagSeverity.HIGH)
        FlagFactory(service=team, employee=person, kind=FlagKind.FEEDBACK_OVERDUE)
        RiskFactory(organisation=w.org, service=team)
        SkillGapFactory(service=team)
    # An annual KPI whose latest figure is stale: its comparison with the year
    # before lies outside the scorecard's window of figures.
    stale = KPIFactory(service=w.team, published=True, frequency=year_rules.ANNUAL)
    q_end = year_rules.quarter_bounds(
        year_rules.financial_year_start(scenario.last_month), year_rules.quarter_of(scenario.last_month)
    )[1]
    end = year_rules.period_end_for(q_end, year_rules.ANNUAL)
    while end - timedelta(days=365) >= q_end - timedelta(days=1200):
        end = year_rules.previous_period_end(end, year_rules.ANNUAL)
    for period in (end, year_rules.previous_period_end(end, year_rules.ANNUAL)):
        KPIResultFactory(kpi=stale, period_end=period, value=Decimal("40"), status="grey")


@pytest.mark.parametrize("n", [25])
def test_query_counts_do_not_grow_with_the_data(world, scenario, n):
    KPI.objects.filter(pk=scenario.kpis["red"].pk).update(published=True)
    # A priority whose headline measure is the red KPI: the public page draws its trend.
    priority = GoalFactory(organisation=world.org, level=GoalLevel.ORGANISATION, title="Safe homes")
    GoalFactory(
        organisation=world.org,
        level=GoalLevel.SERVICE,
        service=world.service,
        parent=priority,
        kpi=scenario.kpis["red"],
    )
    # The services' figures stored by a run: pages read them (a read model) instead
    # of counting everyone, in the same one query; without them they count (one more).
    run_recompute(world.org, today=scenario.today)
    small = count_queries(world, scenario.today)
    grow(world, scenario, n)
    run_recompute(world.org, today=scenario.today)
    large = count_queries(world, scenario.today)
    assert large == small
    assert all(count <= BUDGET for count in large.values()), large
    # The figures in the module docstring.
    assert small == {
        "service dashboard": 23,
        "organisation overview": 14,
        "my page": 13,
        "report, organisation": 17,
        "report, service": 17,
        "report CSV": 14,
        "report Excel": 14,
        "report Word": 14,
        "report PDF": 14,
        "public page": 7,
        "public service page": 8,
    }
