"""The run machinery: the lock, the task's retries, queueing on commit with a
debounce, the management command, and the one-statement bulk writes."""

from datetime import date, timedelta
from io import StringIO

import celery.utils.time
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError

from appraisals.services.skills import skill_self_assessment_record
from core import clock
from core.bulk import insert_objects, update_objects
from core.models import OutboxMessage, OutboxStatus
from insights import tasks
from insights.models import Flag, FlagKind, FlagSeverity, Run, RunStatus, SkillGap, SubjectType
from insights.services.recompute import AlreadyRunning, lock_key, organisation_lock, queued_key, run_recompute
from organisations.services.skills import RequirementInput, role_requirements_set
from tests.insights.skills_data import build_skills

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


# --- the lock ------------------------------------------------------------------


def test_one_run_per_organisation_at_a_time(world):
    with organisation_lock(world.org.pk):
        with pytest.raises(AlreadyRunning):
            run_recompute(world.org)
        run_recompute(world.other_org)  # another organisation is not blocked
    assert run_recompute(world.org).status == RunStatus.SUCCEEDED


def test_a_run_releases_only_its_own_lock(world):
    with organisation_lock(world.org.pk):
        # Our lock expired and another run took it: leaving must not free theirs.
        cache.set(lock_key(world.org.pk), "someone-else")
    assert cache.get(lock_key(world.org.pk)) == "someone-else"


def test_a_run_left_running_by_a_dead_worker_is_marked_interrupted(world):
    stale = Run.objects.create(organisation=world.org, trigger="nightly")
    run_recompute(world.org)
    stale.refresh_from_db()
    assert stale.status == RunStatus.INTERRUPTED and "Interrupted" in stale.error and stale.finished_at


def test_lock_keys_are_per_database(world):
    from django.db import connection

    assert connection.settings_dict["NAME"] in lock_key(world.org.pk)
    assert lock_key(1) != queued_key(1)


# --- the task ------------------------------------------------------------------


def test_task_runs_in_process_without_a_broker(world):
    result = tasks.recompute_organisation.delay(
        world.org.pk, trigger="manual", requested_by_id=world.officer.pk
    )
    run = Run.objects.get(pk=result.get()["run"])
    assert run.status == RunStatus.SUCCEEDED and run.trigger == "manual" and run.requested_by == world.officer


def test_task_ignores_a_deleted_organisation_and_foreign_requesters(world):
    assert tasks.recompute_organisation.delay(999_999).get()["status"] == "no such organisation"
    result = tasks.recompute_organisation.delay(world.org.pk, requested_by_id=world.outsider.pk).get()
    assert Run.objects.get(pk=result["run"]).requested_by is None


def test_task_in_process_skips_when_a_run_is_in_progress(world):
    with organisation_lock(world.org.pk):
        assert tasks.recompute_organisation.delay(world.org.pk).get()["status"] == "already running"


class _Retry(Exception):
    pass


@pytest.fixture
def worker_request(monkeypatch):
    """Call the task as a worker would (not eagerly), recording retries."""
    calls = []

    def retry(**kwargs):
        calls.append(kwargs)
        return _Retry()

    monkeypatch.setattr(tasks.recompute_organisation, "retry", retry)
    tasks.recompute_organisation.push_request(is_eager=False, retries=2)
    yield calls
    tasks.recompute_organisation.pop_request()


def test_task_asks_again_through_the_outbox_while_another_run_holds_the_lock(world, worker_request):
    with organisation_lock(world.org.pk):
        result = tasks.recompute_organisation.run(world.org.pk)
    assert result["status"] == "already running: asked again" and worker_request == []
    # No delayed message in the broker: a pending outbox request, due in half a minute.
    pending = OutboxMessage.objects.get(
        status=OutboxStatus.PENDING, payload={"organisation_id": world.org.pk}
    )
    assert pending.next_attempt_at > pending.created_at


def test_task_retries_a_lost_database_with_growing_waits(world, worker_request, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "run_recompute", lost)
    # The wait is jittered between 0 and 5 s x 2^retries: take the top of the range.
    monkeypatch.setattr(celery.utils.time.random, "randrange", lambda stop: stop - 1)
    with pytest.raises(_Retry):
        tasks.recompute_organisation.run(world.org.pk)
    assert worker_request[0]["countdown"] == 5 * 2**2  # the third try waits up to 20 s
    assert isinstance(worker_request[0]["exc"], OperationalError)


