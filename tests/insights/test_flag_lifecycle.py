"""The run and the flag lifecycle: open, refresh, resolve, reopen; dismissed flags
stay quiet until their severity rises; idempotency; a run interrupted part-way
leaves nothing half-written; a killed worker's Run row and lock do not block the
next run; the run's query count does not grow with the data."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, Run, RunStatus, SubjectType
from insights.rules import risks as risk_rules
from insights.rules import workforce as workforce_rules
from insights.rules.thresholds import OPEN_FROM_SEVERITY
from insights.services import recompute
from insights.services.flagging import FlagCandidate, sync_flags
from insights.services.flags import flag_acknowledge, flag_dismiss
from insights.services.recompute import (
    AlreadyRunning,
    acquire_lock,
    lock_key,
    release_lock,
    run_recompute,
    worth_a_flag,
)
from organisations.models import Organisation
from organisations.services.risks import risk_close, risk_update
from tests.organisations.risk_factories import RiskFactory

PRODUCE: list[FlagCandidate] = []  # what fake_step returns this run


def fake_step(ctx) -> list[FlagCandidate]:
    return list(PRODUCE)


def writes_then_fails(ctx) -> list[FlagCandidate]:
    """Writes (changes every flag, adds one) and then fails part-way."""
    Flag.objects.filter(organisation=ctx.organisation).update(severity=FlagSeverity.LOW, title="half-written")
    Flag.objects.create(
        organisation=ctx.organisation,
        kind=FlagKind.KPI_RED,
        severity="high",
        key="half",
        subject_type="kpi",
        subject_id=1,
        title="half-written",
        rule="r",
        opened_at=ctx.now,
        last_seen_at=ctx.now,
    )
    raise RuntimeError("database went away part-way")


def killed(ctx) -> list[FlagCandidate]:
    Flag.objects.filter(organisation=ctx.organisation).update(title="half-written")
    raise SystemExit("worker terminated")


def candidate(severity=FlagSeverity.MEDIUM, subject_id=1, service_id=None, **evidence) -> FlagCandidate:
    return FlagCandidate(
        kind=FlagKind.INTERIM_RELIANCE,
        severity=severity,
        subject_type=SubjectType.SERVICE,
        subject_id=subject_id,
        service_id=service_id,
        title=f"Service {subject_id}: reliance on agency staff",
        rule="More than 20% of FTE on interim or agency contracts.",
        evidence=evidence or {"share_percent": "25"},
    )


@pytest.fixture
def steps(monkeypatch):
    """Run only the given steps: real rule functions, or this module's fakes by name."""

    def use(*names):
        monkeypatch.setattr(recompute, "STEPS", [n if callable(n) else globals()[n] for n in names])

    PRODUCE.clear()
    use("fake_step")
    yield use
    PRODUCE.clear()


def produce(*candidates):
    PRODUCE[:] = candidates


def the_flag() -> Flag:
    return Flag.objects.get(key=candidate().stable_key)


def reasons(flag) -> list[str]:
    return list(
        flag.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )


def snapshot(org) -> list[tuple]:
    return sorted(
        Flag.objects.filter(organisation=org).values_list(
            "key",
            "kind",
            "severity",
            "title",
            "rule",
            "evidence",
            "service_id",
            "employee_id",
            "resolved_at",
            "dismissed_at",
        ),
        key=lambda row: row[0],
    )


# --- lifecycle -------------------------------------------------------------------------
def test_open_refresh_resolve_reopen(world, steps):
    produce(candidate(evidence_marker="a"))
    run = run_recompute(world.org)
    assert run.status == RunStatus.SUCCEEDED and run.counts["flags"]["opened"] == 1
    flag = the_flag()
    opened_at = flag.opened_at
    assert flag.state == "new" and reasons(flag) == ["Opened"]

    produce(candidate(share_percent="27"))  # same key, new evidence: refreshed in place
    counts = run_recompute(world.org).counts["flags"]
    assert counts["refreshed"] == 1 and counts["opened"] == 0
    flag = the_flag()
    assert flag.evidence == {"share_percent": "27"} and flag.opened_at == opened_at
    assert reasons(flag) == ["Opened"]  # evidence changes are not history

    flag_acknowledge(flag=flag, by=world.head, note="Recruiting")
    produce(candidate(FlagSeverity.HIGH, share_percent="35"))
    run_recompute(world.org)
    flag = the_flag()
    assert flag.severity == FlagSeverity.HIGH and flag.state == "acknowledged"  # stays acknowledged
    assert reasons(flag)[-1] == "Severity changed from medium to high"

    produce()  # the condition cleared
    counts = run_recompute(world.org).counts["flags"]
    assert counts["resolved"] == 1
    flag = the_flag()
    assert flag.state == "resolved" and reasons(flag)[-1] == "Resolved: the condition cleared"

    produce()  # stays resolved, untouched
    assert run_recompute(world.org).counts["flags"]["resolved"] == 0

    produce(candidate())  # it came back: a new episode, to be reviewed afresh
    counts = run_recompute(world.org).counts["flags"]
    assert counts["reopened"] == 1 and Flag.objects.count() == 1
    flag = the_flag()
    assert flag.state == "new" and flag.opened_at > opened_at and flag.acknowledged_by is None
    assert reasons(flag)[-1] == "Reopened: the condition came back"


