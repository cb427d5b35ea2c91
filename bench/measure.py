"""Seeding a council into a fresh database and timing its pages in-process."""

import io
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "Floor page"
BENCH_SECRET_KEY = "bench-only-secret-key-" + "x" * 40


@dataclass
class PageResult:
    label: str
    url: str
    persona: str
    queries: int
    median_ms: float
    p95_ms: float
    status: int
    kib: float
    floor_ms: float  # the floor page's median, timed in turn with this page

    @property
    def floor_ratio(self) -> float:
        return self.median_ms / self.floor_ms if self.floor_ms else 0.0


@dataclass
class ScaleResult:
    employees: int
    seed_seconds: float
    seed_steps: list[tuple[str, str]] = field(default_factory=list)
    recompute_seconds: float = 0.0
    recompute_queries: int = 0
    pages: list[PageResult] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def page(self, label: str) -> PageResult | None:
        return next((p for p in self.pages if p.label == label), None)

    @property
    def floor(self) -> PageResult | None:
        return next((p for p in self.pages if p.label.startswith(FLOOR)), None)


# -- databases -----------------------------------------------------------------


def bench_database_url(base: str, smoke: bool) -> str:
    """The database the bench owns: a sibling of DATABASE_URL's, or a SQLite file."""
    parsed = urlparse(base)
    if not parsed.scheme.startswith("postgres"):
        return base
    name = parsed.path.lstrip("/") + ("_bench_smoke" if smoke else "_bench")
    return parsed._replace(path=f"/{name}").geturl()


def _fresh_database(database_url: str) -> None:
    """Drop and create the bench's database (or SQLite file), then migrate: each
    scale is seeded into an empty database, as ``make run`` seeds."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    parsed = urlparse(database_url)
    if parsed.scheme.startswith("postgres"):
        import psycopg2

        name = parsed.path.lstrip("/")
        conn = psycopg2.connect(parsed._replace(path="/postgres").geturl())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
    else:
        path = Path(parsed.path)
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)  # tasks in-process: the bench measures the code, not the broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    os.environ["DJANGO_DEBUG"] = "true"  # seed_demo refuses to run otherwise (it also gets --force)
    os.environ["AXES_ENABLED"] = "false"
    # The load test's gunicorn must accept the sessions this process signs in
    # (the session's auth hash is keyed on SECRET_KEY): one key for both.
    os.environ["DJANGO_SECRET_KEY"] = BENCH_SECRET_KEY
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no sign-in audit line per persona
    import warnings

    # A development checkout has no collected static files; not what is measured.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as served; queries are captured explicitly


# -- pages -----------------------------------------------------------------------


def measure_page(client, url: str, n: int, floor=None) -> tuple[int, float, float, int, float, float]:
    """Queries of one request, median and 95th percentile server time of ``n``,
    and the median of the floor page's times taken in turn with them (``floor``:
    its client and URL): the machine is shared, so a page and the floor it is
    compared with are timed under the same load."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches, the template loader and the connection
    times = []
    floor_times = []
    queries = 0
    status = 0
    size = 0
    for i in range(n):
        if floor is not None:
            t0 = time.perf_counter()
            floor[0].get(floor[1])
            floor_times.append((time.perf_counter() - t0) * 1000)
        # The query log is a bounded deque: once full, CaptureQueriesContext would
        # count nothing. A request empties it (request_started), so does this.
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        if i == 0:
            queries = len(ctx.captured_queries)
            status = response.status_code
            size = len(response.content) / 1024
        elif response.status_code != status:
            status = response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    floor_median = statistics.median(floor_times) if floor_times else statistics.median(times)
    return queries, statistics.median(times), p95, status, size, floor_median


