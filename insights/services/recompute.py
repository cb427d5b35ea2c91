"""The recompute run: skills gaps and every flag rule for one organisation.

Set-based: each step loads what it needs for the whole organisation in a
fixed number of queries, computes in memory with pure rules, and returns flag
candidates; :func:`sync_flags` writes them in bulk. The computation and all
its writes happen in one transaction, so a run killed part-way leaves nothing
half-written; the ``Run`` row records start, end, status, counts and the
number of queries the run made.

One run per organisation at a time: a lock in the cache (Redis in
production, so it holds across worker processes), taken with an atomic
``add``, carrying a token so a run only ever releases its own lock, and
expiring by itself if a worker dies holding it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from core import clock
from core.health import background_health
from core.queueing import recompute_key
from insights.models import Run, RunStatus
from insights.models.flags import SEVERITY_RANK
from insights.rules.kinds import rule_steps
from insights.rules.thresholds import OPEN_FROM_SEVERITY
from insights.rules.workforce import service_rows
from insights.services.figures import own_goals, store_figures
from insights.services.flag_owners import Owners, assign_owners, escalate
from insights.services.flagging import FlagCandidate, sync_flags
from insights.services.pending import take_pending
from insights.services.scope import Scope, Slice, slice_for
from organisations.models import Employee, Organisation

log = logging.getLogger(__name__)

# Each step takes a RunContext and returns flag candidates: every kind's rule in
# the registry (insights/rules/kinds.py), once each, in the registry's order.
STEPS: list[Callable[[RunContext], list[FlagCandidate]]] = rule_steps()

# Longer than any run should take (10,000 people take seconds); a lock left by a
# worker that died expires after this.
LOCK_SECONDS = 10 * 60


@dataclass
class RunContext:
    organisation: Organisation
    today: date
    now: datetime
    counts: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # data one step loads for another
    # An incremental run's part of the organisation (insights.services.scope); None: all of it.
    slice: Slice | None = None


def _scope() -> str:
    # The database name is part of every key: two test databases (pytest-xdist) or
    # two deployments sharing one Redis must not share locks for the same org id.
    return str(connection.settings_dict.get("NAME"))


def lock_key(organisation_id: int) -> str:
    return f"recompute-lock:{_scope()}:{organisation_id}"


def queued_key(organisation_id: int) -> str:
    return f"recompute-queued:{_scope()}:{organisation_id}"


class AlreadyRunning(Exception):
    pass


def _lock_value(token: str) -> str:
    return f"{token}:{time.time():.3f}"


def acquire_lock(organisation_id: int) -> str | None:
    """Take the organisation's run lock; return its token, or None when another
    live run holds it. The value records when it was taken, so a lock left by a
    killed worker is cleared once older than ``LOCK_SECONDS`` even where the cache
    does not expire keys (the cache's own timeout is the first line)."""
    key = lock_key(organisation_id)
    token = uuid.uuid4().hex
    if cache.add(key, _lock_value(token), timeout=LOCK_SECONDS):
        return token
    held = cache.get(key)
    try:
        taken_at = float(str(held).rsplit(":", 1)[1])
    except (IndexError, ValueError):
        taken_at = 0.0  # unreadable: treat as stale
    if held is not None and time.time() - taken_at <= LOCK_SECONDS:
        return None
    log.warning("Clearing a stale recompute lock for organisation %s (%r)", organisation_id, held)
    cache.delete(key)
    if cache.add(key, _lock_value(token), timeout=LOCK_SECONDS):
        return token
    return None


def release_lock(organisation_id: int, token: str) -> None:
    """Release the lock only if it is still ours: a run that overran its lock must
    not release the lock of the run that took over."""
    key = lock_key(organisation_id)
    held = cache.get(key)
    if held is not None and str(held).startswith(f"{token}:"):
        cache.delete(key)


@contextmanager
def organisation_lock(organisation_id: int) -> Iterator[str]:
    """Hold the organisation's recompute lock (yielding its token), or raise
    AlreadyRunning. A lock whose run's worker is known dead is released first."""
    token = acquire_lock(organisation_id)
    if token is None and runs_reap_interrupted(organisation_id=organisation_id):
        token = acquire_lock(organisation_id)
    if token is None:
        raise AlreadyRunning(f"A recompute for organisation {organisation_id} is already running.")
    try:
        yield token
    finally:
        release_lock(organisation_id, token)


class _QueryCounter:
    """Counts the queries a run makes, whether or not DEBUG logs them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_recompute(
    organisation: Organisation,
    *,
    trigger: str = "manual",
    requested_by: Employee | None = None,
    today: date | None = None,
    scope: Scope | None = None,
) -> Run:
    """Recompute one organisation now, in this process. Raises AlreadyRunning when
    another run holds the organisation's lock; re-raises a step's error after
    recording it on the Run.

    With a ``scope`` (what a change touched), an incremental run: only the part of
    the organisation the change can affect is judged and written (see
    :mod:`insights.services.scope`); a full run where it cannot be (no stored
    figures from today). Changes still pending for the organisation (``PendingChange``)
    are taken into the run and cleared with it."""
    with organisation_lock(organisation.pk) as token:
        # Holding the lock, no other run is alive: one left "running" was killed.
        Run.objects.filter(organisation=organisation, status=RunStatus.RUNNING).update(
            status=RunStatus.INTERRUPTED, error=INTERRUPTED_MESSAGE, finished_at=clock.now()
        )
        run = Run.objects.create(
            organisation=organisation,
            trigger=trigger,
            requested_by=requested_by,
            backend_pid=_backend_pid(),
            lock_token=token,
        )
        started = time.monotonic()
        counter = _QueryCounter()
        try:
            with connection.execute_wrapper(counter), transaction.atomic():
                # A second guard beside the cache lock: on PostgreSQL, two runs for one
                # organisation queue here instead of writing flags side by side. NO KEY:
                # saves' foreign-key checks on the organisation (FOR KEY SHARE) pass.
                list(
                    Organisation.objects.select_for_update(no_key=True)
                    .filter(pk=organisation.pk)
                    .values_list("pk")
                )
                ctx = RunContext(organisation=organisation, today=today or clock.today(), now=clock.now())
                pending = take_pending(organisation.pk)
                if scope is not None:
                    ctx.slice = slice_for(ctx, scope | pending.scope if not pending.everything else None)
                candidates: list[FlagCandidate] = []
                timings = ctx.counts["step_ms"] = {"scope": _ms(started)}
                for step in STEPS:
                    at = time.monotonic()
                    candidates.extend(step(ctx))
                    timings[step.__module__.rsplit(".", 1)[-1]] = _ms(at)
                at = time.monotonic()
                owners = Owners.of(ctx)
                candidates = assign_owners(organisation, candidates, owners)
                timings["owners"] = _ms(at)
                at = time.monotonic()
                ctx.counts["flags"] = sync_flags(
                    organisation,
                    candidates,
                    ctx.now,
                    keep=worth_a_flag,
                    within=ctx.slice,
                )
                timings["flags"] = _ms(at)
                at = time.monotonic()
                ctx.counts["flags"]["escalated"] = escalate(organisation, ctx.now, owners)
                timings["escalate"] = _ms(at)
                if ctx.slice is None or ctx.slice.services:
                    own_goals(ctx)
                computed = sorted(ctx.slice.services) if ctx.slice else [r["pk"] for r in service_rows(ctx)]
                ctx.counts["services_recomputed"] = store_figures(ctx, computed)
                ctx.counts["incremental"] = ctx.slice is not None
                if ctx.slice is not None:
                    ctx.counts["people_recomputed"] = len(ctx.slice.people)
        except Exception as exc:
            log.exception("recompute failed for %s", organisation)
            now = clock.now()
            run.status = RunStatus.FAILED
            run.error = f"{type(exc).__name__}: {exc}"
            run.finished_at = now
            run.queries = counter.count
            run.counts = {"seconds": round(time.monotonic() - started, 3)}
            run.save(update_fields=["status", "error", "finished_at", "queries", "counts"])
            # Dashboards say figures may be stale until a run succeeds.
            Organisation.objects.filter(pk=organisation.pk).update(recompute_failed_at=now)
            raise
        run.status = RunStatus.SUCCEEDED
        run.counts = {**ctx.counts, "seconds": round(time.monotonic() - started, 3)}
        run.queries = counter.count
        run.finished_at = clock.now()
        run.save(update_fields=["status", "counts", "finished_at", "queries"])
        # Flags are fresh again, unless a queueing failed after this run started
        # (that change may not be in it: the nightly run will catch it).
        Organisation.objects.filter(pk=organisation.pk, recompute_failed_at__lte=run.started_at).update(
            recompute_failed_at=None
        )
        return run


def _ms(since: float) -> int:
    return round((time.monotonic() - since) * 1000)


def worth_a_flag(candidates: list[FlagCandidate], open_keys: set[str] = frozenset()) -> list[FlagCandidate]:
    """The candidates severe enough to open a flag (``OPEN_FROM_SEVERITY`` or
    above), and those below it whose flag is already open (``open_keys``): a flag
    stays open, at its lower severity, while its condition holds, so one that dips
    for a day neither resolves nor comes back as new (losing its acknowledgement
    or dismissal)."""
    floor = SEVERITY_RANK[OPEN_FROM_SEVERITY]
    return [c for c in candidates if SEVERITY_RANK.get(c.severity, 0) >= floor or c.stable_key in open_keys]


INTERRUPTED_MESSAGE = "Interrupted: the worker stopped before the run finished."


def _backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def runs_reap_interrupted(*, organisation_id: int | None = None) -> int:
    """Mark interrupted the runs whose worker is dead, release their locks and ask
    for the recompute again; the number marked.

    A run is known dead when its database session is gone: PostgreSQL ends a
    session as soon as the worker's connection closes (SIGKILL included), which
    also rolls back the run's writes. Elsewhere (SQLite) a dead run is found when
    its lock expires."""
    if connection.vendor != "postgresql":
        return 0
    running = Run.objects.filter(status=RunStatus.RUNNING, backend_pid__isnull=False)
    if organisation_id is not None:
        running = running.filter(organisation_id=organisation_id)
    running = list(running.only("pk", "organisation_id", "backend_pid", "lock_token", "started_at"))
    if not running:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = ANY(%s)",
            [[r.backend_pid for r in running]],
        )
        alive = dict(cursor.fetchall())
    from core.queueing import request_recompute

    reaped = 0
    for run in running:
        started = alive.get(run.backend_pid)
        if started is not None and started <= run.started_at:
            continue  # its session is still there: the run may still be working
        with transaction.atomic():
            marked = Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.INTERRUPTED, error=INTERRUPTED_MESSAGE, finished_at=clock.now()
            )
            if marked:
                request_recompute(run.organisation_id)
        if marked:
            reaped += 1
            log.warning(
                "Run %s was interrupted (its worker died); lock released, recompute requested", run.pk
            )
            if run.lock_token:
                release_lock(run.organisation_id, run.lock_token)
    return reaped


# The nightly run is at 02:00; flags older than a day and a bit mean a night was missed.
STALE_AFTER = timedelta(hours=26)


@dataclass
class Freshness:
    last_run: Run | None
    stale: bool
    reason: str


def freshness(organisation: Organisation, now: datetime | None = None) -> Freshness:
    """How fresh the organisation's flags are, for a "flags as of" line and a
    "flags may be stale" warning. One query, and two more where a worker runs
    the tasks (is it alive, is a recompute late)."""
    now = now or clock.now()
    run = last_run(organisation)
    background = background_health(key_prefix=recompute_key(organisation.pk), now=now)
    reasons = []
    if organisation.recompute_failed_at is not None:
        reasons.append(
            "A recent change could not be queued for recomputing (the task queue was unreachable)."
        )
    reasons += background.problems
    if run is None:
        reasons.append("Flags have not been computed yet.")
    elif (run.finished_at or run.started_at) < now - STALE_AFTER:
        reasons.append("The nightly recompute has not run for more than a day.")
    reason = " ".join(reasons[:2])
    return Freshness(last_run=run, stale=bool(reason), reason=reason)


def last_run(organisation: Organisation) -> Run | None:
    """The last successful run: what "data as of" means on every page."""
    return (
        Run.objects.filter(organisation=organisation, status=RunStatus.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )
