"""Celery tasks for feedback sessions: thin, take ids, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

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
def apply_retention() -> int:
    """Remove session content kept past the organisation's retention period."""
    return session_retention_apply(today=timezone.localdate())
