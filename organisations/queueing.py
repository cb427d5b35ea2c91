"""Ask for an organisation's flags to be recomputed after a data change.

organisations does not import insights: insights registers the function that
queues its task here (``AppConfig.ready``). Queueing happens on commit, at most
once per organisation while a run is already queued, and never makes a save
fail: when the broker is down the failure is logged, the organisation is marked
so dashboards can say flags may be stale, and the nightly run catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

_handler: Callable[[int], None] | None = None


def set_recompute_handler(handler: Callable[[int], None]) -> None:
    global _handler
    _handler = handler


def _enqueue(organisation_id: int) -> None:
    from .models import Organisation

    if _handler is None:
        return
    try:
        _handler(organisation_id)
    except Exception:  # broker or cache unreachable: the save must still succeed
        log.exception("Could not queue a recompute for organisation %s; flags may be stale", organisation_id)
        Organisation.objects.filter(pk=organisation_id).update(recompute_failed_at=timezone.now())


def request_recompute(organisation_id: int) -> None:
    transaction.on_commit(lambda: _enqueue(organisation_id))
