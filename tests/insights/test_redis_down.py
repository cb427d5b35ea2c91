"""Redis down: saving data still succeeds; the recompute waits in the outbox, the
failure to hand it over is logged, the organisation is marked, and the flag pages
warn that flags may be stale.

The broker is made unreachable the way production would see it: tasks are not
eager and the broker URL points at a local port nothing listens on. The cache
stays local memory (as the brief for this test asks), so only the broker fails.
"""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from insights.services.recompute import queued_key, run_recompute
from organisations.models import Risk
from tests.conftest import client_for
from tests.organisations.risk_factories import RiskActionFactory, RiskFactory
from tests.organisations.test_risk_register import form_data

UNREACHABLE = "redis://127.0.0.1:1/0"


def _reset_connections(app):
    # Celery keeps a connection pool per app once it has published; drop it so the
    # broker URL in force is the one used (and the test's pool does not outlive it).
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    from perfmgmt.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = UNREACHABLE
    _reset_connections(app)
    assert app.conf.broker_url == UNREACHABLE and app.conf.task_always_eager is False
    cache.clear()
    yield
    _reset_connections(app)
    cache.clear()


def test_saving_a_risk_succeeds_when_the_broker_is_unreachable(
    world, broker_down, caplog, django_capture_on_commit_callbacks
):
    client = client_for(world.officer)
    with (
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(reverse("organisations:risk_create"), form_data(world))

    # The save succeeded and the data is there.
    assert response.status_code == 302
    risk = Risk.objects.get(title="Agency staff leave at short notice")
    assert risk.residual_score == 12
    # Queueing was attempted on commit, failed, and was logged.
    assert len(callbacks) == 1
    assert "Could not queue a recompute for organisation" in caplog.text
    assert any(r.exc_info for r in caplog.records)  # with the broker's error
    # Nothing is lost: the recompute waits in the outbox for the broker to answer.
    assert OutboxMessage.objects.filter(kind="recompute", status=OutboxStatus.PENDING).count() == 1
    # The organisation is marked and the flag pages say flags may be stale.
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None
    html = client.get(reverse("insights:flag_list")).content.decode()
    assert "Flags may be stale" in html and "could not be queued" in html
    # The next edit tries to queue again (the "already queued" mark was not left behind).
    assert cache.get(queued_key(world.org.pk)) is None


def test_every_risk_write_survives_the_broker_being_down(
    world, broker_down, django_capture_on_commit_callbacks
):
    risk = RiskFactory(
        organisation=world.org, service=world.service, owner=world.service_head, title="Case system"
    )
    action = RiskActionFactory(risk=risk, owner=world.service_head)
    client = client_for(world.service_head)
    with django_capture_on_commit_callbacks(execute=True):
        edit = client.post(
            reverse("organisations:risk_edit", args=[risk.pk]),
            {**form_data(world, title="Case system go-live"), "status": "open"},
        )
        add = client.post(
            reverse("organisations:risk_action_add", args=[risk.pk]),
            {"description": "Parallel running", "due_0": "1", "due_1": "9", "due_2": "2027"},
        )
        done = client.post(reverse("organisations:risk_action_done", args=[action.pk]))
    assert (edit.status_code, add.status_code, done.status_code) == (302, 302, 302)
    risk.refresh_from_db()
    action.refresh_from_db()
    assert risk.title == "Case system go-live" and risk.actions.count() == 2 and action.done is not None


def test_the_next_run_catches_up_and_clears_the_warning(
    world, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.officer).post(reverse("organisations:risk_create"), form_data(world))
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is not None
    run_recompute(world.org, trigger="nightly")  # what the nightly beat does, in-process here
    WorkerHeartbeat.objects.create(worker="w1@host", seen_at=timezone.now())  # a worker is about again
    world.org.refresh_from_db()
    assert world.org.recompute_failed_at is None
    html = client_for(world.officer).get(reverse("insights:flag_list"), {"scope": "all"}).content.decode()
    assert "may be stale" not in html, html[html.find("stale") - 300 : html.find("stale") + 100]
    assert "Agency staff leave at short notice" in html  # its risk_above_target flag is there now
    # ...and waiting, at the top of the list, for the risk's owner.
    html = client_for(world.service_head).get(reverse("insights:flag_list")).content.decode()
    assert "may be stale" not in html and "Agency staff leave at short notice" in html
