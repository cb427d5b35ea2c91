"""Query counts and server times of the role dashboards and the quarterly report.

    python -m bench.dashboards [--employees 10000] [--repeat 5] [--no-seed] [--fill]

Seeds the demo council at the given size (``seed_demo --replace``) into the
database DATABASE_URL names (PostgreSQL for the published figures; the
default SQLite file otherwise), then requests each page in-process with the
Django test client as the persona who would open it, and prints, per page, the
number of queries and the median and slowest server time over ``--repeat``
requests (after one warm-up). ``--fill`` adds, where the seed has none yet,
a session for most people, KPIs with two years of monthly results, flags,
goals and risks, so every part of each page has data to read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    import django

    django.setup()


def fill(organisation) -> None:
    """Bulk data for the parts of the pages the seed does not cover yet."""
    from django.utils import timezone

    from appraisals.models import FeedbackSession, Goal, GoalLevel, GoalStatus
    from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
    from organisations import kpi_rules
    from organisations.models import KPI, Employee, KPIResult, KPITarget, Risk, Service

    rng = random.Random(7)
    today = timezone.localdate()
    now = timezone.now()
    people = list(Employee.objects.filter(organisation=organisation, active=True))
    services = list(Service.objects.filter(organisation=organisation))
    if not FeedbackSession.objects.filter(organisation=organisation).exists():
        FeedbackSession.objects.bulk_create(
            [
                FeedbackSession(
                    organisation=organisation,
                    employee=e,
                    manager_id=e.line_manager_id,
                    held_on=today - timedelta(days=rng.randint(1, 60)),
                )
                for e in people
                if rng.random() < 0.8
            ],
            batch_size=5000,
        )
    if not KPI.objects.filter(organisation=organisation).exists():
        kpis = KPI.objects.bulk_create(
            [
                KPI(
                    organisation=organisation,
                    service=s,
                    code=f"B-{i:03d}",
                    name=f"Bench KPI {i}",
                    published=i % 3 == 0,
                )
                for i, s in enumerate(rng.choices(services, k=150))
            ]
        )
        fy = kpi_rules.financial_year_start(today)
        KPITarget.objects.bulk_create(
            [
                KPITarget(kpi=k, financial_year=y, target=Decimal("90"))
                for k in kpis
                for y in (fy - 2, fy - 1, fy)
            ]
        )
        ends, end = [], kpi_rules.period_end_for(today - timedelta(days=40), kpi_rules.MONTHLY)
        for _ in range(24):
            ends.append(end)
            end = kpi_rules.previous_period_end(end, kpi_rules.MONTHLY)
        KPIResult.objects.bulk_create(
            [
                KPIResult(
                    kpi=k,
                    period_end=e,
                    value=Decimal(rng.randint(70, 100)),
                    status=rng.choice(["green", "amber", "red"]),
                )
                for k in kpis
                for e in ends
            ],
            batch_size=5000,
        )
    if not Flag.objects.filter(organisation=organisation).exists():
        Flag.objects.bulk_create(
            [
                Flag(
                    organisation=organisation,
                    kind=FlagKind.FEEDBACK_OVERDUE,
                    severity=rng.choice(list(FlagSeverity.values)),
                    key=f"bench:{e.pk}",
                    subject_type=SubjectType.EMPLOYEE,
                    subject_id=e.pk,
                    service_id=e.service_id,
                    employee=e,
                    title=f"Feedback overdue for {e.full_name}",
                    rule="bench",
                    opened_at=now,
                    last_seen_at=now,
                )
                for e in people
                if rng.random() < 0.2
            ],
            batch_size=5000,
        )
    if not Goal.objects.filter(organisation=organisation).exists():
        Goal.objects.bulk_create(
            [
                Goal(
                    organisation=organisation,
                    level=GoalLevel.INDIVIDUAL,
                    owner=e,
                    title="Bench objective",
                    start_date=today - timedelta(days=100),
                    due_date=today + timedelta(days=200),
                    status=rng.choice([GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.AGREED]),
                )
                for e in people
            ],
            batch_size=5000,
        )
    if not Risk.objects.filter(organisation=organisation).exists():
        for i in range(60):
            Risk.objects.create(
                organisation=organisation,
                service=rng.choice([None, *services]),
                title=f"Bench risk {i}",
                description="bench",
                category="operational",
                inherent_likelihood=5,
                inherent_impact=5,
                residual_likelihood=rng.randint(1, 5),
                residual_impact=rng.randint(1, 5),
                target_likelihood=1,
                target_impact=1,
                review_due=today,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-seed", action="store_true", help="Use the demo data already there.")
    parser.add_argument("--fill", action="store_true", help="Add bulk data where the seed has none.")
    args = parser.parse_args()
    _setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from organisations.demo import DEMO_ORG_SLUG
    from organisations.models import Employee, Organisation

    if not args.no_seed:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", employees=args.employees, replace=True, verbosity=0)
    org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
    if args.fill:
        fill(org)
    persona = {e.user.username: e for e in Employee.objects.filter(user__username__startswith="demo-")}
    director, officer = persona["demo-director"], persona["demo-officer"]
    root = org.services.get(parent__isnull=True)
    directorate = director.headed_services.first()
    report = {"financial_year": "", "quarter": ""}  # filled from the page's defaults below
    pages = [
        (
            "Service dashboard (directorate)",
            director,
            reverse("insights:service_dashboard", args=[directorate.pk]),
            {},
        ),
        (
            "Service dashboard (whole council)",
            officer,
            reverse("insights:service_dashboard", args=[root.pk]),
            {},
        ),
        ("Organisation overview", officer, reverse("insights:org_overview"), {}),
        ("My page", persona["demo-staff"], reverse("insights:my_page"), {}),
        ("Quarterly report (organisation)", officer, reverse("insights:quarterly_report"), {}),
        ("Quarterly report (directorate)", director, reverse("insights:quarterly_report"), {}),
        ("Quarterly report Excel (organisation)", officer, reverse("insights:quarterly_report_xlsx"), report),
        ("Public performance page", None, reverse("insights:public_performance", args=[org.slug]), {}),
    ]
    staff = Employee.objects.filter(organisation=org, active=True).count()
    print(f"{org.name}: {staff} active staff, database {connection.vendor}\n")
    print("| Page | Queries | Median ms | Slowest ms |\n|---|---:|---:|---:|")
    for label, who, url, params in pages:
        client = Client()
        if who is not None:
            client.force_login(who.user)
        params = {k: v for k, v in params.items() if v}
        response = client.get(url, params)  # warm-up
        assert response.status_code == 200, (label, response.status_code)
        times, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
        print(f"| {label} | {queries} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
