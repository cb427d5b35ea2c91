"""Signing off KPI results: a figure is submitted, then signed off (validated) or
returned to its owner with a reason. Every step is in the audit trail (one
``AuditEvent`` per result and step) and in the result's history.

Who may sign off is ``rules.collection.may_sign_off`` (performance officers, or
the head of the KPI's service where the organisation chose heads; never the
KPI's owner). Recording or correcting a result (``services/kpis.py``) and
importing results (``services/kpi_import.py``) submit it through
:func:`mark_submitted`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from simple_history.utils import bulk_update_with_history

from core import clock
from core.queueing import request_recompute
from core.text_limits import MAX_TEXT_LENGTH, too_long_message
from organisations.access import Viewer
from organisations.models import AuditEvent, AuditEventKind, Employee, KPIResult, ResultState
from organisations.rules import years as year_rules
from organisations.services.notifications import notify

audit_log = logging.getLogger("perfmgmt.audit")

SIGN_OFF_FIELDS = [
    "state",
    "submitted_by",
    "submitted_at",
    "validated_by",
    "validated_at",
    "returned_by",
    "returned_at",
    "return_reason",
]


def result_name(result: KPIResult) -> str:
    """ "HO-01 Oct 2026": how the audit trail and messages name a result."""
    kpi = result.kpi
    return f"{kpi.code} {year_rules.period_label(result.period_end, kpi.frequency, kpi.start_month)}"


def trail_event(kind: str, by: Employee, result: KPIResult, at: datetime, detail: str = "") -> AuditEvent:
    """An unsaved audit event for one step of one result (saved in bulk by the caller)."""
    return AuditEvent(
        organisation_id=result.kpi.organisation_id,
        kind=kind,
        at=at,
        actor=by,
        actor_name=by.full_name,
        subject=None,
        subject_name=result_name(result)[:200],
        detail=detail[:300],
    )


def save_trail(events: list[AuditEvent]) -> None:
    if not events:
        return
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    for e in events:
        audit_log.info("%s actor=%s result=%s %s", e.kind, e.actor_id, e.subject_name, e.detail)


def mark_submitted(result: KPIResult, *, by: Employee | None, at: datetime, sign_off: bool = False) -> str:
    """Set a new or corrected result's sign-off fields (unsaved): submitted by
    ``by``, or signed off at once (``sign_off``: an import by someone who may
    sign off, who ticked the box). Returns the audit kind of the submission:
    submitted for a new result, submitted again for a corrected one (a signed-off
    figure that is edited goes back to awaiting sign-off)."""
    kind = AuditEventKind.RESULT_SUBMITTED if result.pk is None else AuditEventKind.RESULT_RESUBMITTED
    result.state = ResultState.VALIDATED if sign_off else ResultState.SUBMITTED
    result.submitted_by = by
    result.submitted_at = at
    result.validated_by = by if sign_off else None
    result.validated_at = at if sign_off else None
    result.returned_by = None
    result.returned_at = None
    result.return_reason = ""
    return kind


def may_sign_off(by: Employee, result: KPIResult) -> bool:
    return Viewer(by).can_sign_off_kpi(result.kpi)


@transaction.atomic
def results_validate(*, results: Iterable[KPIResult], by: Employee) -> int:
    """Sign off results awaiting it, all or none: a result that is not awaiting
    sign-off, or that ``by`` may not sign off, refuses the lot. Their KPIs
    should be loaded (``select_related("kpi__organisation")``). Queries: the
    viewer's services, the update and its history, the audit events."""
    results = list(results)
    if not results:
        raise ValidationError("Choose at least one result to sign off.")
    viewer = Viewer(by)
    for r in results:
        if not viewer.can_sign_off_kpi(r.kpi):
            raise PermissionDenied(f"You may not sign off the results of {r.kpi.code}.")
        if r.state != ResultState.SUBMITTED:
            raise ValidationError(
                f"{result_name(r)} is not awaiting sign-off: it is {r.get_state_display().lower()}."
            )
    now = clock.now()
    for r in results:
        r.state = ResultState.VALIDATED
        r.validated_by = by
        r.validated_at = now
    bulk_update_with_history(
        results,
        KPIResult,
        ["state", "validated_by", "validated_at"],
        default_user=by.user,
        default_change_reason="Signed off",
    )
    save_trail([trail_event(AuditEventKind.RESULT_VALIDATED, by, r, now) for r in results])
    return len(results)


@transaction.atomic
def result_return(*, result: KPIResult, by: Employee, reason: str) -> KPIResult:
    """Return a submitted (or signed-off) result to its owner with a reason: it
    counts nowhere until submitted again, and its owner (else whoever submitted
    it) is told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are returning the result."})
    if len(reason) > MAX_TEXT_LENGTH:
        raise ValidationError({"reason": too_long_message("Reason", MAX_TEXT_LENGTH)})
    if not may_sign_off(by, result):
        raise PermissionDenied(f"You may not return the results of {result.kpi.code}.")
    result = KPIResult.objects.select_for_update().select_related("kpi__organisation").get(pk=result.pk)
    if result.state == ResultState.RETURNED:
        raise ValidationError(f"{result_name(result)} has already been returned.")
    now = clock.now()
    result.state = ResultState.RETURNED
    result.validated_by = None
    result.validated_at = None
    result.returned_by = by
    result.returned_at = now
    result.return_reason = reason
    result._history_user = by.user
    result._change_reason = "Returned"
    result.save(update_fields=SIGN_OFF_FIELDS)
    save_trail([trail_event(AuditEventKind.RESULT_RETURNED, by, result, now, detail=reason)])
    kpi = result.kpi
    recipient = kpi.owner or result.submitted_by
    notify(
        recipient,
        "result_returned",
        key=f"kpi-result:{result.pk}:returned:{now.isoformat()}",
        text=f"{result_name(result)} ({kpi.name}) was returned by {by.full_name}: {reason}",
        url=f"{reverse('organisations:kpi_result_record', args=[kpi.pk])}?period={result.period_end.isoformat()}",
    )
    # A returned figure no longer counts on dashboards or for flags.
    request_recompute(kpi.organisation_id, kpis=[kpi.pk])
    return result