def page_list(personas) -> list[tuple[str, str, str | None]]:
    """(label, url, persona username or None for anonymous)."""
    from django.urls import reverse

    from appraisals.models import FeedbackSession, Goal
    from organisations.models import KPI, Service

    director = personas["demo-director"]
    staff = personas["demo-staff"]
    service = director.headed_services.order_by("pk").first()
    root = Service.objects.get(organisation=director.organisation, parent=None)
    kpi = (
        KPI.objects.filter(organisation=director.organisation, service__parent=service).order_by("pk").first()
    )
    goal = Goal.objects.filter(owner=staff).order_by("pk").first()
    session = FeedbackSession.objects.filter(employee=staff).order_by("-held_on").first()

    def url(name, **kwargs):
        return reverse(name, kwargs=kwargs or None)

    return [
        (f"{FLOOR} (base template, static text)", url("accessibility"), "demo-staff"),
        ("My page", url("insights:my_page"), "demo-staff"),
        ("My goals", url("appraisals:my_goals"), "demo-staff"),
        ("Goal detail", url("appraisals:goal_detail", pk=goal.pk), "demo-staff"),
        ("Team dashboard", url("insights:team_dashboard"), "demo-manager"),
        ("Team goals", url("appraisals:team_goals"), "demo-manager"),
        ("Session form", url("appraisals:session_create", employee_pk=staff.pk), "demo-manager"),
        ("Session detail", url("appraisals:session_detail", pk=session.pk), "demo-manager"),
        (
            "Service dashboard (directorate)",
            url("insights:service_dashboard", service_pk=service.pk),
            "demo-director",
        ),
        (
            "Service dashboard (whole council)",
            url("insights:service_dashboard", service_pk=root.pk),
            "demo-officer",
        ),
        ("Organisation overview", url("insights:org_overview"), "demo-officer"),
        ("KPI scorecard", url("organisations:kpi_scorecard", service_pk=service.pk), "demo-director"),
        ("KPI detail", url("organisations:kpi_detail", pk=kpi.pk), "demo-director"),
        ("Alignment", url("appraisals:alignment"), "demo-director"),
        ("Flags", url("insights:flag_list"), "demo-director"),
        ("Risk register", url("organisations:risk_register"), "demo-officer"),
        ("Skills heatmap", url("insights:skills_heatmap", service_pk=service.pk), "demo-director"),
        ("Quarterly report (directorate)", url("insights:quarterly_report"), "demo-director"),
        ("Quarterly report (organisation)", url("insights:quarterly_report"), "demo-officer"),
        ("Quarterly report, Excel", url("insights:quarterly_report_xlsx"), "demo-officer"),
        (
            "Public performance page",
            url("insights:public_performance", slug=director.organisation.slug),
            None,
        ),
    ]


# -- one scale -------------------------------------------------------------------------


def _counts(org) -> dict[str, int]:
    from appraisals.models import Action, FeedbackSession, Goal, GoalCheckIn, SkillRating
    from insights.models import Flag, SkillGap
    from organisations.models import KPI, Employee, KPIResult, Service, ServiceKind

    services = Service.objects.filter(organisation=org)
    return {
        "employees": Employee.objects.filter(organisation=org).count(),
        "directorates": services.filter(kind=ServiceKind.DIRECTORATE).count(),
        "services": services.filter(kind=ServiceKind.SERVICE).count(),
        "teams": services.filter(kind=ServiceKind.TEAM).count(),
        "KPIs": KPI.objects.filter(organisation=org).count(),
        "KPI results": KPIResult.objects.filter(kpi__organisation=org).count(),
        "goals": Goal.objects.filter(organisation=org).count(),
        "goal check-ins": GoalCheckIn.objects.filter(goal__organisation=org).count(),
        "feedback sessions": FeedbackSession.objects.filter(organisation=org).count(),
        "actions": Action.objects.filter(session__organisation=org).count(),
        "skill ratings": SkillRating.objects.filter(employee__organisation=org).count(),
        "flags": Flag.objects.filter(organisation=org).count(),
        "skill gaps": SkillGap.objects.filter(service__organisation=org).count(),
    }


