"""Saves in one organisation at the same time, while its runs go on, neither
deadlock nor wait for a run: what each touched is kept (plain inserts), and the
run's guard on the organisation row does not block the saves' foreign-key
checks. PostgreSQL only (SQLite has one writer at a time)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection, connections, transaction

from core.queueing import request_recompute
from insights.models import PendingChange
from insights.services.recompute import AlreadyRunning, run_recompute
from insights.services.scope import Scope
from organisations.models import Employee

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_saves_and_runs_do_not_deadlock(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlocks are PostgreSQL's")
    run_recompute(world.org, trigger="command")
    people = list(Employee.objects.filter(organisation=world.org).values_list("pk", flat=True))
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def saves(order: list[int]) -> None:
        try:
            start.wait()
            for _ in range(15):
                with transaction.atomic():
                    for pk in order:  # the same people, in another order than the other thread
                        request_recompute(world.org.pk, employees=[pk])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def runs() -> None:
        try:
            start.wait()
            for _ in range(5):
                with contextlib.suppress(AlreadyRunning):
                    run_recompute(world.org, trigger="data change", scope=Scope())
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=saves, args=(people,)),
        threading.Thread(target=saves, args=(list(reversed(people)),)),
        threading.Thread(target=runs),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    # Whatever the runs did not take is still waiting for the next one.
    run_recompute(world.org, trigger="data change", scope=Scope())
    assert not PendingChange.objects.filter(organisation=world.org).exists()
