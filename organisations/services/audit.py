"""Recording audit events (see ``models/audit.py``)."""

from __future__ import annotations

import logging

from django.db import transaction

from core.clock import now
from organisations.models import AuditEvent, Employee

audit_log = logging.getLogger("perfmgmt.audit")


@transaction.atomic
def audit_event_record(*, kind: str, actor: Employee, subject: Employee, detail: str = "") -> AuditEvent:
    """Record that ``actor`` did ``kind`` about ``subject``; also to the audit log."""
    event = AuditEvent(
        organisation=subject.organisation,
        kind=kind,
        at=now(),
        actor=actor,
        actor_name=actor.full_name,
        subject=subject,
        subject_name=subject.full_name,
        detail=detail[:300],
    )
    event.full_clean()
    event.save()
    audit_log.info("%s actor=%s subject=%s %s", kind, actor.pk, subject.pk, detail)
    return event
