"""Celery tasks for organisations: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from core import clock
from core.tasks import DatabaseRetryTask
from organisations.services.kpi_reminders import result_reminders_send
from organisations.services.registration_signals import registration_signals_send_all


@shared_task(base=DatabaseRetryTask)
def send_result_reminders() -> int:
    """Daily: remind KPI owners of results due within a week and chase late ones."""
    return result_reminders_send(today=clock.today())


@shared_task(base=DatabaseRetryTask)
def send_registration_signals() -> int:
    """Daily: registrations and mandatory training expiring or lapsed. Returns
    how many notifications were made."""
    counts = registration_signals_send_all(today=clock.today())
    return sum(c.registrations + c.training for c in counts.values())
