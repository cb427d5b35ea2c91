"""Recording audit events (see ``models/audit.py``)."""

from __future__ import annotations

import logging

from django.db import transaction

from core.clock import now
from organisations.models import AuditEvent, Employee

audit_log = logging.getLogger("perfmgmt.audit")


@transaction.atomic
def audit_event_record(
    *, kind: str, actor: Employee, subject: Employee | None, detail: str = "", subject_name: str = ""
) -> AuditEvent:
    """Record that ``actor`` did ``kind`` about ``subject``; also to the audit log.
    An event about something other than a person (an API token) has no subject
    and names the thing in ``subject_name``."""
    event = AuditEvent(
        organisation=subject.organisation if subject is not None else actor.organisation,
        kind=kind,
        at=now(),
        actor=actor,
        actor_name=actor.full_name,
        subject=subject,
        subject_name=subject_name or (subject.full_name if subject is not None else ""),
        detail=detail[:300],
    )
    event.full_clean()
    event.save()
    audit_log.info(
        "%s actor=%s subject=%s %s", kind, actor.pk, subject.pk if subject is not None else "-", detail
    )
    return event
