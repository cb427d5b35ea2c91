"""Celery tasks of the cross-cutting pieces, and the base every task uses."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, connections

from core import clock
from core.models import WorkerHeartbeat
from core.outbox import outbox_deliver

log = logging.getLogger(__name__)


class DatabaseRetryTask(Task):
    """Retries on a lost or refused database connection (restart, failover, an
    idle connection dropped), with growing waits, and drops the broken connection
    first so the retry opens a new one."""

    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def retry(self, *args, **kwargs):
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close_if_unusable_or_obsolete()
        return super().retry(*args, **kwargs)


@shared_task(base=DatabaseRetryTask)
def deliver_outbox() -> dict:
    """On commit and every 30 seconds (perfmgmt/celery.py): send what is due."""
    result = outbox_deliver()
    return {"sent": result.sent, "failed": result.failed, "given_up": result.given_up}


@shared_task(base=DatabaseRetryTask, bind=True)
def record_heartbeat(self) -> str:
    """Every minute: this worker, its broker and beat are alive."""
    worker = self.request.hostname or "in-process"
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": clock.now()})
    return worker
