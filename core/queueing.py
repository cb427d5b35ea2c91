"""Ask for an organisation's flags to be recomputed after a data change.

organisations does not import insights: insights registers the function that
queues its task here (``AppConfig.ready``). The request is written to the outbox
in the save's transaction, one pending request per organisation however many
edits; the outbox hands it to the task queue on commit, or retries until the
broker answers. A save never fails because the broker is down: the organisation
is marked so dashboards can say flags may be stale until a run succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from core import outbox

log = logging.getLogger(__name__)

RECOMPUTE = "recompute"

_handler: Callable[[int], None] | None = None
_on_delay: Callable[[int], None] | None = None


def set_recompute_handler(handler: Callable[[int], None], on_delay: Callable[[int], None]) -> None:
    """``handler`` queues the run; ``on_delay`` marks the organisation's flags as
    possibly stale while the broker does not answer."""
    global _handler, _on_delay
    _handler, _on_delay = handler, on_delay


def recompute_key(organisation_id: int) -> str:
    return f"{RECOMPUTE}:{organisation_id}:"


def _deliver(payload: dict) -> None:
    if _handler is not None:
        _handler(payload["organisation_id"])


def _mark_stale(payload: dict) -> None:
    log.error(
        "Could not queue a recompute for organisation %s; flags may be stale", payload["organisation_id"]
    )
    if _on_delay is not None:
        _on_delay(payload["organisation_id"])


outbox.register(RECOMPUTE, _deliver, on_delay=_mark_stale)


def request_recompute(organisation_id: int) -> None:
    outbox.outbox_message_add(
        kind=RECOMPUTE, payload={"organisation_id": organisation_id}, key=recompute_key(organisation_id)
    )
