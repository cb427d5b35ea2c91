"""Benchmark: a service's KPI scorecard page.

Seeds one service with 50 monthly KPIs (three financial years of results and
targets) in a throwaway test database, then requests the scorecard as its head
of service 30 times through the Django test client and prints the number of
queries and the median server time.

    python -m bench.kpi_scorecard [--kpis 50] [--years 3] [--requests 30]

Uses DATABASE_URL when set (a ``test_`` database is created beside the
configured one and dropped afterwards), else SQLite in memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from datetime import date
from decimal import Decimal


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    # No collected static files in a development checkout: not what is measured.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def seed(*, kpis: int, years: int, today: date):
    """An organisation, a service with a head who signs in, and the KPIs."""
    import random

    from django.contrib.auth import get_user_model

    from organisations import kpi_rules
    from organisations.models import (
        KPI,
        Employee,
        KPIResult,
        KPITarget,
        Organisation,
        Service,
        ServiceKind,
    )

    rng = random.Random(2026)
    org = Organisation.objects.create(name="Benchshire Council", slug="benchshire")
    root = Service.objects.create(organisation=org, name="Benchshire Council", kind=ServiceKind.DIRECTORATE)
    service = Service.objects.create(organisation=org, name="Housing Options", parent=root)
    user = get_user_model().objects.create_user("bench-head", password="bench")
    head = Employee.objects.create(
        organisation=org,
        service=service,
        user=user,
        first_name="Bea",
        last_name="Bench",
        start_date=date(2020, 1, 1),
    )
    service.head = head
    service.save()
    made = KPI.objects.bulk_create(
        KPI(
            organisation=org,
            service=service,
            code=f"B-{i:03d}",
            name=f"Benchmark indicator {i}",
            polarity=kpi_rules.HIGHER if i % 3 else kpi_rules.LOWER,
            frequency=kpi_rules.MONTHLY,
            owner=head,
        )
        for i in range(kpis)
    )
    current = kpi_rules.financial_year_start(today)
    first_year = current - years + 1
    targets = {
        (k.pk, y): KPITarget(kpi=k, financial_year=y, target=Decimal("90"), amber_tolerance=Decimal("5"))
        for k in made
        for y in range(first_year, current + 1)
    }
    KPITarget.objects.bulk_create(targets.values())
    results = []
    for k in made:
        for y in range(first_year, current + 1):
            for end in kpi_rules.period_ends_in_year(y, kpi_rules.MONTHLY):
                if end >= today:
                    break
                value = Decimal(str(round(rng.gauss(90, 4), 1)))
                status = targets[(k.pk, y)].status_for(value, k.polarity)
                results.append(
                    KPIResult(
                        kpi=k, period_end=end, value=value, status=status, corrective_action="Plan in place"
                    )
                )
    KPIResult.objects.bulk_create(results, batch_size=2000)
    return service, user, len(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=50)
    parser.add_argument("--years", type=int, default=3, help="financial years of monthly results")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request")
    args = parser.parse_args()

    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    # As served: no debug, and not the test runner's instrumented template
    # rendering (setup_test_environment), which copies every context it renders.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        today = date.today()
        service, user, n_results = seed(kpis=args.kpis, years=args.years, today=today)
        client = Client()
        client.force_login(user)
        url = reverse("organisations:kpi_scorecard", args=[service.pk])
        response = client.get(url)  # warm up: templates, URL resolver, connection
        assert response.status_code == 200, response.status_code
        connection.queries_log.clear()  # a full log (the migrations) would count nothing
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = [q["sql"] for q in captured.captured_queries]  # before the next request resets the log
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        vendor = connection.vendor
        print(f"KPI scorecard benchmark ({vendor}, {connection.settings_dict['NAME']})")
        print(
            f"  service with {args.kpis} monthly KPIs, {n_results} results over {args.years} financial years"
        )
        print(f"  queries per request: {len(queries)}")
        if args.show_queries:
            for sql in queries:
                print(f"    {sql[:160]}")
        print(
            f"  server time over {args.requests} requests: median {statistics.median(timings):.1f} ms, "
            f"min {timings[0]:.1f} ms, p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms"
        )
        print(f"  page size: {len(response.content) / 1024:.0f} KiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
