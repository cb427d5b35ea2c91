"""Celery tasks: thin, take ids, call the recompute service."""

import logging

from celery import shared_task
from django.core.cache import cache

from organisations.models import Organisation

from .recompute import AlreadyRunning, queued_key, run_recompute

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=60)
def recompute_organisation(self, organisation_id: int, trigger: str = "data change") -> dict:
    cache.delete(queued_key(organisation_id))  # edits from now on queue a fresh run
    organisation = Organisation.objects.get(pk=organisation_id)
    try:
        run = run_recompute(organisation, trigger=trigger)
    except AlreadyRunning as exc:
        # One run per organisation at a time: try again once the current one ends.
        raise self.retry(exc=exc, countdown=30)
    return {"run": run.pk, "status": run.status, "counts": run.counts}


@shared_task(acks_late=True)
def recompute_all_organisations() -> list[int]:
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for pk in ids:
        recompute_organisation.delay(pk, trigger="nightly")
    return ids
