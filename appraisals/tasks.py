"""Celery tasks for feedback sessions: thin, take ids, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from organisations.models import Organisation
from organisations.services.sign_ins import sign_in_records_remove

from .models import FeedbackSession
from .services.notifications import send_all, session_shared_message, weekly_digest_messages
from .services.retention import session_retention_apply

log = logging.getLogger(__name__)


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300, autoretry_for=(OSError,))
def send_session_shared_email(session_id: int) -> bool:
    """Tell the employee a session was shared with them: no content, a link to sign in."""
    session = FeedbackSession.objects.select_related("employee", "manager").filter(pk=session_id).first()
    if session is None:
        return False
    message = session_shared_message(session)
    if message is None:
        log.info("Session %s shared, but the employee has no email address", session_id)
        return False
    return bool(send_all([message]))


@shared_task(acks_late=True)
def send_weekly_digests() -> int:
    """Monday morning: each manager's sessions due or overdue and actions due."""
    return send_all(weekly_digest_messages(today=timezone.localdate()))


@shared_task(acks_late=True)
def apply_retention() -> dict[str, int]:
    """Weekly: remove session content kept past each organisation's retention
    period, and sign-in records older than ``SIGN_IN_LOG_RETENTION_DAYS``; log
    what was removed."""
    today = timezone.localdate()
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
