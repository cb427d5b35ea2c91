"""Celery tasks for feedback sessions: thin, take ids, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from appraisals.models import FeedbackSession
from appraisals.services.development import development_due_notify
from appraisals.services.notifications import session_shared_notify, weekly_digests_send
from appraisals.services.reminders import reminders_send
from appraisals.services.retention import session_retention_apply
from core import clock
from core.sign_ins import sign_in_records_remove
from core.tasks import DatabaseRetryTask
from organisations.models import Organisation

log = logging.getLogger(__name__)


@shared_task(base=DatabaseRetryTask)
def send_session_shared_email(session_id: int) -> bool:
    """Kept for messages queued before sharing notified in its own transaction:
    notifies the employee (once: a session already notified adds nothing)."""
    session = FeedbackSession.objects.select_related("employee", "manager").filter(pk=session_id).first()
    if session is None:
        return False
    with transaction.atomic():
        return session_shared_notify(session) is not None


@shared_task(base=DatabaseRetryTask)
def send_weekly_digests() -> int:
    """Monday morning: one email per person, through the outbox (one transaction:
    all are written, or none and the task retries): a manager's sessions due or
    overdue and actions due, and each person's notifications on the weekly
    summary channel."""
    return weekly_digests_send(today=clock.today(), now=clock.now())


@shared_task(base=DatabaseRetryTask)
def send_daily_reminders() -> dict[str, int]:
    """Every morning: sessions waiting to be acknowledged, goal check-ins due and
    risk reviews due, each notified once (appraisals.services.reminders)."""
    counts = reminders_send(today=clock.today())
    log.info("reminders %s", counts)
    return counts


@shared_task(base=DatabaseRetryTask)
def apply_retention() -> dict[str, int]:
    """Weekly: remove session content kept past each organisation's retention
    period, and sign-in records older than ``SIGN_IN_LOG_RETENTION_DAYS``; log
    what was removed."""
    today = clock.today()
    totals = {"sessions": 0, "actions": 0, "people": 0}
    for organisation in Organisation.objects.order_by("pk"):
        result = session_retention_apply(organisation=organisation, today=today)
        log.info("retention %s", result.describe())
        totals["sessions"] += result.sessions
        totals["actions"] += result.actions
        totals["people"] += result.people
    totals["sign_in_records"] = sign_in_records_remove(days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    log.info(
        "retention: removed sign-in records older than %s days: %s",
        settings.SIGN_IN_LOG_RETENTION_DAYS,
        totals["sign_in_records"],
    )
    return totals


@shared_task(base=DatabaseRetryTask)
def notify_development_due() -> int:
    """Daily: tell people (and their line managers) about development items due to
    end within two weeks or past their planned end and not completed; once per item
    and planned end."""
    today = clock.today()
    made = 0
    for organisation in Organisation.objects.order_by("pk"):
        with transaction.atomic():
            made += development_due_notify(organisation=organisation, today=today)
    log.info("development due: %s notifications", made)
    return made
