"""Celery tasks for organisations: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from core import clock
from core.tasks import DatabaseRetryTask
from organisations.services.kpi_reminders import result_reminders_send


@shared_task(base=DatabaseRetryTask)
def send_result_reminders() -> int:
    """Daily: remind KPI owners of results due within a week and chase late ones."""
    return result_reminders_send(today=clock.today())
