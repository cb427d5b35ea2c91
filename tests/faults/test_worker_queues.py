"""Two real workers on separate queues, as docs/DEPLOYMENT.md splits them:
one with ``-Q recompute``, one with ``-Q email,default``. A save's recompute
request and its email both go through the outbox; the recompute runs on the
recompute worker only and the email is delivered by the email worker only."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.db import transaction

from core.models import OutboxMessage, OutboxStatus
from core.outbox import EMAIL, outbox_email_add
from core.queueing import RECOMPUTE, request_recompute
from insights.models import Run, RunStatus
from tests.conftest import build_world
from tests.faults.conftest import need_postgres, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def _tasks_run(worker) -> set[str]:
    """Names of the tasks the worker logged as succeeded."""
    names = set()
    for line in worker.text().splitlines():
        if "] succeeded in " in line and " Task " in line:
            names.add(line.split(" Task ", 1)[1].split("[", 1)[0])
    return names


def test_recompute_and_email_run_on_their_own_workers(own_redis, start_worker):
    need_postgres()
    w = build_world()
    recompute = start_worker(own_redis.url, queues="recompute")
    email = start_worker(own_redis.url, queues="email,default")

    def both() -> str:
        return f"recompute worker:\n{recompute.output()}\n\nemail worker:\n{email.output()}"

    with transaction.atomic():  # as a save does: both written to the outbox, kicked on commit
        request_recompute(w.org.pk)
        outbox_email_add(
            message=EmailMessage(
                subject="Session shared", body="Please read it.", to=["staff@example.gov.uk"]
            )
        )

    wait_for(
        lambda: Run.objects.filter(organisation=w.org).exclude(status=RunStatus.RUNNING).exists(),
        "the recompute run",
        on_fail=both,
    )
    wait_for(
        lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists(),
        "the outbox to be delivered",
        on_fail=both,
    )
    run = Run.objects.get(organisation=w.org)
    assert run.status == RunStatus.SUCCEEDED, run.error
    sent = dict(OutboxMessage.objects.filter(status=OutboxStatus.SENT).values_list("kind", "attempts"))
    assert sent == {RECOMPUTE: 1, EMAIL: 1}

    wait_for(lambda: "core.tasks.deliver_outbox_email" in _tasks_run(email), "the email task's log line")
    on_recompute, on_email = _tasks_run(recompute), _tasks_run(email)
    assert on_recompute == {"insights.tasks.recompute_organisation"}, both()
    # The email worker delivered the email and (queue default) handed the recompute
    # request over; it never ran a recompute itself.
    assert {"core.tasks.deliver_outbox_email", "core.tasks.deliver_outbox"} <= on_email, both()
    assert not any(name.startswith("insights.tasks.recompute") for name in on_email), both()
    # The email went out from the email worker's process (the console backend prints it).
    assert "Subject: Session shared" in email.text() and "Subject:" not in recompute.text()
