"""Celery tasks: thin, take ids, call the recompute service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from organisations.models import Employee, Organisation

from .recompute import LOCK_SECONDS, AlreadyRunning, queued_key, run_recompute

log = logging.getLogger(__name__)

# Another run holds the lock: try again every LOCKED_RETRY_SECONDS until the lock
# would have expired anyway, so a burst of edits during a run is never lost.
LOCKED_RETRY_SECONDS = 30
LOCKED_MAX_RETRIES = LOCK_SECONDS // LOCKED_RETRY_SECONDS
# The database went away (restart, failover): a few tries with growing waits.
DATABASE_MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, max_retries=LOCKED_MAX_RETRIES)
def recompute_organisation(
    self, organisation_id: int, trigger: str = "data change", requested_by_id: int | None = None
) -> dict:
    """Recompute one organisation's skills gaps and flags.

    ``acks_late``: a worker that dies mid-run leaves the message to be delivered
    again (the run's writes are one transaction, so nothing is half-written).
    Retries are bounded: while another run holds the lock, and on a lost
    database connection. Any other error is recorded on the Run and not retried:
    it will not fix itself, and the nightly run tries again."""
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
    try:
        run = run_recompute(organisation, trigger=trigger, requested_by=requested_by)
    except AlreadyRunning as exc:
        if self.request.is_eager:
            # In-process (no broker): the run in progress will do; retrying here would block the caller.
            log.info("recompute for %s skipped: one is already running", organisation)
            return {"run": None, "status": "already running"}
        if self.request.retries >= LOCKED_MAX_RETRIES:
            Organisation.objects.filter(pk=organisation_id).update(recompute_failed_at=timezone.now())
        raise self.retry(exc=exc, countdown=LOCKED_RETRY_SECONDS, max_retries=LOCKED_MAX_RETRIES)
    except (OperationalError, InterfaceError) as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries, max_retries=DATABASE_MAX_RETRIES)
    return {"run": run.pk, "status": run.status, "counts": run.counts}


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


@shared_task(acks_late=True)
def recompute_all_organisations() -> list[int]:
    """Nightly (see perfmgmt/celery.py): one task per organisation."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for pk in ids:
        recompute_organisation.delay(pk, trigger="nightly")
    return ids
