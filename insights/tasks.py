"""Celery tasks: thin, take ids, call the recompute service."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache

from core.outbox import outbox_message_add
from core.queueing import RECOMPUTE, recompute_key
from core.tasks import DatabaseRetryTask
from insights.services.recompute import (
    LOCK_SECONDS,
    AlreadyRunning,
    queued_key,
    run_recompute,
    runs_reap_interrupted,
)
from insights.services.scope import Scope
from organisations.models import Employee, Organisation

log = logging.getLogger(__name__)

# Another run holds the lock: ask again this much later, so a burst of edits
# during a run is never lost.
LOCKED_RETRY_SECONDS = 30
LOCKED_MAX_RETRIES = LOCK_SECONDS // LOCKED_RETRY_SECONDS


@shared_task(bind=True, base=DatabaseRetryTask)
def recompute_organisation(
    self, organisation_id: int, trigger: str = "data change", requested_by_id: int | None = None
) -> dict:
    """Recompute one organisation's skills gaps and flags.

    ``acks_late``: a worker that dies mid-run leaves the message to be delivered
    again (the run's writes are one transaction, so nothing is half-written).
    A lost database connection is retried, the lookups included (DatabaseRetryTask).
    While another run holds the lock, the request goes back to the outbox, which
    hands it over again in half a minute (no delayed message sits in the broker).
    Any other error is recorded on the Run and not retried: it will not fix
    itself, and the nightly run tries again."""
    cache.delete(queued_key(organisation_id))  # edits from now on queue a fresh run
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        log.warning(
            "recompute_organisation: no organisation %s (deleted since it was queued)", organisation_id
        )
        return {"run": None, "status": "no such organisation"}
    requested_by = None
    if requested_by_id:
        requested_by = Employee.objects.filter(pk=requested_by_id, organisation=organisation).first()
    # A data change recomputes what the pending changes touched (an incremental run);
    # the nightly and an officer's "run now" recompute everything.
    scope = Scope() if trigger == "data change" else None
    try:
        run = run_recompute(organisation, trigger=trigger, requested_by=requested_by, scope=scope)
    except AlreadyRunning:
        if self.request.is_eager:
            # In-process (no broker): the run in progress will do; retrying here would block the caller.
            log.info("recompute for %s skipped: one is already running", organisation)
            return {"run": None, "status": "already running"}
        outbox_message_add(
            kind=RECOMPUTE,
            payload={"organisation_id": organisation_id},
            key=recompute_key(organisation_id),
            delay=timedelta(seconds=LOCKED_RETRY_SECONDS),
        )
        return {"run": None, "status": "already running: asked again"}
    return {"run": run.pk, "status": run.status, "counts": run.counts}


@shared_task(base=DatabaseRetryTask)
def reap_interrupted_runs() -> int:
    """Every minute (perfmgmt/celery.py): runs whose worker died are marked interrupted."""
    return runs_reap_interrupted()


def queue_recompute(
    organisation_id: int,
    *,
    trigger: str = "data change",
    requested_by_id: int | None = None,
    countdown: int = 0,
) -> bool:
    """Queue one run for the organisation unless one is already queued; True when
    this call queued it. The key is cleared when the run starts, so a change made
    during a run queues exactly one more; it expires by itself if the run never starts."""
    key = queued_key(organisation_id)
    if not cache.add(key, "1", timeout=LOCK_SECONDS):
        return False
    try:
        recompute_organisation.apply_async(
            (organisation_id,), {"trigger": trigger, "requested_by_id": requested_by_id}, countdown=countdown
        )
    except Exception:
        cache.delete(key)  # not queued: let the next request try again
        raise
    return True


@shared_task(base=DatabaseRetryTask)
def recompute_all_organisations() -> list[int]:
    """Nightly (see perfmgmt/celery.py): one task per organisation."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for pk in ids:
        recompute_organisation.delay(pk, trigger="nightly")
    return ids