def test_a_dismissed_flag_stays_quiet_until_its_severity_rises(world, steps):
    produce(candidate(FlagSeverity.MEDIUM))
    run_recompute(world.org)
    flag_dismiss(flag=the_flag(), by=world.head, reason="Known; covered by risk HO02")
    for _ in range(2):
        produce(candidate(FlagSeverity.MEDIUM))
        counts = run_recompute(world.org).counts["flags"]
        flag = the_flag()
        assert flag.state == "dismissed" and counts["undismissed"] == 0
        assert flag.dismissed_severity == FlagSeverity.MEDIUM and flag.dismissed_by == world.head
    assert not Flag.objects.needing_attention().exists()

    produce(candidate(FlagSeverity.HIGH))
    counts = run_recompute(world.org).counts["flags"]
    flag = the_flag()
    assert counts["undismissed"] == 1 and flag.state == "new" and flag.severity == FlagSeverity.HIGH
    assert flag.dismissal_reason == "" and flag.dismissed_severity == ""
    assert reasons(flag)[-1] == "Dismissal lifted: severity rose to high"
    assert Flag.objects.needing_attention().get() == flag


# --- no flag below medium ----------------------------------------------------------------
def test_the_floor_is_medium():
    assert OPEN_FROM_SEVERITY == FlagSeverity.MEDIUM
    found = [
        candidate(FlagSeverity.LOW, subject_id=1),
        candidate(FlagSeverity.HIGH, subject_id=2),
        candidate(FlagSeverity.MEDIUM, subject_id=3),
        candidate(FlagSeverity.LOW, subject_id=4),
    ]
    assert [c.subject_id for c in worth_a_flag(found)] == [2, 3]
    # A flag already open stays open while its finding holds, even below the floor.
    assert [c.subject_id for c in worth_a_flag(found, {found[3].stable_key})] == [2, 3, 4]


def test_a_low_finding_opens_no_flag(world, steps):
    produce(candidate(FlagSeverity.LOW))
    run = run_recompute(world.org)
    assert run.counts["flags"]["opened"] == 0 and not Flag.objects.exists()
    produce(candidate(FlagSeverity.MEDIUM))
    assert run_recompute(world.org).counts["flags"]["opened"] == 1


def test_a_flag_whose_finding_falls_to_low_stays_open_and_keeps_its_dismissal(world, steps):
    produce(candidate(FlagSeverity.MEDIUM))
    run_recompute(world.org)
    flag_dismiss(flag=the_flag(), by=world.head, reason="Known")
    produce(candidate(FlagSeverity.LOW))  # the condition still holds, less severe
    counts = run_recompute(world.org).counts["flags"]
    flag = the_flag()
    assert counts["resolved"] == 0 and flag.state == "dismissed" and flag.severity == FlagSeverity.LOW
    produce(candidate(FlagSeverity.MEDIUM))  # back to the severity it was dismissed at: still quiet
    run_recompute(world.org)
    assert the_flag().state == "dismissed"
    produce()  # the condition clears: resolved
    assert run_recompute(world.org).counts["flags"]["resolved"] == 1
    produce(candidate(FlagSeverity.LOW))  # a low finding afterwards opens nothing
    assert run_recompute(world.org).counts["flags"]["reopened"] == 0
    assert the_flag().state == "resolved"


def test_a_dismissed_flag_that_clears_and_returns_is_reviewed_afresh(world, steps):
    produce(candidate())
    run_recompute(world.org)
    flag_dismiss(flag=the_flag(), by=world.head, reason="Known")
    produce()
    run_recompute(world.org)
    produce(candidate())
    run_recompute(world.org)
    assert the_flag().state == "new"


