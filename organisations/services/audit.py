"""Recording audit events (see ``models/audit.py``)."""

from __future__ import annotations

import logging

from django.db import transaction

from core.clock import now
from organisations.models import AuditEvent, Employee, Organisation

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


Change = tuple[str, str, str]  # (field label, before, after), in words


def changes_in_words(changes: list[Change]) -> str:
    """ "Financial year starts: April → January; Client secret changed" (at most 300
    characters: the event's ``changes`` keep every field in full)."""
    parts = [f"{label}: {old} → {new}" if old or new else label for label, old, new in changes]
    text = "; ".join(parts)
    return text if len(text) <= 300 else text[:299] + "…"


@transaction.atomic
def organisation_event_record(
    *,
    kind: str,
    actor: Employee,
    organisation: Organisation,
    changes: list[Change],
    subject: Employee | None = None,
) -> AuditEvent:
    """Record one save of the settings area: every field it changed, before and
    after in words (a secret as "changed", never its value). A change to a
    person's role names them as its subject."""
    event = AuditEvent(
        organisation=organisation,
        kind=kind,
        at=now(),
        actor=actor,
        actor_name=actor.full_name,
        subject=subject,
        subject_name=subject.full_name if subject is not None else "",
        detail=changes_in_words(changes),
        changes=[list(c) for c in changes],
    )
    event.full_clean()
    event.save()
    audit_log.info("%s actor=%s organisation=%s %s", kind, actor.pk, organisation.pk, event.detail)
    return event