def test_task_does_not_retry_a_bug(world, worker_request, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(tasks, "run_recompute", bug)
    with pytest.raises(ZeroDivisionError):
        tasks.recompute_organisation.run(world.org.pk)
    assert worker_request == []


def test_task_is_acks_late_with_bounded_retries():
    task = tasks.recompute_organisation
    assert task.acks_late and task.max_retries == 5 and OperationalError in task.autoretry_for


def test_nightly_queues_every_organisation(world, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.recompute_organisation, "delay", lambda pk, **kw: queued.append((pk, kw)))
    tasks.recompute_all_organisations()
    assert sorted(queued) == sorted(
        [(world.org.pk, {"trigger": "nightly"}), (world.other_org.pk, {"trigger": "nightly"})]
    )


# --- queueing on commit ----------------------------------------------------------


def test_a_burst_of_changes_queues_one_run(world, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.recompute_organisation, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    assert tasks.queue_recompute(world.org.pk, countdown=10)
    assert not tasks.queue_recompute(world.org.pk, countdown=10)
    assert len(sent) == 1 and sent[0][1]["countdown"] == 10
    cache.delete(queued_key(world.org.pk))  # what the task does when it starts
    assert tasks.queue_recompute(world.org.pk)
    assert len(sent) == 2


def test_ratings_and_requirements_queue_a_recompute_on_commit(world, django_capture_on_commit_callbacks):
    sw = build_skills(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = skill_self_assessment_record(employee=world.staff, levels={sw.calm: 2, sw.law: 2})
    assert len(made) == 1  # law is unchanged at 2: not recorded again
    assert len(callbacks) == 1
    run = Run.objects.get(organisation=world.org)
    assert run.trigger == "data change" and run.status == RunStatus.SUCCEEDED
    assert SkillGap.objects.get(employee=world.staff, skill=sw.calm).gap == 0

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        role_requirements_set(
            job_role=sw.lettings_role,
            requirements=[RequirementInput(skill=sw.law, required_level=1, essential=False)],
            by=world.officer,
        )
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        skill_self_assessment_record(employee=world.staff, levels={sw.calm: 2})  # no change
    assert callbacks == []


def test_queueing_failure_is_logged_and_marks_the_organisation_stale(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    sw = build_skills(world)

    def down(*a, **kw):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.recompute_organisation, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        made = skill_self_assessment_record(employee=world.staff, levels={sw.calm: 1})
    assert made  # the save stands
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None
    assert cache.get(queued_key(world.org.pk)) is None  # the next change tries again


# --- the command -------------------------------------------------------------------


def test_recompute_flags_command(world):
    out = StringIO()
    call_command("recompute_flags", "--org", "testshire", stdout=out)
    assert "testshire: succeeded" in out.getvalue()
    assert Run.objects.get(organisation=world.org).trigger == "command"
    call_command("recompute_flags", stdout=out)
    assert Run.objects.filter(organisation=world.other_org).count() == 1
    with pytest.raises(CommandError, match="No organisation"):
        call_command("recompute_flags", "--org", "nowhere", stdout=out)
    with organisation_lock(world.org.pk), pytest.raises(CommandError, match="Already running"):
        call_command("recompute_flags", "--org", "testshire", stdout=out, stderr=StringIO())


# --- bulk writes in one statement ----------------------------------------------------


def test_insert_and_update_round_trip_every_column_type(world, django_assert_num_queries):
    now = clock.now().replace(microsecond=123456)
    evidence = {"value": 12.5, "names": ["Ann", "O'Brien"], "nested": {"ok": True, "none": None}, "é": "ü"}
    flags = [
        Flag(
            organisation=world.org,
            kind=FlagKind.SKILLS_GAP,
            severity=FlagSeverity.HIGH,
            key=f"k{i}",
            subject_type=SubjectType.SERVICE,
            subject_id=world.service.pk,
            service_id=world.service.pk if i else None,
            employee_id=None,
            title=f'Title "{i}"',
            rule="Rule; with -- odd ' characters",
            evidence=evidence,
            opened_at=now,
            last_seen_at=now,
        )
        for i in range(3)
    ]
    with django_assert_num_queries(1):
        insert_objects(Flag, flags)
    stored = {f.key: f for f in Flag.objects.filter(organisation=world.org)}
    assert set(stored) == {"k0", "k1", "k2"}
    assert stored["k1"].evidence == evidence and stored["k1"].opened_at == now
    assert stored["k0"].service_id is None and stored["k1"].service_id == world.service.pk
    assert stored["k2"].title == 'Title "2"' and stored["k2"].rule == "Rule; with -- odd ' characters"

    later = now + timedelta(days=1)
    for f in stored.values():
        f.resolved_at, f.severity, f.evidence = later, FlagSeverity.LOW, {"v": [1, 2]}
    stored["k0"].acknowledged_by = world.officer
    with django_assert_num_queries(1):
        update_objects(
            Flag, list(stored.values()), ["resolved_at", "severity", "evidence", "acknowledged_by"]
        )
    again = {f.key: f for f in Flag.objects.filter(organisation=world.org)}
    assert all(f.resolved_at == later and f.severity == FlagSeverity.LOW for f in again.values())
    assert again["k0"].acknowledged_by_id == world.officer.pk and again["k1"].evidence == {"v": [1, 2]}


def test_insert_decimal_and_date_columns(world):
    sw = build_skills(world)
    from decimal import Decimal

    insert_objects(
        SkillGap,
        [
            SkillGap(
                organisation=world.org,
                service=world.team,
                skill=sw.locata,
                coverage=Decimal("66.7"),
                first_seen_on=date(2026, 2, 28),
                essential=False,
                computed_at=clock.now(),
            )
        ],
    )
    row = SkillGap.objects.get(service=world.team)
    assert (
        row.coverage == Decimal("66.7") and row.first_seen_on == date(2026, 2, 28) and row.essential is False
    )
    assert insert_objects(SkillGap, []) == 0 and update_objects(SkillGap, [], ["gap"]) == 0
