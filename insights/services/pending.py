"""Changes waiting for a recompute run: what each save touched, gathered per
organisation until a run takes them.

A save writes what it touched (``PendingChange`` rows, one per person, service,
KPI, risk or goal; plain inserts that never wait on another save) in its own transaction, beside the
one outbox message that asks for a run. However many saves come before the run
starts, the run takes them all at once (:func:`take_pending`, in its own
transaction, so a failed run leaves them for the next) and recomputes their
union: a burst of edits is one incremental run.
"""

from __future__ import annotations

from dataclasses import dataclass

from insights.models import PendingChange
from insights.services.scope import Scope

EVERYTHING = "everything"


@dataclass
class Pending:
    scope: Scope
    everything: bool  # a change that asked for a full run


def add_pending(organisation_id: int, scope: Scope | None) -> None:
    """Record what a change touched; ``None``: the whole organisation. One query."""
    rows = scope.rows() if scope else [(EVERYTHING, 0)]
    PendingChange.objects.bulk_create(
        [PendingChange(organisation_id=organisation_id, what=what, object_id=pk) for what, pk in rows]
    )


def take_pending(organisation_id: int) -> Pending:
    """The organisation's pending changes, removed: two queries."""
    rows = list(
        PendingChange.objects.filter(organisation_id=organisation_id).values_list("pk", "what", "object_id")
    )
    if rows:
        PendingChange.objects.filter(pk__in=[r[0] for r in rows]).delete()
    return Pending(
        scope=Scope.from_rows((what, pk) for _, what, pk in rows),
        everything=any(what == EVERYTHING for _, what, _ in rows),
    )