def run_scale(database_url: str, employees: int, n_requests: int) -> ScaleResult:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.structure import DEMO_ORG_SLUG, DEMO_USERNAMES
    from insights.services.recompute import run_recompute
    from organisations.models import Employee, Organisation

    _fresh_database(database_url)
    out = io.StringIO()
    t0 = time.perf_counter()
    # The whole command, as a user would wait for it: the structure, every step,
    # ANALYZE and the first recompute of each organisation.
    call_command("seed_demo", employees=employees, seed=2026, force=True, stdout=out)
    seed_seconds = time.perf_counter() - t0
    steps = re.findall(r"^  (\S[^:\n]*(?::\w+)?): ([\d.]+s)", out.getvalue(), re.MULTILINE)
    result = ScaleResult(employees=employees, seed_seconds=seed_seconds, seed_steps=steps)
    print(f"  seeded in {seed_seconds:.1f}s: " + ", ".join(f"{k} {v}" for k, v in steps), flush=True)

    org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        run_recompute(org, trigger="bench")
        result.recompute_seconds = time.perf_counter() - t0
    result.recompute_queries = len(ctx.captured_queries)
    reset_queries()
    print(f"  recompute {result.recompute_seconds:.2f}s, {result.recompute_queries} queries", flush=True)
    result.counts = _counts(org)

    personas = {u: Employee.objects.select_related("user").get(user__username=u) for u in DEMO_USERNAMES}
    clients = {}
    floor = None
    for label, url, persona in page_list(personas):
        if persona not in clients:
            clients[persona] = Client()
            if persona is not None:
                clients[persona].force_login(personas[persona].user)
        if label.startswith(FLOOR):
            q, med, p95, status, kib, floor_ms = measure_page(clients[persona], url, n_requests)
            floor = (clients[persona], url)
        else:
            q, med, p95, status, kib, floor_ms = measure_page(clients[persona], url, n_requests, floor)
        page = PageResult(label, url, persona or "anonymous", q, med, p95, status, kib, floor_ms)
        result.pages.append(page)
        print(
            f"  {label}: {q} queries, median {med:.1f} ms ({page.floor_ratio:.1f}x the floor's "
            f"{floor_ms:.1f} ms), p95 {p95:.1f} ms, {status}",
            flush=True,
        )
    return result


# -- load test -------------------------------------------------------------------------


def profile_page(label: str, n: int) -> None:
    """Where one page's time goes, against the bench database as the last run left
    it (no seeding): its median without the profiler, its queries and their
    time, and, under cProfile, the share in template rendering and the project's
    own functions that cost the most."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.structure import DEMO_USERNAMES
    from organisations.models import Employee

    personas = {u: Employee.objects.select_related("user").get(user__username=u) for u in DEMO_USERNAMES}
    pages = {p[0]: p for p in page_list(personas)}
    if label not in pages:
        sys.exit(f"No page {label!r}; one of: {', '.join(pages)}")
    _, url, persona = pages[label]
    client = Client()
    if persona is not None:
        client.force_login(personas[persona].user)
    queries, median, p95, status, kib, _ = measure_page(client, url, n)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    captured = list(ctx.captured_queries)  # the next request empties the log
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = max(ct for (_, _, _, ct, _) in stats.values())
    render = sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in stats.items()
        if file.endswith("django/shortcuts.py") and func == "render"
    )
    own = sorted(
        (
            (ct, f"{Path(file).relative_to(ROOT)}:{line}({func})")
            for (file, line, func), (_, _, _, ct, _) in stats.items()
            if file.startswith(str(ROOT))
            and "/.venv/" not in file
            and not file.startswith(str(ROOT / "bench"))
        ),
        reverse=True,
    )
    own = [(ct, where) for ct, where in own if ct < 0.9 * total]  # not the middleware and the view itself
    print(f"{label} ({url}, as {persona or 'anonymous'}): {status}, {kib:.0f} KiB, {queries} queries")
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms over {n} requests (no profiler)")
    print(f"  SQL: {sql_ms:.1f} ms in {len(captured)} queries; the slowest:")
    for q in sorted(captured, key=lambda q: -float(q["time"]))[:5]:
        print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:110]}")
    print(
        f"  under cProfile ({n} requests): template rendering {render / total:.0%} of the time; the project's"
    )
    print("  functions with the most time (cumulative share):")
    for ct, where in own[:12]:
        print(f"    {ct / total:5.0%}  {where}")
