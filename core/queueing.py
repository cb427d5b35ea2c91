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
from collections.abc import Callable, Iterable

from core import outbox

log = logging.getLogger(__name__)

RECOMPUTE = "recompute"

_handler: Callable[[int], None] | None = None
_on_delay: Callable[[int], None] | None = None
_recorder: Callable[[int, dict[str, Iterable[int | None]] | None], None] | None = None


def set_recompute_handler(
    handler: Callable[[int], None],
    on_delay: Callable[[int], None],
    recorder: Callable[[int, dict[str, Iterable[int | None]] | None], None] | None = None,
) -> None:
    """``handler`` queues the run; ``on_delay`` marks the organisation's flags as
    possibly stale while the broker does not answer; ``recorder`` keeps what a
    change touched for the run to take (an incremental run)."""
    global _handler, _on_delay, _recorder
    _handler, _on_delay, _recorder = handler, on_delay, recorder


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


def request_recompute(
    organisation_id: int,
    *,
    employees: Iterable[int | None] = (),
    services: Iterable[int | None] = (),
    kpis: Iterable[int | None] = (),
    risks: Iterable[int | None] = (),
    goals: Iterable[int | None] = (),
) -> None:
    """Ask for a run after this transaction commits. Name what the change touched
    (people, services, KPIs, risks, goals: for a person who moved or changed
    manager, the old ones too) and the run recomputes only what that can affect;
    name nothing and it recomputes the whole organisation."""
    touched = {"employees": employees, "services": services, "kpis": kpis, "risks": risks, "goals": goals}
    touched = {name: [i for i in ids if i is not None] for name, ids in touched.items()}
    if _recorder is not None:
        _recorder(organisation_id, touched if any(touched.values()) else None)
    outbox.outbox_message_add(
        kind=RECOMPUTE, payload={"organisation_id": organisation_id}, key=recompute_key(organisation_id)
    )
