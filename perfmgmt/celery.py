"""Celery application. Tasks live in the apps (``@shared_task``); the beat
schedule lives here, in one place. Queues and routes (recompute, email,
default) are in settings (CELERY_TASK_QUEUES, CELERY_TASK_ROUTES)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")

app = Celery("perfmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every 30 seconds: deliver side effects of saves (emails, recomputes) that
    # were not handed over on commit, e.g. because the broker was down; retries
    # back off per message.
    # Emails have their own task on the ``email`` queue (see CELERY_TASK_ROUTES);
    # both claim rows with SKIP LOCKED, so each message is still sent once.
    "deliver-outbox": {
        "task": "core.tasks.deliver_outbox",
        "schedule": 30.0,
        "kwargs": {"exclude_kinds": ["email"]},
    },
    "deliver-outbox-email": {
        "task": "core.tasks.deliver_outbox_email",
        "schedule": 30.0,
    },
    # Every minute: the heartbeat that /healthz?deep=1 and the runs page read to
    # say when no worker has been seen.
    "worker-heartbeat": {
        "task": "core.tasks.record_heartbeat",
        "schedule": 60.0,
    },
    # Every minute: a run whose worker died (its database session is gone) is
    # marked interrupted, its lock released and the recompute asked for again.
    "reap-interrupted-runs": {
        "task": "insights.tasks.reap_interrupted_runs",
        "schedule": 60.0,
    },
    # Nightly, when nobody is entering data: recompute skills gaps and flags
    # for every organisation so dashboards are fresh each morning.
    "recompute-all-organisations": {
        "task": "insights.tasks.recompute_all_organisations",
        "schedule": crontab(hour=2, minute=0),
    },
    # Every morning at 06:30: reminders that came due by the calendar (a shared
    # session not acknowledged, a goal check-in, a risk review), each once.
    "daily-reminders": {
        "task": "appraisals.tasks.send_daily_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Monday 07:00, before the working week starts: one email per person, with a
    # manager's sessions due or overdue and actions due, and each person's
    # notifications on the weekly summary channel (docs/NOTIFICATIONS.md).
    "weekly-digest": {
        "task": "appraisals.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Daily 06:30: remind KPI owners of results due within a week, chase late
    # ones (the day after, then weekly); each event is told once, so a rerun is safe.
    "kpi-result-reminders": {
        "task": "organisations.tasks.send_result_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Daily 06:30: development items due to end soon or overdue, to the person and
    # their line manager (once per item and planned end).
    "development-due": {
        "task": "appraisals.tasks.notify_development_due",
        "schedule": crontab(hour=6, minute=30),
    },
    # Daily 06:30: registrations and mandatory training expiring (60 and 30 days
    # before) or lapsed, to the person, their manager and, once lapsed, the head
    # of service; each stage once.
    "registration-signals": {
        "task": "organisations.tasks.send_registration_signals",
        "schedule": crontab(hour=6, minute=30),
    },
    # Sunday 03:00: remove session content past the retention period (UK GDPR
    # storage limitation); weekly is ample for a period counted in years.
    "apply-retention": {
        "task": "appraisals.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=0, day_of_week="sun"),
    },
}
