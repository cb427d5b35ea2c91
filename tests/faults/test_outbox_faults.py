"""Case 1 and the outbox: Redis down while a manager shares sessions. The save
succeeds, the manager is told notifications are delayed, the flag pages say flags
may be stale, nothing is lost; once Redis is back every email is delivered
exactly once, however many deliverers run."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from appraisals.models import FeedbackSession, SessionState
from core.middleware import DELAYED_NOTICE
from core.models import OutboxMessage, OutboxStatus
from core.outbox import outbox_deliver
from core.tasks import deliver_outbox
from insights.models import Run, RunStatus
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.conftest import build_world, client_for
from tests.faults.conftest import need_postgres, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

STAFF_EMAIL = "sol.staff@example.gov.uk"


def _world_with_drafts(n: int):
    w = build_world()
    w.staff.email = STAFF_EMAIL
    w.staff.save()
    drafts = [FeedbackSessionFactory(employee=w.staff, manager=w.manager) for _ in range(n)]
    return w, drafts


def _share(client, session) -> str:
    response = client.post(reverse("appraisals:session_share", args=[session.pk]))
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


def test_sharing_with_redis_down_saves_says_delayed_and_loses_nothing(own_redis):
    w, (draft,) = _world_with_drafts(1)
    own_redis.kill()
    manager = client_for(w.manager)

    page = _share(manager, draft)

    draft.refresh_from_db()
    assert draft.state == SessionState.SHARED
    assert f"Session shared with {w.staff.full_name}." in page
    assert DELAYED_NOTICE.split(":")[0] in page  # "Your change has been saved. Email notifications ..."
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert sorted(pending.values_list("kind", flat=True)) == ["email", "recompute"]
    assert pending.get(kind="email").payload["to"] == [STAFF_EMAIL]
    assert mail.outbox == []
    flags = client_for(w.officer).get(reverse("insights:flag_list")).content.decode()
    assert "Flags may be stale" in flags and "could not be queued" in flags


def test_every_email_is_delivered_exactly_once_across_a_redis_outage(own_redis, start_worker, tmp_path):
    need_postgres()  # the worker reads the rows this test commits
    sent_dir = tmp_path / "sent"
    sent_dir.mkdir()
    worker = start_worker(own_redis.url, extra_env={"EMAIL_URL": f"filemail://{sent_dir}"})
    w, drafts = _world_with_drafts(3)
    manager = client_for(w.manager)

    own_redis.kill()
    for draft in drafts:
        assert DELAYED_NOTICE.split(":")[0] in _share(manager, draft)
    assert FeedbackSession.objects.filter(state=SessionState.SHARED).count() == 3
    assert OutboxMessage.objects.filter(kind="email", status=OutboxStatus.PENDING).count() == 3

    own_redis.start()  # Redis is back (empty: it kept nothing)
    wait_for(
        worker.reconnected,
        "the worker to reconnect",
        on_fail=worker.output,
    )
    # Several deliverers at once, as the beat, an on-commit hook and a second
    # worker would be: each message is still sent once.
    for _ in range(3):
        deliver_outbox.delay()
    outbox_deliver()

    wait_for(
        lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING, kind="email").exists(),
        "every email to be delivered",
        on_fail=worker.output,
    )
    files = [p.read_text() for p in sent_dir.iterdir()]
    to_staff = sum(text.count(f"To: {STAFF_EMAIL}") for text in files) + sum(
        m.to == [STAFF_EMAIL] for m in mail.outbox
    )
    assert to_staff == 3
    assert set(OutboxMessage.objects.filter(kind="email").values_list("status", flat=True)) == {"sent"}
    # The recompute the outage held back runs too, and the warning clears.
    wait_for(
        lambda: Run.objects.filter(organisation=w.org, status=RunStatus.SUCCEEDED).exists(),
        "the held-back recompute to run",
        on_fail=worker.output,
    )
    w.org.refresh_from_db()
    assert w.org.recompute_failed_at is None
    assert worker.alive()
