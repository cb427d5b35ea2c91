"""``make bench``: seed a large organisation into PostgreSQL, measure, judge.

One benchmark for the whole product. At two scales (``--small``, default
1,000 employees, and ``--large``, default 10,000), each in a fresh database:

- seed time (``seed_demo``, with its per-step timings);
- each page's query count and server time (median and 95th percentile over
  ``--requests`` requests after one warm-up), and their ratio to the floor
  page (a signed-in page that renders the base template and static text),
  measured in the same run;
- the recompute run for the whole organisation: time and query count;

then a load test at the large scale: wrk (a separate client process) against
gunicorn with 2 workers on loopback, 16 connections for ``--load-seconds``, on
the team dashboard and My goals. Every figure is judged against the budgets
below, and the report (printed, and written to docs/PERFORMANCE.md) says in
words which budgets are met.

Usage: DATABASE_URL=postgres://... python -m bench.run [--small N] [--large N]
       [--requests N] [--load-seconds S] [--no-load] [--smoke]
``--smoke`` runs at a tiny scale with one request each and writes nothing
(part of ``make test``, so the benchmark cannot rot).

Server time is measured in-process with the Django test client, with DEBUG
off and without ``setup_test_environment`` (whose instrumented template
rendering copies every context), so it is the view, templates, middleware and
database, not the network.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Budgets (issue 11), for a 2-core machine.
MAX_QUERIES = 20  # per page, and the same at both scales
MAX_MEDIAN_MS = 150.0  # per page
MAX_FLOOR_RATIO = 10.0  # page median / floor page median
MAX_RECOMPUTE_S = 30.0  # at the large scale
MAX_RECOMPUTE_RATIO = 12.0  # large / small
MAX_SEED_S = 120.0  # at the large scale

FLOOR = "Floor page"
BENCH_SECRET_KEY = "bench-only-secret-key-" + "x" * 40
HAND_WRITTEN_MARK = "<!-- Everything below this line is hand-written; bench/run.py keeps it. -->"


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


def _bench_database_url(base: str, smoke: bool) -> str:
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


def _setup_django(database_url: str) -> None:
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

    from insights.recompute import run_recompute
    from organisations.demo import DEMO_ORG_SLUG, DEMO_USERNAMES
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p99_ms = None
    if p99:
        value, unit = float(p99.group(1)), p99.group(2)
        p99_ms = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return {
        "requests": int(total.group(1)) if total else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p99_ms": p99_ms,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
    }


def load_test(database_url: str, seconds: int) -> list[dict]:
    """wrk against gunicorn with 2 workers on loopback, 16 connections, 2 threads."""
    from django.test import Client
    from django.urls import reverse

    from organisations.models import Employee

    if not shutil.which("wrk"):
        return [{"page": "all", "error": "wrk is not installed (apt-get install wrk)"}]
    targets = [
        ("Team dashboard", reverse("insights:team_dashboard"), "demo-manager"),
        ("My goals", reverse("appraisals:my_goals"), "demo-staff"),
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
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
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        results = []
        opener = urllib.request.build_opener(_NoRedirect)
        for label, path, username in targets:
            client = Client()
            client.force_login(Employee.objects.get(user__username=username).user)
            cookie = f"sessionid={client.cookies['sessionid'].value}"
            # wrk counts a redirect (to the sign-in page) as a success: check first
            # that the session cookie gets the page itself.
            try:
                status = opener.open(urllib.request.Request(base + path, headers={"Cookie": cookie})).status
            except urllib.error.HTTPError as e:
                status = e.code
            if status != 200:
                results.append({"page": label, "error": f"gunicorn answered {status}, not 200"})
                continue
            out = subprocess.run(
                ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "--latency", "-H", f"Cookie: {cookie}"]
                + [base + path],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            ).stdout
            figures = _parse_wrk(out)
            figures["errors"] = figures["non2xx"] + figures["socket_errors"]
            results.append({"page": label, **figures})
            print(
                f"  {label}: {figures['rps']:.1f} requests/s, p99 {figures['p99_ms']} ms, "
                f"{figures['errors']} errors",
                flush=True,
            )
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# -- report ------------------------------------------------------------------------------


def _yes(ok: bool) -> str:
    return "met" if ok else "**missed**"


def judge(small: ScaleResult, large: ScaleResult, load: list[dict]) -> list[tuple[str, bool, str]]:
    """Every budget: (what, met, the figures that decide it)."""
    verdicts: list[tuple[str, bool, str]] = []
    for p in large.pages:
        if p.label.startswith(FLOOR):
            continue
        s = small.page(p.label)
        q_ok = s is not None and s.queries == p.queries and p.queries <= MAX_QUERIES
        verdicts.append(
            (
                f"{p.label}: queries",
                q_ok,
                f"{s.queries if s else '–'} at {small.employees:,}, {p.queries} at {large.employees:,}",
            )
        )
        t_ok = p.median_ms < MAX_MEDIAN_MS and p.floor_ratio <= MAX_FLOOR_RATIO
        verdicts.append(
            (f"{p.label}: time", t_ok, f"median {p.median_ms:.1f} ms, {p.floor_ratio:.1f}x the floor")
        )
    ratio = large.recompute_seconds / small.recompute_seconds if small.recompute_seconds else float("inf")
    verdicts.append(
        (
            f"Recompute at {large.employees:,} under {MAX_RECOMPUTE_S:.0f} s",
            large.recompute_seconds < MAX_RECOMPUTE_S,
            f"{large.recompute_seconds:.2f} s",
        )
    )
    verdicts.append(
        (
            f"Recompute at most {MAX_RECOMPUTE_RATIO:.0f}x the time at {small.employees:,}",
            ratio <= MAX_RECOMPUTE_RATIO,
            f"{ratio:.1f}x",
        )
    )
    verdicts.append(
        (
            f"Seed of {large.employees:,} employees under {MAX_SEED_S / 60:.0f} minutes",
            large.seed_seconds < MAX_SEED_S,
            f"{large.seed_seconds:.1f} s",
        )
    )
    if load:
        for r in load:
            if "error" in r:
                verdicts.append((f"Load test, {r['page']}: no errors", False, r["error"]))
            else:
                verdicts.append(
                    (
                        f"Load test, {r['page']}: no errors",
                        r["errors"] == 0 and r["requests"] > 0,
                        f"{r['errors']} errors in {r['requests']:,} requests",
                    )
                )
    return verdicts


def render(small: ScaleResult, large: ScaleResult, load: list[dict], args) -> str:
    verdicts = judge(small, large, load)
    by_name = {name: ok for name, ok, _ in verdicts}
    met = sum(ok for _, ok, _ in verdicts)
    fs, fl = small.floor, large.floor
    S, L = f"{small.employees:,}", f"{large.employees:,}"
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (`python -m bench.run`) from a real run on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}: this project's 2-core machine (shared with other work, "
        "so timings are noisy), PostgreSQL on loopback. Server time is in-process through the Django "
        f"test client (request to response, no network), {args.requests} requests per page after one "
        "warm-up, each scale seeded into a fresh database.",
        "",
        f"**Budgets met: {met} of {len(verdicts)}.**"
        + (
            ""
            if met == len(verdicts)
            else " Missed: " + "; ".join(f"{n} ({why})" for n, ok, why in verdicts if not ok) + "."
        ),
        "",
        "## Seed",
        "",
        "| employees | seed time (s) | budget (under 2 minutes at the large scale) | steps |",
        "|---|---|---|---|",
        f"| {S} | {small.seed_seconds:.1f} | – | {', '.join(f'{k} {v}' for k, v in small.seed_steps)} |",
        f"| {L} | {large.seed_seconds:.1f} | {_yes(large.seed_seconds < MAX_SEED_S)} | "
        f"{', '.join(f'{k} {v}' for k, v in large.seed_steps)} |",
        "",
        "Rows in the council:",
        "",
        f"| | {S} | {L} |",
        "|---|---|---|",
        *(f"| {k} | {small.counts.get(k, 0):,} | {v:,} |" for k, v in large.counts.items()),
        "",
        "## Pages",
        "",
        f"Floor page: {fl.median_ms if fl else 0:.1f} ms median at {L} ({fs.median_ms if fs else 0:.1f} ms "
        f"at {S}), {fl.queries if fl else 0} queries (the session, the user, the viewer's staff record, "
        "the organisation's services, the navigation's question and the session's save). Each page's "
        "ratio is to the floor page's median timed in turn with it (the floor's own requests alternate "
        "with the page's), so both meet the same load on the shared machine. Budgets: the same number "
        f"of queries at both scales and at most {MAX_QUERIES}; at {L}, a median under "
        f"{MAX_MEDIAN_MS:.0f} ms and at most {MAX_FLOOR_RATIO:.0f}x the floor page's.",
        "",
        f"| page | as | queries at {S} | queries at {L} | queries / floor | median ms at {S} | "
        f"median ms at {L} | p95 ms at {L} | floor ms alongside | median / floor at {L} | KiB | "
        "query budget | time budget | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in large.pages:
        s = small.page(p.label)
        is_floor = p.label.startswith(FLOOR)
        lines.append(
            f"| {p.label} | {p.persona} | {s.queries if s else '–'} | {p.queries} | "
            f"{p.queries / fl.queries if fl and fl.queries else 0:.1f}x | {s.median_ms if s else 0:.1f} | "
            f"{p.median_ms:.1f} | {p.p95_ms:.1f} | {p.floor_ms:.1f} | {p.floor_ratio:.1f}x | "
            f"{p.kib:.0f} | {'–' if is_floor else _yes(by_name[f'{p.label}: queries'])} | "
            f"{'–' if is_floor else _yes(by_name[f'{p.label}: time'])} | {p.status} |"
        )
    ratio = large.recompute_seconds / small.recompute_seconds if small.recompute_seconds else 0
    lines += [
        "",
        "## Recompute run (skills gaps and every flag rule, whole organisation)",
        "",
        "| employees | time (s) | queries |",
        "|---|---|---|",
        f"| {S} | {small.recompute_seconds:.2f} | {small.recompute_queries} |",
        f"| {L} | {large.recompute_seconds:.2f} | {large.recompute_queries} |",
        "",
        f"Time ratio {L} / {S}: {ratio:.1f}x (budget: at most {MAX_RECOMPUTE_RATIO:.0f}x, "
        f"{_yes(ratio <= MAX_RECOMPUTE_RATIO)}). Time at {L}: budget under {MAX_RECOMPUTE_S:.0f} s, "
        f"{_yes(large.recompute_seconds < MAX_RECOMPUTE_S)}.",
        "",
        f"## Load test (wrk against gunicorn, 2 workers, loopback, 16 connections, {args.load_seconds} s, at {L})",
        "",
    ]
    if not load:
        lines.append("Not run (`--no-load`).")
    else:
        lines += [
            "| page | requests | requests/s | p99 ms | errors | budget (no errors) |",
            "|---|---|---|---|---|---|",
        ]
        for r in load:
            if "error" in r:
                lines.append(f"| {r['page']} | {r['error']} | | | | **missed** |")
            else:
                lines.append(
                    f"| {r['page']} | {r['requests']:,} | {r['rps']:.1f} | "
                    f"{r['p99_ms'] if r['p99_ms'] is not None else '–'} | {r['errors']} "
                    f"({r['non2xx']} non-2xx/3xx, {r['socket_errors']} socket) | "
                    f"{_yes(r['errors'] == 0 and r['requests'] > 0)} |"
                )
    return "\n".join(lines) + "\n"


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

    from organisations.demo import DEMO_USERNAMES
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


def _with_hand_written(text: str, output: Path) -> str:
    """The generated report, then the hand-written part of the existing file."""
    kept = ""
    if output.exists():
        old = output.read_text()
        if HAND_WRITTEN_MARK in old:
            kept = old[old.index(HAND_WRITTEN_MARK) + len(HAND_WRITTEN_MARK) :]
    return f"{text}\n{HAND_WRITTEN_MARK}{kept or chr(10)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny scale, one request each, no load test")
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="profile one page (its label in the report) against the bench database the last run left; no seeding",
    )
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
    _setup_django(database_url)
    if args.profile:
        profile_page(args.profile, args.requests)
        return
    print(f"Seeding and measuring at {args.small:,} employees...", flush=True)
    small = run_scale(database_url, args.small, args.requests)
    print(f"Seeding and measuring at {args.large:,} employees...", flush=True)
    large = run_scale(database_url, args.large, args.requests)
    load = []
    if not args.no_load:
        print(f"Load test at {args.large:,} employees...", flush=True)
        load = load_test(database_url, args.load_seconds)
    text = render(small, large, load, args)
    print(text)
    if not args.smoke:
        output = Path(args.output)
        output.write_text(_with_hand_written(text, output))
        print(f"Wrote {output}")


if __name__ == "__main__":
    main()
