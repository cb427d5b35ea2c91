"""Who acts on each flag, and escalation when nobody does.

:func:`assign_owners` gives every candidate an owner before the run writes it:

- a flag about a person: their line manager (or, with none, the nearest head of
  their service or a service above it who is not the person);
- a KPI's or a risk's flag: the KPI's or the risk's owner (or, with none, the
  head of its service);
- a service's flag (skills, interim reliance, supervision across a service):
  the head of the service, or of the nearest service above it with a head.

:func:`escalate` raises, once, each flag nobody acknowledged or dismissed within
its kind's review period (``Kind.review_days``) to the owner's own line manager
(or the head of the service above). Both work on the whole organisation in a
fixed number of queries.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from core.bulk import insert_objects, update_objects
from insights.models import Flag, SubjectType
from insights.rules import kinds
from insights.services.flagging import FlagCandidate, history_rows
from organisations.models import KPI, Employee, Organisation, Risk, Service


class Owners:
    """The organisation's line management and service heads, loaded once (two queries)."""

    def __init__(self, organisation: Organisation):
        rows = Employee.objects.filter(organisation=organisation).values_list(
            "pk", "line_manager_id", "service_id", "active", "first_name", "last_name"
        )
        self.people = {}
        self.names = {}
        for pk, manager_id, service_id, active, first, last in rows:
            self.people[pk] = (manager_id, service_id, active)
            self.names[pk] = f"{first} {last}"
        self.services = {
            pk: (parent_id, head_id)
            for pk, parent_id, head_id in Service.objects.filter(organisation=organisation).values_list(
                "pk", "parent_id", "head_id"
            )
        }

    @classmethod
    def of(cls, ctx) -> Owners:
        """The run's one copy (rules and :func:`assign_owners` share it)."""
        if "owners" not in ctx.shared:
            ctx.shared["owners"] = cls(ctx.organisation)
        return ctx.shared["owners"]

    def name(self, employee_id: int) -> str:
        return self.names.get(employee_id, "")

    def service_of(self, employee_id: int) -> int | None:
        return self.people.get(employee_id, (None, None, False))[1]

    def active(self, employee_id: int | None) -> bool:
        return employee_id is not None and self.people.get(employee_id, (None, None, False))[2]

    def head_for(self, service_id: int | None, *, not_: int | None = None) -> int | None:
        """The head of the service, or of the nearest service above it with an
        active head who is not ``not_``."""
        seen: set[int] = set()
        while service_id is not None and service_id not in seen:
            seen.add(service_id)
            parent_id, head_id = self.services.get(service_id, (None, None))
            if head_id != not_ and self.active(head_id):
                return head_id
            service_id = parent_id
        return None

    def manager_of(self, employee_id: int) -> int | None:
        """Someone's line manager, or the head of their service (or one above)."""
        manager_id, service_id, _ = self.people.get(employee_id, (None, None, False))
        if manager_id != employee_id and self.active(manager_id):
            return manager_id
        return self.head_for(service_id, not_=employee_id)


def assign_owners(
    organisation: Organisation, candidates: list[FlagCandidate], owners: Owners | None = None
) -> list[FlagCandidate]:
    """Each candidate with its ``owner_id`` (two queries, four without ``owners``).
    A flag about the person at the top of the organisation (no line manager and
    no head above them) is dropped: no one in the product is there to act on it,
    and it must not be shown to them."""
    owners = owners or Owners(organisation)
    kpi_owner = dict(KPI.objects.filter(organisation=organisation).values_list("pk", "owner_id"))
    risk_owner = dict(Risk.objects.filter(organisation=organisation).values_list("pk", "owner_id"))
    out = []
    for c in candidates:
        owner_id = c.owner_id
        if owner_id is None:
            if c.employee_id is not None:
                owner_id = owners.manager_of(c.employee_id)
            elif c.subject_type == SubjectType.KPI and owners.active(kpi_owner.get(c.subject_id)):
                owner_id = kpi_owner[c.subject_id]
            elif c.subject_type == SubjectType.RISK and owners.active(risk_owner.get(c.subject_id)):
                owner_id = risk_owner[c.subject_id]
            else:
                owner_id = owners.head_for(c.service_id)
        if owner_id is None and c.employee_id is not None:
            continue
        out.append(dataclasses.replace(c, owner_id=owner_id) if owner_id != c.owner_id else c)
    return out


def escalate(organisation: Organisation, now: datetime, owners: Owners | None = None) -> int:
    """Escalate, once, every open flag that nobody acted on within its kind's review
    period: to the owner's line manager (or the head above). Returns how many."""
    owners = owners or Owners(organisation)
    waiting = Flag.objects.filter(
        organisation=organisation,
        resolved_at__isnull=True,
        dismissed_at__isnull=True,
        acknowledged_at__isnull=True,
        escalated_at__isnull=True,
        owner__isnull=False,
        # None younger than the shortest review period can be due.
        opened_at__lte=now - timedelta(days=min(k.review_days for k in kinds.KINDS)),
    )
    escalated = []
    for flag in waiting:
        kind = kinds.BY_CODE.get(flag.kind)
        if kind is None or flag.opened_at > now - timedelta(days=kind.review_days):
            continue
        to = owners.manager_of(flag.owner_id)
        if to is None or to == flag.employee_id:
            continue
        flag.escalated_to_id, flag.escalated_at = to, now
        flag._change_reason = f"Escalated: not acted on within {kind.review_days} days"
        escalated.append(flag)
    update_objects(Flag, escalated, ["escalated_to", "escalated_at"])
    insert_objects(Flag.history.model, history_rows(escalated, now, "~"))
    return len(escalated)