def test_the_real_risk_rules_open_resolve_and_reopen(world, steps):
    steps(risk_rules.candidates)
    risk = RiskFactory(
        organisation=world.org,
        service=world.service,
        residual_likelihood=4,
        residual_impact=4,
        target_likelihood=2,
        target_impact=2,
    )
    run_recompute(world.org)
    flag = Flag.objects.get(kind=FlagKind.RISK_ABOVE_TARGET)
    assert (
        flag.subject_id == risk.pk
        and flag.severity == FlagSeverity.HIGH
        and flag.service_id == world.service.pk
    )

    risk_update(risk=risk, by=world.officer, changes={"residual_likelihood": 3})  # 12: still above, medium
    run_recompute(world.org)
    flag.refresh_from_db()
    assert flag.severity == FlagSeverity.MEDIUM and flag.state == "new"

    risk_update(
        risk=risk, by=world.officer, changes={"residual_likelihood": 1, "residual_impact": 4}
    )  # 4: on target
    run_recompute(world.org)
    flag.refresh_from_db()
    assert flag.state == "resolved"

    risk_update(risk=risk, by=world.officer, changes={"residual_likelihood": 3})
    run_recompute(world.org)
    flag.refresh_from_db()
    assert flag.state == "new"

    risk_close(risk=risk, by=world.officer)  # a closed risk raises nothing
    run_recompute(world.org)
    flag.refresh_from_db()
    assert flag.state == "resolved"


# --- idempotency -------------------------------------------------------------------------
def test_two_runs_give_the_same_flags_and_change_no_row(world, steps):
    steps("fake_step", risk_rules.candidates, workforce_rules.candidates)
    today = clock.today()
    RiskFactory(organisation=world.org, service=world.service, review_due=today - timedelta(days=40))
    RiskFactory(organisation=world.org, residual_likelihood=4, residual_impact=4, target_likelihood=1)
    world.interim.end_date = today + timedelta(days=7)
    world.interim.save()
    produce(
        candidate(subject_id=world.service.pk, when=today, nested={"a": [1, 2]})
    )  # a date and a tuple-ish list
    run_recompute(world.org)
    before = snapshot(world.org)
    history_before = Flag.history.count()
    rows_before = list(Flag.objects.values())
    assert len(before) >= 4

    with CaptureQueriesContext(connection) as ctx:
        counts = run_recompute(world.org).counts["flags"]
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE"))
        and "insights_flag" in q["sql"].split(" SET ")[0].split(" (")[0]
    ]
    assert counts["opened"] == counts["refreshed"] == counts["resolved"] == counts["reopened"] == 0
    assert writes == []  # not a single flag row written
    assert snapshot(world.org) == before
    assert list(Flag.objects.values()) == rows_before  # last_seen_at included
    assert Flag.history.count() == history_before


# --- interruption ------------------------------------------------------------------------
def test_a_run_that_fails_part_way_leaves_nothing_half_written(world, steps):
    today = clock.today()
    RiskFactory(organisation=world.org, service=world.service, review_due=today - timedelta(days=40))
    steps(risk_rules.candidates)
    run_recompute(world.org)
    before = snapshot(world.org)
    history_before = Flag.history.count()

    # More data, then a run that writes and fails part-way.
    RiskFactory(
        organisation=world.org,
        residual_likelihood=5,
        residual_impact=4,
        inherent_likelihood=5,
        inherent_impact=5,
    )
    steps(risk_rules.candidates, "writes_then_fails")
    with pytest.raises(RuntimeError):
        run_recompute(world.org)
    failed = Run.objects.latest("started_at")
    assert failed.status == RunStatus.FAILED and "part-way" in failed.error and failed.finished_at
    assert snapshot(world.org) == before  # the step's writes were rolled back with the run
    assert not Flag.objects.filter(key="half").exists()
    assert Flag.history.count() == history_before
    assert cache.get(lock_key(world.org.pk)) is None  # the lock was released

    # The next run completes and gives exactly the flags of an uninterrupted run.
    steps(risk_rules.candidates)
    run = run_recompute(world.org)
    assert run.status == RunStatus.SUCCEEDED
    after_recovery = snapshot(world.org)
    Flag.objects.all().delete()
    run_recompute(world.org)  # from scratch, never interrupted
    assert snapshot(world.org) == after_recovery
    assert len(after_recovery) == 3  # review overdue, and two above target


def test_a_failure_while_writing_flags_rolls_back_every_flag_write(world, steps, monkeypatch):
    produce(candidate(subject_id=1), candidate(subject_id=2))
    run_recompute(world.org)
    before = snapshot(world.org)

    def sync_then_fail(*args, **kwargs):
        sync_flags(*args, **kwargs)  # opens, refreshes and resolves...
        raise RuntimeError("killed after writing")

    monkeypatch.setattr(recompute, "sync_flags", sync_then_fail)
    produce(candidate(subject_id=2, severity=FlagSeverity.HIGH), candidate(subject_id=3))
    with pytest.raises(RuntimeError):
        run_recompute(world.org)
    assert snapshot(world.org) == before


