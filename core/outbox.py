"""The outbox: side effects of a save (emails, queued recomputes), written to a
table in the save's transaction and delivered after it.

A save never fails because the broker is down: the message waits in the table.
Delivery happens on commit when the broker answers (a ``deliver_outbox`` task is
queued, or run in-process where there is no broker) and every 30 seconds from
beat, with back-off, each message marked sent once. Delivery takes a row lock
with SKIP LOCKED, so two deliverers never send the same message.

Emails are delivered by their own task on their own queue (``email``), the
other kinds by ``deliver_outbox`` (queue ``default``), so a slow mail server
never holds up recompute requests; each deliverer claims only its kinds' rows,
with the same row lock, so splitting them loses none of the guarantees above.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, transaction

from core import clock
from core.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

EMAIL = "email"
# Waits between attempts: 30 s, 1, 2, 4 ... minutes, at most an hour; given up
# (and logged as an error) after MAX_ATTEMPTS, about a day.
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 60 * 60
MAX_ATTEMPTS = 30
# Sent messages hold email addresses: kept this long for tracing, then removed.
KEEP_SENT_DAYS = 30
# After a failed attempt to reach the broker, later saves in this process do not
# wait on it again for this long: they leave their messages to the beat.
BROKER_BACKOFF_SECONDS = 5.0
# How long a deliverer holds a claimed message before another may retry it.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Handler:
    deliver: Callable[[dict[str, Any]], None]
    # Called when delivery could not even be queued (broker down), so what
    # depends on it can say so (flags may be stale).
    on_delay: Callable[[dict[str, Any]], None] | None = None


_handlers: dict[str, Handler] = {}
_broker_down_until: dict[str, float] = {}  # broker URL: when to try it again
# Set when this request's side effects could not be handed to the task queue.
delivery_delayed: contextvars.ContextVar[bool] = contextvars.ContextVar("delivery_delayed", default=False)


def register(kind: str, deliver: Callable[[dict[str, Any]], None], on_delay=None) -> None:
    _handlers[kind] = Handler(deliver=deliver, on_delay=on_delay)


def _send_email(payload: dict[str, Any]) -> None:
    # Through Django's configured backend: SMTP, GOV.UK Notify or the console.
    EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload.get("from_email"),
        to=payload["to"],
    ).send()


register(EMAIL, _send_email)


def outbox_message_add(
    *, kind: str, payload: dict[str, Any], key: str = "", delay: timedelta | None = None
) -> None:
    """Write a side effect to do once the current transaction commits (or after
    ``delay``). With a ``key``, nothing is added while a message with that key is
    still pending: the partial unique index turns the insert into nothing, in one
    query either way."""
    if kind not in _handlers:
        raise ValueError(f"No outbox handler for {kind!r}")
    now = clock.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                kind=kind,
                key=key,
                payload=payload,
                created_at=now,
                next_attempt_at=now + (delay or timedelta()),
            )
        ],
        ignore_conflicts=True,
    )
    if not delay:
        transaction.on_commit(lambda: _kick(kind, payload))


def outbox_email_add(*, message: EmailMessage) -> None:
    outbox_message_add(
        kind=EMAIL,
        payload={
            "subject": str(message.subject),
            "body": str(message.body),
            "from_email": message.from_email,
            "to": list(message.to),
        },
    )


def outbox_emails_add(*, messages: list[EmailMessage]) -> None:
    """Many emails in one insert (a recompute's or a digest's), kicked once on commit."""
    if not messages:
        return
    now = clock.now()
    payloads = [
        {
            "subject": str(m.subject),
            "body": str(m.body),
            "from_email": m.from_email,
            "to": list(m.to),
        }
        for m in messages
    ]
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(kind=EMAIL, payload=payload, created_at=now, next_attempt_at=now)
            for payload in payloads
        ]
    )
    transaction.on_commit(lambda: _kick(EMAIL, payloads[0]))


def _kick(kind: str, payload: dict[str, Any]) -> None:
    """After commit: ask the task queue to deliver now. A broker that does not
    answer leaves the message to the beat and marks the request delayed."""
    from core import after_response
    from core.tasks import deliver_outbox, deliver_outbox_email

    # No task queue: deliver after the response, once for a burst of saves (a request
    # never waits for a recompute); at once outside a request.
    if settings.CELERY_TASK_ALWAYS_EAGER and after_response.defer("deliver_outbox", deliver_outbox.delay):
        return
    broker = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or _broker_down_until.get(broker, 0.0) <= time.monotonic():
        try:
            if kind == EMAIL:
                deliver_outbox_email.delay()
            else:
                deliver_outbox.delay(exclude_kinds=[EMAIL])
            return
        except Exception:
            _broker_down_until[broker] = time.monotonic() + BROKER_BACKOFF_SECONDS
            log.warning("Could not reach the task queue: a %s waits in the outbox", kind, exc_info=True)
    delivery_delayed.set(True)
    _on_delay(kind, payload)


def _on_delay(kind: str, payload: dict[str, Any]) -> None:
    handler = _handlers.get(kind)
    if handler and handler.on_delay:
        try:
            handler.on_delay(payload)
        except Exception:
            log.exception("outbox: on_delay for a %s failed", kind)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def outbox_deliver(
    *, limit: int = 200, kinds: Collection[str] | None = None, exclude_kinds: Collection[str] | None = None
) -> Delivery:
    """Deliver up to ``limit`` due messages, oldest first: of ``kinds`` only when
    given, and none of ``exclude_kinds``.

    Each message is first claimed (a short transaction takes its row lock with
    SKIP LOCKED and moves its next attempt a lease ahead), then delivered outside
    any transaction, then marked sent. Two deliverers never hold the same message;
    one killed mid-delivery leaves it to be retried when the lease runs out. A
    lost database connection is raised (the task retries); any other failure is
    recorded on the message, which is retried later with back-off."""
    result = Delivery()
    due = OutboxMessage.objects.all()
    if kinds is not None:
        due = due.filter(kind__in=list(kinds))
    if exclude_kinds:
        due = due.exclude(kind__in=list(exclude_kinds))
    for _ in range(limit):
        with transaction.atomic():
            message = (
                due.select_for_update(skip_locked=True)
                .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=clock.now())
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if message is None:
                break
            message.attempts += 1
            message.next_attempt_at = clock.now() + LEASE
            message.save(update_fields=["attempts", "next_attempt_at"])
        try:
            _handlers[message.kind].deliver(message.payload)
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.DEAD
                result.given_up += 1
                log.error("outbox: gave up on message %s after %s attempts", message.pk, message.attempts)
            else:
                message.next_attempt_at = clock.now() + _backoff(message.attempts)
                result.failed += 1
                log.warning("outbox: message %s failed (%s); retrying later", message.pk, message.last_error)
            message.save(update_fields=["last_error", "status", "next_attempt_at"])
            _on_delay(message.kind, message.payload)
            continue
        message.status = OutboxStatus.SENT
        message.sent_at = clock.now()
        message.save(update_fields=["status", "sent_at"])
        result.sent += 1
    OutboxMessage.objects.filter(
        status=OutboxStatus.SENT, sent_at__lt=clock.now() - timedelta(days=KEEP_SENT_DAYS)
    ).delete()
    return result
