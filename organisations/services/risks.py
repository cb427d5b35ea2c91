"""Writes for the risk register. Each records who made the change (the risk's
history) and asks for the organisation's flags to be recomputed on commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.queueing import request_recompute
from organisations.access import Viewer
from organisations.models import Employee, Organisation, Risk, RiskAction, Service
from organisations.models.risks import RISK_EDITABLE_FIELDS


# --- who may do what ------------------------------------------------------
def risk_can_create(viewer: Viewer) -> bool:
    """Performance officers, and heads of service for their own services."""
    return viewer.is_performance_officer or viewer.is_head_of_service


def risk_can_edit(viewer: Viewer, risk: Risk) -> bool:
    """Performance officers; the risk's owner; the head of its service or of any
    service above it. A corporate risk (no service): the chief executive."""
    if risk.organisation_id != viewer.organisation.pk:
        return False
    if viewer.is_performance_officer or risk.owner_id == viewer.employee.pk:
        return True
    if risk.service_id is None:
        return viewer.is_chief_executive
    return risk.service_id in viewer.headed_service_ids


def risk_action_can_complete(viewer: Viewer, action: RiskAction) -> bool:
    """Whoever may edit the risk, and the action's own owner."""
    return action.owner_id == viewer.employee.pk or risk_can_edit(viewer, action.risk)


def assignable_services(viewer: Viewer):
    """Services a risk may be placed in by this viewer."""
    qs = viewer.services()
    if viewer.is_performance_officer:
        return qs
    return qs.filter(pk__in=viewer.headed_service_ids)


def may_hold_corporate(viewer: Viewer) -> bool:
    """Corporate (strategic) risks: performance officers and the chief executive."""
    return viewer.is_performance_officer or viewer.is_chief_executive


# --- writes ---------------------------------------------------------------
def _stamp(obj: Any, by: Employee, reason: str) -> None:
    obj._history_user = by.user
    obj._change_reason = reason[:100]


def risk_create(
    *,
    organisation: Organisation,
    by: Employee,
    title: str,
    description: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    target_likelihood: int,
    target_impact: int,
    review_due: date,
    service: Service | None = None,
    owner: Employee | None = None,
    response: str = "treat",
    controls: str = "",
    reference: str = "",
    source: str = "",
) -> Risk:
    """Add a risk to the register. ``source`` says where it came from (a flag)."""
    with transaction.atomic():
        risk = Risk(
            organisation=organisation,
            service=service,
            owner=owner,
            reference=reference,
            title=title,
            description=description,
            category=category,
            inherent_likelihood=inherent_likelihood,
            inherent_impact=inherent_impact,
            residual_likelihood=residual_likelihood,
            residual_impact=residual_impact,
            target_likelihood=target_likelihood,
            target_impact=target_impact,
            response=response,
            controls=controls,
            review_due=review_due,
        )
        risk.full_clean()
        _stamp(risk, by, f"Recorded ({source})" if source else "Recorded")
        risk.save()
        request_recompute(organisation.pk, risks=[risk.pk])
    return risk


def risk_update(*, risk: Risk, by: Employee, changes: dict[str, Any], reason: str = "Updated") -> Risk:
    """Change a risk's fields; the history keeps each version with who changed it."""
    unknown = set(changes) - set(RISK_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields that cannot be changed here: {sorted(unknown)}")
    with transaction.atomic():
        changed = False
        for name, value in changes.items():
            if getattr(risk, name) != value:
                setattr(risk, name, value)
                changed = True
        if not changed:
            return risk
        risk.full_clean()
        _stamp(risk, by, reason)
        risk.save()
        request_recompute(risk.organisation_id, risks=[risk.pk])
    return risk


def risk_close(*, risk: Risk, by: Employee, reason: str = "") -> Risk:
    """Close a risk: it leaves the open register and its flags resolve on the next run."""
    if not risk.is_open:
        raise ValidationError("This risk is already closed.")
    with transaction.atomic():
        risk.is_open = False
        _stamp(risk, by, f"Closed: {reason}" if reason else "Closed")
        risk.save()
        request_recompute(risk.organisation_id, risks=[risk.pk])
    return risk


def risk_action_add(
    *, risk: Risk, by: Employee, description: str, due: date, owner: Employee | None = None
) -> RiskAction:
    with transaction.atomic():
        action = RiskAction(risk=risk, description=description, due=due, owner=owner)
        action.full_clean()
        if owner is not None and owner.organisation_id != risk.organisation_id:
            raise ValidationError({"owner": "The owner must work for this organisation."})
        _stamp(action, by, "Action added")
        action.save()
        request_recompute(risk.organisation_id, risks=[risk.pk])
    return action


def risk_action_done(*, action: RiskAction, by: Employee, on: date | None = None) -> RiskAction:
    """Mark an action done (today unless ``on`` is given)."""
    if action.done is not None:
        raise ValidationError("This action is already done.")
    with transaction.atomic():
        action.done = on or clock.today()
        action.full_clean()
        _stamp(action, by, "Action done")
        action.save()
        request_recompute(action.risk.organisation_id, risks=[action.risk_id])
    return action
