"""Saves and recomputes: what a person waits for when they save, how soon the
flags follow, and the incremental and full runs, against a seeded bench database.

Each mode runs in a process of its own, configured from the start as it is
deployed:

- ``embedded``: no task queue (``make run``): tasks in-process, the recompute
  after the response (``core.after_response``);
- ``worker``: a Redis this benchmark starts on a free port and a real Celery
  worker: the request only queues the work.

For each mode, ``--saves`` times: a KPI result recorded (the performance
officer) and a session saved as a draft (the manager): the request, from the
test client's call to its response (in-process, no network), and "to flags":
from the same start until the recompute that save asked for has finished (the
embedded mode waits for the after-response work; the worker mode polls for the
run). Then, in the embedded process, ``--runs`` incremental runs for one person
each and the full run.

Usage: python -m bench.saves DATABASE_URL [--saves N] [--runs N]
Prints one JSON line per mode.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import BENCH_SECRET_KEY  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, redis_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_DEBUG="true",  # as bench.measure: no HTTPS redirect; DEBUG is turned off once set up
        DJANGO_ALLOWED_HOSTS="*",
        AXES_ENABLED="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="perfmgmt.settings",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _p95(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1)


# -- inside the measuring process ------------------------------------------------------


def _measure(mode: str, saves: int, runs: int) -> dict:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from appraisals.models import FeedbackSession
    from core import after_response, clock
    from demo.structure import DEMO_ORG_SLUG
    from insights.models import Run, RunStatus
    from insights.services.pending import add_pending
    from insights.services.recompute import run_recompute
    from insights.services.scope import Scope
    from organisations.models import KPI, Employee, Organisation
    from organisations.rules import years as year_rules

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as served
    org = Organisation.objects.get(slug=DEMO_ORG_SLUG)
    officer = Employee.objects.get(user__username="demo-officer")
    manager = Employee.objects.get(user__username="demo-manager")
    person = manager.direct_reports.filter(active=True).order_by("pk").first()
    kpis = list(
        KPI.objects.filter(organisation=org, active=True, frequency=year_rules.MONTHLY).order_by("pk")[:saves]
    )
    run_recompute(org, trigger="bench")  # today's figures: the saves' runs are incremental

    officer_client, manager_client = Client(), Client()
    officer_client.force_login(officer.user)
    manager_client.force_login(manager.user)
    today = clock.today()
    period = year_rules.period_end_for(today, year_rules.MONTHLY)
    period = year_rules.previous_period_end(period, year_rules.MONTHLY)

    def last_run_id() -> int:
        return Run.objects.filter(organisation=org).order_by("-pk").values_list("pk", flat=True).first() or 0

    def wait_for_run(after: int, started: float) -> float | None:
        if mode == "embedded":
            after_response.wait(60)
            return (time.perf_counter() - started) * 1000
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            if Run.objects.filter(
                organisation=org, pk__gt=after, status=RunStatus.SUCCEEDED, trigger="data change"
            ).exists():
                return (time.perf_counter() - started) * 1000
            time.sleep(0.01)
        return None

    def session_data(day) -> dict:
        return {
            "held_on": f"{day.day} {day.month} {day.year}",
            "kind": "one_to_one",
            "discussion": "Caseload and priorities.",
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
            "new-MIN_NUM_FORMS": "0",
            "new-MAX_NUM_FORMS": "50",
            "save": "draft",
        }

    out: dict = {
        "mode": mode,
        "kpi_save_ms": [],
        "kpi_to_flags_ms": [],
        "session_save_ms": [],
        "session_to_flags_ms": [],
    }
    statuses = set()
    for i, kpi in enumerate(kpis):
        for what, client, url, data in (
            (
                "kpi",
                officer_client,
                reverse("organisations:kpi_result_record", args=[kpi.pk]),
                {
                    "period": period.isoformat(),
                    "value": str(40 + i),
                    "commentary": "Checked.",
                    "corrective_action": "Recovery plan agreed.",
                },
            ),
            (
                "session",
                manager_client,
                reverse("appraisals:session_create", args=[person.pk]),
                session_data(today - timedelta(days=i % 5)),
            ),
        ):
            after = last_run_id()
            started = time.perf_counter()
            response = client.post(url, data)
            out[f"{what}_save_ms"].append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
            reflected = wait_for_run(after, started)
            if reflected is not None:
                out[f"{what}_to_flags_ms"].append(reflected)
    out["statuses"] = sorted(statuses)
    summary = {k: v for k, v in out.items() if not isinstance(v, list)}
    for key in ("kpi_save_ms", "kpi_to_flags_ms", "session_save_ms", "session_to_flags_ms"):
        summary[key] = {"median": _median(out[key]), "p95": _p95(out[key]), "n": len(out[key])}
    summary["statuses"] = sorted(statuses)
    FeedbackSession.objects.filter(employee=person, discussion="Caseload and priorities.").delete()

    if mode == "embedded" and runs:
        people = list(
            Employee.objects.filter(organisation=org, active=True, service__kind="team")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        step = max(1, len(people) // runs)
        times, sizes = [], []
        for pk in people[::step][:runs]:
            add_pending(org.pk, Scope.of(employees=[pk]))
            started = time.perf_counter()
            run = run_recompute(org, trigger="data change", scope=Scope())
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(run.counts.get("people_recomputed", 0))
        summary["incremental_person_ms"] = {"median": _median(times), "p95": _p95(times), "n": len(times)}
        summary["incremental_people_recomputed_median"] = statistics.median(sizes) if sizes else None
        started = time.perf_counter()
        run_recompute(org, trigger="bench")
        summary["full_run_s"] = round(time.perf_counter() - started, 2)
        summary["staff"] = Employee.objects.filter(organisation=org, active=True).count()
    return summary


# -- the driver ------------------------------------------------------------------------


def _start_redis() -> tuple[subprocess.Popen, str, str]:
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server not found (apt-get install redis-server)")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="bench-redis-")
    proc = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0", workdir


def _run_mode(database_url: str, mode: str, saves: int, runs: int, redis_url: str = "") -> dict:
    env = _env(database_url, redis_url)
    if mode == "embedded":
        env["WORK_AFTER_RESPONSE"] = "true"
    done = subprocess.run(
        [sys.executable, "-m", "bench.saves", "--inside", mode, "--saves", str(saves), "--runs", str(runs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench.saves {mode} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def measure_saves(database_url: str, saves: int = 20, runs: int = 10) -> list[dict]:
    """Both modes against ``database_url`` (seeded): a dict of figures per mode."""
    results = [_run_mode(database_url, "embedded", saves, runs)]
    redis, redis_url, workdir = _start_redis()
    worker = None
    try:
        env = _env(database_url, redis_url)
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "perfmgmt",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=1",
                "--pool=solo",
                "-n",
                "bench-saves@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)  # the worker connects to its broker
        results.append(_run_mode(database_url, "worker", saves, 0, redis_url))
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", nargs="?")
    parser.add_argument("--inside", choices=["embedded", "worker"], help=argparse.SUPPRESS)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(_measure(args.inside, args.saves, args.runs)), flush=True)
        return
    for result in measure_saves(args.database_url or os.environ["DATABASE_URL"], args.saves, args.runs):
        print(json.dumps(result))


if __name__ == "__main__":
    main()
