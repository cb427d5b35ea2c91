"""Is the background machinery alive? Read by /healthz?deep=1, the runs page and
the "flags may be stale" warning, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Min

from core import clock
from core.models import OutboxMessage, OutboxStatus, WorkerHeartbeat

# The heartbeat runs every minute; three missed beats mean no worker is running.
WORKER_SILENT_AFTER = timedelta(minutes=3)
# The outbox is delivered every 30 seconds; a message waiting longer than this
# has missed its schedule.
OUTBOX_LATE_AFTER = timedelta(minutes=5)


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


@dataclass
class BackgroundHealth:
    problems: list[str]
    worker_seen_at: datetime | None
    oldest_pending_at: datetime | None

    @property
    def ok(self) -> bool:
        return not self.problems


def background_health(*, key_prefix: str = "", now: datetime | None = None) -> BackgroundHealth:
    """Problems in words: no worker seen lately, side effects waiting past their
    schedule (for keys starting ``key_prefix``, e.g. one organisation's recompute).
    Two queries. Without a broker (tasks run in-process) there is no worker to miss."""
    now = now or clock.now()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return BackgroundHealth(problems=[], worker_seen_at=None, oldest_pending_at=None)
    seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    if key_prefix:
        pending = pending.filter(key__startswith=key_prefix)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    problems = []
    if seen is None:
        problems.append("No background worker has reported in yet: flags are not being recomputed.")
    elif now - seen > WORKER_SILENT_AFTER:
        problems.append(
            f"The background worker has not been seen for {_ago(now - seen)}: "
            "flags are not being recomputed and emails are not being sent."
        )
    if oldest is not None and now - oldest > OUTBOX_LATE_AFTER:
        problems.append(
            f"A change made {_ago(now - oldest)} ago is still waiting to be processed "
            "(recompute or email): it is late."
        )
    return BackgroundHealth(problems=problems, worker_seen_at=seen, oldest_pending_at=oldest)
