"""Celery tasks of the cross-cutting pieces, and the base every task uses."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, connections

from core import clock
from core.models import WorkerHeartbeat
from core.outbox import EMAIL, outbox_deliver

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


def _figures(result) -> dict:
    return {"sent": result.sent, "failed": result.failed, "given_up": result.given_up}


@shared_task(base=DatabaseRetryTask)
def deliver_outbox(kinds: list[str] | None = None, exclude_kinds: list[str] | None = None) -> dict:
    """On commit and every 30 seconds (perfmgmt/celery.py): send what is due, on
    the ``default`` queue. On commit and from beat it is asked for every kind but
    email (``exclude_kinds=["email"]``); without arguments it sends every kind,
    as it did before emails had their own task."""
    return _figures(outbox_deliver(kinds=kinds, exclude_kinds=exclude_kinds))


@shared_task(base=DatabaseRetryTask)
def deliver_outbox_email() -> dict:
    """On commit and every 30 seconds: send the outbox's due emails, on the
    ``email`` queue (CELERY_TASK_ROUTES), so email workers can run apart."""
    return _figures(outbox_deliver(kinds=[EMAIL]))


@shared_task(base=DatabaseRetryTask, bind=True)
def record_heartbeat(self) -> str:
    """Every minute: this worker, its broker and beat are alive."""
    worker = self.request.hostname or "in-process"
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": clock.now()})
    return worker
