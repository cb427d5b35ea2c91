"""Sign-in records (django-axes) kept for security, and removed when old."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from core import clock


def sign_in_records_remove(*, days: int) -> int:
    """Remove records of sign-ins and failed sign-ins older than ``days``; the
    number removed. Current lockouts are younger than any sensible ``days``."""
    before = clock.now() - timedelta(days=days)
    with transaction.atomic():
        removed = AccessLog.objects.filter(attempt_time__lt=before).delete()[0]
        removed += AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
        removed += AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0]
    return removed