def test_a_killed_worker_leaves_a_running_run_and_a_lock_that_do_not_block_the_next_run(world, steps):
    produce(candidate())
    run_recompute(world.org)
    before = snapshot(world.org)
    # A worker killed mid-run: SystemExit skips the run's error handling, so its Run row
    # stays "running"; its transaction is rolled back.
    steps("fake_step", "killed")
    with pytest.raises(SystemExit):
        run_recompute(world.org)
    assert Run.objects.latest("started_at").status == RunStatus.RUNNING
    assert snapshot(world.org) == before
    # ...and, killed with SIGKILL, it would not have released its lock either: leave one
    # behind, taken longer ago than a run may hold it.
    stale = time.time() - recompute.LOCK_SECONDS - 5
    cache.set(lock_key(world.org.pk), f"deadbeef:{stale:.3f}", timeout=None)

    steps("fake_step")
    run = run_recompute(world.org)
    assert run.status == RunStatus.SUCCEEDED
    interrupted = Run.objects.exclude(pk=run.pk).latest("started_at")
    assert interrupted.status == RunStatus.INTERRUPTED and "Interrupted" in interrupted.error
    assert interrupted.finished_at is not None
    assert not Run.objects.filter(status=RunStatus.RUNNING).exists()
    assert cache.get(lock_key(world.org.pk)) is None
    assert snapshot(world.org) == before


def test_a_live_lock_blocks_a_second_run(world, steps):
    token = acquire_lock(world.org.pk)
    assert token
    assert acquire_lock(world.org.pk) is None
    with pytest.raises(AlreadyRunning):
        run_recompute(world.org)
    assert not Run.objects.exists()  # nothing recorded, nothing marked failed
    release_lock(world.org.pk, "someone-else")  # only the holder releases it
    assert acquire_lock(world.org.pk) is None
    release_lock(world.org.pk, token)
    assert run_recompute(world.org).status == RunStatus.SUCCEEDED


def test_an_unreadable_lock_is_treated_as_stale(world, steps):
    cache.set(lock_key(world.org.pk), "1", timeout=None)  # the old format, or garbage
    assert run_recompute(world.org).status == RunStatus.SUCCEEDED


def test_a_successful_run_clears_the_stale_mark_only_if_set_before_it_started(world, steps):
    Organisation.objects.filter(pk=world.org.pk).update(
        recompute_failed_at=clock.now() - timedelta(minutes=5)
    )
    run_recompute(world.org)
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is None

    def queueing_fails_during_the_run(ctx):
        Organisation.objects.filter(pk=ctx.organisation.pk).update(recompute_failed_at=clock.now())
        return []

    globals()["queueing_fails_during_the_run"] = queueing_fails_during_the_run
    steps("queueing_fails_during_the_run")
    run_recompute(world.org)
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None  # that change may not be in this run


# --- query count -------------------------------------------------------------------------
def _reads(queries) -> int:
    return sum(1 for q in queries if not q["sql"].startswith(("INSERT", "UPDATE", "DELETE")))


def test_the_runs_query_count_does_not_grow_with_the_register(world):
    """Every registered step (recompute.STEPS as it stands) over 5 risks and over 200.

    Reads are a fixed number whatever the size. Writes are bulk statements of up to
    ``flagging.BATCH`` rows; SQLite's limit of 999 parameters per statement cuts
    those into batches of a few dozen rows, so on SQLite a first run over 200 risks
    (400 new flags) takes more INSERTs than over 5: the writes are compared only in
    the steady state, where a run over unchanged data writes nothing.
    """
    from organisations.models import Risk

    today = clock.today()

    def count(n):
        Flag.objects.all().delete()
        Risk.objects.all().delete()
        for i in range(n):
            RiskFactory(
                organisation=world.org,
                service=world.service,
                title=f"R{i}",
                review_due=today - timedelta(days=i % 50),
                residual_likelihood=4,
                residual_impact=4,
                target_likelihood=2,
            )
        with CaptureQueriesContext(connection) as first:
            run_recompute(world.org)  # every flag new
        with CaptureQueriesContext(connection) as steady:
            run_recompute(world.org)  # nothing changed
        assert Flag.objects.filter(kind=FlagKind.RISK_ABOVE_TARGET).count() == n
        return _reads(first.captured_queries), len(steady.captured_queries)

    assert count(5) == count(200)
