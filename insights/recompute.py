"""The recompute run: skills gaps and every flag rule for one organisation.

Set-based: each step loads what it needs for the whole organisation in a
fixed number of queries, computes in memory with pure rules, and returns flag
candidates; :func:`sync_flags` writes them in bulk. The computation and all
its writes happen in one transaction, so a run killed part-way leaves nothing
half-written; the ``Run`` row records start, end, status and counts.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from organisations.models import Organisation

from .flagging import FlagCandidate, sync_flags
from .models import Run, RunStatus

log = logging.getLogger(__name__)

# Each step is "module:function" taking a RunContext and returning flag candidates.
STEPS: list[str] = [
    "insights.rules.kpis:candidates",
    "insights.rules.goals:candidates",
    "insights.rules.sessions:candidates",
]

LOCK_SECONDS = 15 * 60


@dataclass
class RunContext:
    organisation: Organisation
    today: date
    now: datetime
    counts: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # data one step loads for another


def lock_key(organisation_id: int) -> str:
    return f"recompute-lock:{organisation_id}"


def queued_key(organisation_id: int) -> str:
    return f"recompute-queued:{organisation_id}"


class AlreadyRunning(Exception):
    pass


def run_recompute(
    organisation: Organisation, *, trigger: str = "manual", requested_by=None, today: date | None = None
) -> Run:
    """Recompute one organisation now, in this process. Raises AlreadyRunning when
    another run holds the organisation's lock."""
    if not cache.add(lock_key(organisation.pk), "1", timeout=LOCK_SECONDS):
        raise AlreadyRunning(f"A recompute for {organisation} is already running.")
    try:
        # Runs left "running" by a killed worker are marked as such.
        Run.objects.filter(organisation=organisation, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            error="Interrupted: the worker stopped before the run finished.",
            finished_at=timezone.now(),
        )
        run = Run.objects.create(organisation=organisation, trigger=trigger, requested_by=requested_by)
        started = time.monotonic()
        queries_before = len(connection.queries) if connection.queries_logged else None
        try:
            with transaction.atomic():
                ctx = RunContext(
                    organisation=organisation, today=today or timezone.localdate(), now=timezone.now()
                )
                candidates: list[FlagCandidate] = []
                for step in STEPS:
                    module, func = step.split(":")
                    candidates.extend(getattr(import_module(module), func)(ctx))
                ctx.counts["flags"] = sync_flags(organisation, candidates, ctx.now)
        except Exception as exc:
            log.exception("recompute failed for %s", organisation)
            run.status = RunStatus.FAILED
            run.error = f"{type(exc).__name__}: {exc}"
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            raise
        run.status = RunStatus.SUCCEEDED
        run.counts = {**ctx.counts, "seconds": round(time.monotonic() - started, 3)}
        if queries_before is not None:
            run.queries = len(connection.queries) - queries_before
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "counts", "finished_at", "queries"])
        Organisation.objects.filter(pk=organisation.pk).update(recompute_failed_at=None)
        return run
    finally:
        cache.delete(lock_key(organisation.pk))


def last_run(organisation: Organisation) -> Run | None:
    return (
        Run.objects.filter(organisation=organisation, status=RunStatus.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )
