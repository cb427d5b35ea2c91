"""A real Celery worker process runs ``recompute_organisation`` over Redis.

Runs whenever REDIS_URL is set (CI sets it, with DATABASE_URL for PostgreSQL).
The worker is started by the test with the same environment, pointed at the
test database, so it sees the rows this test commits (``transaction=True``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from appraisals.models import RatingSource
from core.queueing import request_recompute
from insights.models import Flag, FlagKind, Run, RunStatus, SkillGap
from insights.models.runs import Recommendation
from insights.tasks import recompute_organisation
from organisations.models import Organisation
from tests.conftest import build_world
from tests.insights.skills_data import build_skills, rate

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


def _redis_unreachable_reason() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set: tasks run in-process (CI sets it, so this runs there)"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # pragma: no cover - only where Redis is down
        return f"Redis at REDIS_URL is unreachable: {exc}"
    return None


def _database_url() -> str:
    """DATABASE_URL for the worker: the test database this process is using."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip(
                "the SQLite test database is in memory, invisible to another process: set DATABASE_URL"
            )
        return f"sqlite:///{name}"
    user = quote(s.get("USER") or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = s.get("HOST") or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{s['NAME']}"


@pytest.fixture
def worker():
    reason = _redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "perfmgmt.settings"}
    from perfmgmt.celery import app

    app.control.purge()  # messages queued by earlier tests (for their own, rolled-back data)
    log = ROOT / f".celery-worker-test-{uuid.uuid4().hex[:8]}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "perfmgmt",
                "worker",
                "--pool=solo",
                "-c",
                "1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"skills-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_skills_gaps(worker):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    proc, log = worker
    w = build_world()
    sw = build_skills(w)
    Organisation.objects.filter(pk=w.org.pk).update(skills_coverage_threshold=Decimal("70"))

    def wait_for_run(number: int) -> Run:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            done = list(
                Run.objects.filter(organisation=w.org).exclude(status=RunStatus.RUNNING).order_by("pk")
            )
            if len(done) >= number:
                return done[number - 1]
            if proc.poll() is not None:
                pytest.fail(f"the worker exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        pytest.fail(f"no run {number} within {WAIT_SECONDS}s; worker log:\n{log.read_text()[-4000:]}")

    recompute_organisation.delay(w.org.pk)
    run = wait_for_run(1)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.trigger == "data change" and run.queries

    service = SkillGap.objects.get(organisation=w.org, employee=None, service=w.service, skill=sw.locata)
    assert (service.people_required, service.people_meeting, service.coverage) == (3, 2, Decimal("66.7"))
    # One person short (2 of 3): develop them, not interim cover for one person's gap.
    assert service.recommendation == Recommendation.DEVELOP
    peer = SkillGap.objects.get(employee=w.peer, skill=sw.locata)
    assert (peer.current_level, peer.gap) == (1, 2)
    gap_flag = Flag.objects.get(organisation=w.org, kind=FlagKind.SKILLS_GAP, service=w.service)
    assert gap_flag.resolved_at is None and gap_flag.evidence["people_meeting"] == 2

    # peer reaches the level; the run a save asks for (naming the person it touched, as
    # the product's saves do) updates rows in place and resolves the flag. The outbox may
    # hand the request to the worker too, so whichever run comes first resolves it: wait
    # for the flag, then check the runs after the first.
    rate(w.peer, sw.locata, 3, RatingSource.MANAGER, on=date(2026, 5, 30))
    request_recompute(w.org.pk, employees=[w.peer.pk])
    recompute_organisation.delay(w.org.pk)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        gap_flag.refresh_from_db()
        if gap_flag.resolved_at is not None:
            break
        if proc.poll() is not None:
            pytest.fail(f"the worker exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    assert gap_flag.resolved_at is not None, f"flag not resolved; worker log:\n{log.read_text()[-4000:]}"
    later = list(Run.objects.filter(organisation=w.org, pk__gt=run.pk).exclude(status=RunStatus.RUNNING))
    assert later and all(r.status == RunStatus.SUCCEEDED for r in later), [r.error for r in later]
    assert sum(r.counts.get("flags", {}).get("resolved", 0) for r in later) >= 1
    assert SkillGap.objects.get(employee=w.peer, skill=sw.locata).gap == 0
    assert "insights.tasks.recompute_organisation" in log.read_text()
