"""Cases 2 and 5: a worker and its broker fail.

2. Redis restarts while a worker holds a delayed task: the worker rides it out
   and carries on; and when no worker is about, /healthz?deep=1 and the runs
   page say so in words (not 26 hours later).
5. A worker killed with SIGKILL mid-run: the run is marked interrupted and its
   lock released as soon as its database session is gone, and the recompute is
   asked for again.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from core.queueing import recompute_key
from core.tasks import record_heartbeat
from insights.models import Run, RunStatus
from insights.services.recompute import acquire_lock, lock_key
from insights.tasks import recompute_organisation
from tests.conftest import build_world, client_for
from tests.faults.conftest import need_postgres, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_a_worker_rides_out_a_redis_restart_while_holding_a_delayed_task(own_redis, start_worker):
    need_postgres()
    worker = start_worker(own_redis.url, pool="prefork")  # as deployed
    record_heartbeat.apply_async(countdown=4)  # held by the worker until it is due
    wait_for(
        lambda: "received" in worker.text(), "the worker to take the delayed task", on_fail=worker.output
    )

    own_redis.kill()
    wait_for(
        lambda: "Connection to broker lost" in worker.text(), "the worker to notice", on_fail=worker.output
    )
    own_redis.start()
    wait_for(
        worker.reconnected,
        "the worker to reconnect",
        on_fail=worker.output,
    )
    assert worker.alive(), worker.output()
    assert "Unrecoverable error" not in worker.text()
    # It still works: the delayed heartbeat ran or a new one does.
    record_heartbeat.delay()
    wait_for(WorkerHeartbeat.objects.exists, "a heartbeat from the worker", on_fail=worker.output)
    assert worker.alive()
    health = client_for(build_world().officer).get("/healthz?deep=1")
    assert health.status_code == 200 and health.json()["background"] == "ok"


def test_a_silent_worker_and_a_late_recompute_are_reported_in_words(own_redis):
    w = build_world()
    WorkerHeartbeat.objects.create(worker="w1@host", seen_at=timezone.now() - timedelta(minutes=40))
    old = timezone.now() - timedelta(minutes=20)
    OutboxMessage.objects.create(
        kind="recompute",
        key=recompute_key(w.org.pk),
        payload={"organisation_id": w.org.pk},
        created_at=old,
        next_attempt_at=old,
    )
    health = client_for(w.officer).get("/healthz?deep=1")
    assert health.status_code == 503
    words = health.json()["background"]
    assert "has not been seen for 40 minutes" in words and "20 minutes ago is still waiting" in words
    assert "w1@host" not in health.content.decode()  # nothing about the hosts
    runs = client_for(w.officer).get(reverse("insights:run_list")).content.decode()
    assert "The background worker has not been seen for 40 minutes" in runs
    assert "is still waiting to be processed" in runs
    flags = client_for(w.officer).get(reverse("insights:flag_list")).content.decode()
    assert "Flags may be stale" in flags and "not been seen for 40 minutes" in flags


def test_a_run_killed_with_sigkill_is_marked_interrupted_and_its_lock_released(own_redis, start_worker):
    need_postgres()
    w = build_world()
    worker = start_worker(own_redis.url)
    s = connection.settings_dict
    holder = psycopg2.connect(
        dbname=s["NAME"],
        user=s.get("USER") or None,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        password=s.get("PASSWORD") or None,
    )
    try:
        # Hold the organisation's row so the run stops part-way, inside its transaction.
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM organisations_organisation WHERE id = %s FOR NO KEY UPDATE", [w.org.pk]
            )
        recompute_organisation.delay(w.org.pk)
        run = wait_for(
            lambda: Run.objects.filter(organisation=w.org, status=RunStatus.RUNNING).first(),
            "the run to start",
            on_fail=worker.output,
        )
        assert run.backend_pid
        worker.kill9()
    finally:
        holder.rollback()
        holder.close()

    # As soon as PostgreSQL has ended the dead worker's session (the next thing it
    # does once the row is free), the runs page says what happened.
    def interrupted():
        client_for(w.officer).get(reverse("insights:run_list"))
        run.refresh_from_db()
        return run.status == RunStatus.INTERRUPTED

    wait_for(interrupted, "the run to be marked interrupted", timeout=20)
    page = client_for(w.officer).get(reverse("insights:run_list")).content.decode()
    assert "Interrupted" in page and "Running" not in page
    assert acquire_lock(w.org.pk) is not None  # the lock is free for the next run
    from django.core.cache import cache

    cache.delete(lock_key(w.org.pk))
    # ...and the recompute is asked for again, not lost until a visibility timeout.
    assert OutboxMessage.objects.filter(
        key=recompute_key(w.org.pk), status=OutboxStatus.PENDING
    ).exists() or (
        OutboxMessage.objects.filter(key=recompute_key(w.org.pk), status=OutboxStatus.SENT).count() >= 1
    )
