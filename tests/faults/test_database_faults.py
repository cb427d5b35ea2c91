"""Cases 3, 4 and 8 against PostgreSQL: connections ended with
pg_terminate_backend, and two connections racing for one session."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.request

import pytest
from django.core import mail
from django.db import connection, connections

from appraisals.models import FeedbackSession, SessionState
from appraisals.services.sessions import (
    SessionContent,
    feedback_session_acknowledge,
    feedback_session_update,
)
from core.models import OutboxMessage, OutboxStatus
from core.outbox import outbox_email_add
from core.tasks import deliver_outbox
from insights.models import Run, RunStatus
from insights.tasks import recompute_organisation
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.conftest import build_world
from tests.faults.conftest import ROOT, free_port, my_backend_pid, need_postgres, terminate_backends, wait_for
from tests.insights.test_celery_worker import _database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres():
    need_postgres()


def test_a_recompute_task_retries_when_the_database_drops_its_connection():
    w = build_world()
    terminate_backends(keep_mine=False, only_pid=my_backend_pid())  # before the organisation lookup
    result = recompute_organisation.apply((w.org.pk,), throw=False)  # as a worker runs it: retries
    assert result.successful(), result.traceback
    run = Run.objects.get(pk=result.get()["run"])
    assert run.status == RunStatus.SUCCEEDED


def test_the_email_delivery_retries_when_the_database_drops_its_connection(
    django_capture_on_commit_callbacks,
):
    from django.core.mail import EmailMessage

    outbox_email_add(message=EmailMessage("Subject", "Body", "from@example.gov.uk", ["to@example.gov.uk"]))
    terminate_backends(keep_mine=False, only_pid=my_backend_pid())
    result = deliver_outbox.apply(throw=False)  # as a worker runs it: retries
    assert result.successful(), result.traceback
    assert [m.to for m in mail.outbox] == [["to@example.gov.uk"]]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_a_dropped_idle_connection_is_not_a_500_on_the_next_request(tmp_path):
    build_world()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "perfmgmt.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    env.pop("REDIS_URL", None)
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "perfmgmt.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    try:
        wait_for(lambda: get("/healthz") == 200, "the web server", timeout=60)
        assert get("/healthz") == 200  # its connection is open and kept (CONN_MAX_AGE)
        assert terminate_backends() >= 1  # the database (or a proxy) drops idle connections
        assert get("/healthz") == 200  # noticed and reopened, not an error
        assert get("/accounts/login/") == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_the_managers_concurrent_edit_survives_an_acknowledgement():
    w = build_world()
    session = FeedbackSessionFactory(employee=w.staff, manager=w.manager, state=SessionState.SHARED)
    seen_by_employee = FeedbackSession.objects.get(pk=session.pk)  # the page the employee loaded

    edited = threading.Event()
    finish = threading.Event()
    errors = []

    def manager_edits():
        try:
            from django.db import transaction

            with transaction.atomic():
                feedback_session_update(
                    session=FeedbackSession.objects.get(pk=session.pk),
                    editor=w.manager,
                    content=SessionContent(
                        held_on=session.held_on, kind=session.kind, discussion="Corrected by the manager."
                    ),
                    reason="Typo",
                )
                edited.set()  # holding the row lock, not yet committed
                finish.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            edited.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=manager_edits)
    thread.start()
    assert edited.wait(10)
    # The employee acknowledges on a second connection: it waits for the manager's lock.
    acknowledging = threading.Thread(
        target=lambda: (
            feedback_session_acknowledge(session=seen_by_employee, by=w.staff, comment="Thanks"),
            connections.close_all(),
        )
    )
    acknowledging.start()
    acknowledging.join(1)
    assert acknowledging.is_alive()  # blocked on the row lock
    finish.set()
    thread.join(10)
    acknowledging.join(10)
    assert not errors, errors

    final = FeedbackSession.objects.get(pk=session.pk)
    assert final.discussion == "Corrected by the manager."
    assert final.state == SessionState.ACKNOWLEDGED and final.employee_comment == "Thanks"
    assert connection.vendor == "postgresql"
