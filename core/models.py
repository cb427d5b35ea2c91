"""Cross-cutting tables: the outbox of side effects, and worker heartbeats."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    DEAD = "dead", "Given up"


class OutboxMessage(models.Model):
    """One side effect of a save (an email, a queued recompute), written in the
    save's transaction and delivered after it, with retries, exactly once.

    ``key`` coalesces: while a message with a key is pending, asking again for the
    same key adds nothing (one recompute per organisation however many edits)."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=120, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status="pending") & ~Q(key=""),
                name="outbox_one_pending_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key or self.pk} ({self.status})"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task (every minute, from
    beat): a worker, its broker and beat all alive."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at}"
