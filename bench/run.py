"""``make bench``: seed a large organisation into PostgreSQL and measure.

Prints a table and writes docs/PERFORMANCE.md with:
- seed time at 1,000 and 10,000 employees;
- each page's query count and server time (median and 95th percentile over
  ``--requests`` requests) and their ratio to the floor page (a signed-in page
  rendering only the base template), measured in the same run;
- the recompute run at 1,000 and 10,000 employees: time, queries, ratio;
- a load test: wrk against gunicorn (2 workers) on loopback, 16 connections
  for 30 seconds, on the team dashboard and My goals.

Usage: DATABASE_URL=postgres://... python -m bench.run [--small N] [--large N]
       [--requests N] [--load-seconds S] [--no-load] [--smoke]
``--smoke`` runs at a tiny scale with one request each (part of ``make test``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class PageResult:
    label: str
    url: str
    persona: str
    queries: int
    median_ms: float
    p95_ms: float
    status: int


@dataclass
class ScaleResult:
    employees: int
    seed_seconds: float
    recompute_seconds: float = 0.0
    recompute_queries: int = 0
    pages: list[PageResult] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def _bench_database_url(base: str, smoke: bool) -> str:
    parsed = urlparse(base)
    if not parsed.scheme.startswith("postgres"):
        return base
    name = parsed.path.lstrip("/") + ("_bench_smoke" if smoke else "_bench")
    import psycopg2

    conn = psycopg2.connect(parsed._replace(path="/postgres").geturl())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return parsed._replace(path=f"/{name}").geturl()


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)  # tasks in-process: the bench measures the code, not the broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["AXES_ENABLED"] = "false"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # no debug-toolbar-like overhead; queries captured explicitly
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure_page(client, url: str, n: int) -> tuple[int, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the template loader
    times = []
    queries = 0
    status = 0
    for i in range(n):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        status = response.status_code
        if i == 0:
            queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return queries, statistics.median(times), p95, status


def page_list(personas):
    from django.urls import NoReverseMatch, reverse

    from appraisals.models import FeedbackSession, Goal
    from organisations.models import KPI

    director = personas["demo-director"]
    manager = personas["demo-manager"]
    staff = personas["demo-staff"]
    officer = personas["demo-officer"]
    service = director.headed_services.order_by("pk").first()
    kpi = (
        KPI.objects.filter(organisation=director.organisation, service__parent=service).order_by("pk").first()
    )
    goal = Goal.objects.filter(owner=staff).order_by("pk").first()
    session = FeedbackSession.objects.filter(employee=staff).order_by("-held_on").first()
    candidates = [
        ("Floor page (base template only)", "accessibility", {}, "demo-staff"),
        ("My page", "insights:my_page", {}, "demo-staff"),
        ("My goals", "appraisals:my_goals", {}, "demo-staff"),
        ("Team dashboard", "insights:team_dashboard", {}, "demo-manager"),
        ("Service dashboard", "insights:service_dashboard", {"service_pk": service.pk}, "demo-director"),
        ("Organisation overview", "insights:org_overview", {}, "demo-officer"),
        ("KPI scorecard", "organisations:kpi_scorecard", {"service_pk": service.pk}, "demo-director"),
        ("KPI detail", "organisations:kpi_detail", {"pk": kpi.pk if kpi else 0}, "demo-director"),
        ("Session form", "appraisals:session_create", {"employee_pk": staff.pk}, "demo-manager"),
        ("Session detail", "appraisals:session_detail", {"pk": session.pk if session else 0}, "demo-manager"),
        ("Goal detail", "appraisals:goal_detail", {"pk": goal.pk if goal else 0}, "demo-staff"),
        ("Alignment", "appraisals:alignment", {}, "demo-director"),
        ("Flags", "insights:flag_list", {}, "demo-director"),
        ("Risk register", "organisations:risk_register", {}, "demo-officer"),
        ("Skills heatmap", "insights:skills_heatmap", {"service_pk": service.pk}, "demo-director"),
        ("Quarterly report", "insights:quarterly_report", {}, "demo-officer"),
    ]
    pages = []
    for label, name, kwargs, persona in candidates:
        try:
            pages.append((label, reverse(name, kwargs=kwargs or None), persona))
        except NoReverseMatch:
            print(f"  (skipped {label}: no URL {name})")
    del manager, officer
    return pages


def run_scale(employees: int, n_requests: int, replace: bool) -> ScaleResult:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from insights.recompute import run_recompute
    from organisations.demo import DEMO_ORG_SLUG, DEMO_USERNAMES
    from organisations.models import Employee, Organisation

    t0 = time.perf_counter()
    args = ["seed_demo", "--employees", str(employees), "--seed", "2026", "--force"]
    if replace:
        args.append("--replace")
    # seed_demo ends with a recompute of each organisation; the seed time reported
    # is the whole command, the recompute is measured again below on its own.
    call_command(*args, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_seconds = time.perf_counter() - t0
    result = ScaleResult(employees=employees, seed_seconds=seed_seconds)
    org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        run_recompute(org, trigger="bench")
        result.recompute_seconds = time.perf_counter() - t0
    result.recompute_queries = len(ctx.captured_queries)
    result.counts = {
        "employees": Employee.objects.filter(organisation=org).count(),
    }
    for model_label in (
        "organisations.Service",
        "organisations.KPI",
        "organisations.KPIResult",
        "appraisals.Goal",
        "appraisals.GoalCheckIn",
        "appraisals.FeedbackSession",
        "appraisals.SkillRating",
        "insights.Flag",
        "insights.SkillGap",
    ):
        from django.apps import apps

        model = apps.get_model(model_label)
        result.counts[model._meta.verbose_name_plural] = model.objects.count()
    personas = {u: Employee.objects.get(user__username=u) for u in DEMO_USERNAMES}
    clients = {}
    for label, url, persona in page_list(personas):
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(personas[persona].user)
        q, med, p95, status = measure_page(clients[persona], url, n_requests)
        result.pages.append(PageResult(label, url, persona, q, med, p95, status))
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_test(database_url: str, seconds: int) -> list[dict]:
    """wrk against gunicorn with 2 workers on loopback, 16 connections."""
    from django.test import Client
    from django.urls import reverse

    from organisations.models import Employee

    if not shutil.which("wrk"):
        return [{"error": "wrk is not installed (apt-get install wrk)"}]
    targets = [
        ("Team dashboard", "insights:team_dashboard", "demo-manager"),
        ("My goals", "appraisals:my_goals", "demo-staff"),
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "perfmgmt.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        results = []
        for label, name, username in targets:
            try:
                url = reverse(name)
            except Exception:
                results.append({"page": label, "error": f"no URL {name}"})
                continue
            client = Client()
            client.force_login(Employee.objects.get(user__username=username).user)
            cookie = f"sessionid={client.cookies['sessionid'].value}"
            out = subprocess.run(
                [
                    "wrk",
                    "-t",
                    "2",
                    "-c",
                    "16",
                    "-d",
                    f"{seconds}s",
                    "--latency",
                    "-H",
                    f"Cookie: {cookie}",
                    f"http://127.0.0.1:{port}{url}",
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            ).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
            total = re.search(r"(\d+) requests in", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
            p99_ms = None
            if p99:
                value, unit = float(p99.group(1)), p99.group(2)
                p99_ms = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
            results.append(
                {
                    "page": label,
                    "requests": int(total.group(1)) if total else 0,
                    "rps": float(rps.group(1)) if rps else 0.0,
                    "p99_ms": p99_ms,
                    "errors": (int(non2xx.group(1)) if non2xx else 0)
                    + (sum(int(x) for x in errors.groups()) if errors else 0),
                }
            )
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def render(small: ScaleResult, large: ScaleResult, load: list[dict], n_requests: int) -> str:
    floor_small = next((p for p in small.pages if p.label.startswith("Floor")), None)
    floor_large = next((p for p in large.pages if p.label.startswith("Floor")), None)
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')} on this project's 2-core machine, "
        "PostgreSQL on loopback, Django test client in-process (server time: request to response, "
        f"no network), {n_requests} requests per page after one warm-up.",
        "",
        "## Seed",
        "",
        "| employees | seed time (s) |",
        "|---|---|",
        f"| {small.employees:,} | {small.seed_seconds:.1f} |",
        f"| {large.employees:,} | {large.seed_seconds:.1f} |",
        "",
        f"Rows at {large.employees:,} employees: " + ", ".join(f"{k} {v:,}" for k, v in large.counts.items()),
        "",
        "## Pages",
        "",
        f"| page | as | queries at {small.employees:,} | queries at {large.employees:,} | median ms | p95 ms | "
        "median / floor | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    small_by = {p.label: p for p in small.pages}
    for p in large.pages:
        s = small_by.get(p.label)
        ratio = p.median_ms / floor_large.median_ms if floor_large and floor_large.median_ms else 0
        lines.append(
            f"| {p.label} | {p.persona} | {s.queries if s else '–'} | {p.queries} | {p.median_ms:.1f} | "
            f"{p.p95_ms:.1f} | {ratio:.1f}x | {p.status} |"
        )
    lines += [
        "",
        "## Recompute run (skills gaps and every flag rule, whole organisation)",
        "",
        "| employees | time (s) | queries |",
        "|---|---|---|",
        f"| {small.employees:,} | {small.recompute_seconds:.2f} | {small.recompute_queries} |",
        f"| {large.employees:,} | {large.recompute_seconds:.2f} | {large.recompute_queries} |",
        "",
        f"Time ratio {large.employees:,} / {small.employees:,}: "
        f"{large.recompute_seconds / small.recompute_seconds if small.recompute_seconds else 0:.1f}x.",
        "",
        "## Load test (wrk, gunicorn 2 workers, loopback, 16 connections)",
        "",
        "| page | requests | requests/s | p99 ms | errors |",
        "|---|---|---|---|---|",
    ]
    for r in load:
        if "error" in r:
            lines.append(f"| {r.get('page', '–')} | {r['error']} | | | |")
        else:
            lines.append(
                f"| {r['page']} | {r['requests']:,} | {r['rps']:.1f} | {r['p99_ms']} | {r['errors']} |"
            )
    del floor_small
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, one request each, no load test")
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    args = parser.parse_args()
    if args.smoke:
        args.small, args.large, args.requests, args.no_load = 150, 200, 1, True
    base = os.environ.get("DATABASE_URL")
    if not base and not args.smoke:
        sys.exit(
            "make bench needs DATABASE_URL pointing at PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/perfmgmt)"
        )
    database_url = (
        _bench_database_url(base, args.smoke)
        if base
        else f"sqlite:///{ROOT / 'test-artifacts' / 'bench.sqlite3'}"
    )
    if database_url.startswith("sqlite"):
        Path(urlparse(database_url).path).unlink(missing_ok=True)
        Path(urlparse(database_url).path).parent.mkdir(exist_ok=True)
    _setup_django(database_url)
    print(f"Seeding and measuring at {args.small:,} employees...")
    small = run_scale(args.small, args.requests, replace=False)
    print(f"Seeding and measuring at {args.large:,} employees...")
    large = run_scale(args.large, args.requests, replace=True)
    load = [] if args.no_load else load_test(database_url, args.load_seconds)
    text = render(small, large, load, args.requests)
    print(text)
    if not args.smoke:
        Path(args.output).write_text(text)
        print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
