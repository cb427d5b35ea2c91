"""Importing people from the HR system: check a file (the dry run, stored as a
``PeopleImport`` with its summary), then apply it, all or nothing.

Applying re-reads the stored file and plans again; if the plan is not the one
the person checked (someone changed a record meanwhile), it refuses. The writes
are set-based: a fixed number of statements per level of new services, then a
handful for the roles, the people, their history and the accounts of leavers,
whatever the number of rows. Leavers' open flags are closed through
``organisations.signals.people_left``; the recompute is queued as every save does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock, glossary
from core.bulk import insert_objects, update_objects
from core.queueing import request_recompute
from organisations.models import (
    AuditEvent,
    AuditEventKind,
    Employee,
    ImportStatus,
    JobRole,
    Organisation,
    PeopleImport,
    Service,
)
from organisations.services import hr_files
from organisations.services.people_diff import Diff, build_diff, fingerprint
from organisations.services.people_plan import MAX_ERRORS_SHOWN, RowError, plan_people_import
from organisations.signals import people_left

audit_log = logging.getLogger("perfmgmt.audit")

# A change touching more people than this asks for a full run instead of naming them.
RECOMPUTE_NAMED_LIMIT = 2000
EMPLOYEE_FIELDS = [
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "service",
    "job_role",
    "line_manager",
    "employment_type",
    "fte",
    "start_date",
    "end_date",
    "active",
    "left_on",
]


@dataclass
class CheckFailed:
    """The file cannot be imported: the problems (at most ``MAX_ERRORS_SHOWN``), how many in all."""

    errors: list[RowError]
    total: int
    file_error: str = ""
    more: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.more = max(0, self.total - len(self.errors))


def _plan(organisation: Organisation, data: bytes, filename: str, system: str, complete: bool, by, as_of):
    hr_file = hr_files.read_hr_file(data, filename=filename, system=system)
    plan = plan_people_import(
        organisation=organisation, hr_file=hr_file, complete=complete, as_of=as_of, by=by
    )
    return plan


def people_import_check(
    *,
    organisation: Organisation,
    data: bytes,
    filename: str,
    system: str = "",
    complete: bool = False,
    by: Employee | None,
) -> PeopleImport | CheckFailed:
    """The dry run. A file with problems is not kept (nothing is saved); a good one
    is stored with what applying it would change."""
    try:
        plan = _plan(organisation, data, filename, system, complete, by, clock.today())
    except hr_files.HRFileError as exc:
        return CheckFailed(errors=[], total=1, file_error=str(exc))
    if not plan.ok:
        return CheckFailed(errors=plan.errors[:MAX_ERRORS_SHOWN], total=len(plan.errors))
    diff = build_diff(plan)
    record = PeopleImport(
        organisation=organisation,
        filename=(filename or "people.csv")[-255:],
        content=data,
        checksum=hr_files.checksum(data),
        system=plan.system,
        complete=complete,
        summary=diff.summary,
        plan_fingerprint=fingerprint(diff.summary),
        checked_by=by,
        checked_at=clock.now(),
    )
    record.save()
    return record


def people_import_apply(*, people_import: PeopleImport, by: Employee | None) -> PeopleImport:
    """Apply a checked import, all or nothing. Refused (a ValidationError) when it
    was applied already or when what it would change is no longer what was checked."""
    with transaction.atomic():
        record = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
        if record.status == ImportStatus.APPLIED:
            raise ValidationError("This file has been applied already.")
        organisation = record.organisation
        as_of = date.fromisoformat(record.summary["as_of"])
        try:
            plan = _plan(
                organisation,
                bytes(record.content),
                record.filename,
                record.system,
                record.complete,
                by,
                as_of,
            )
        except hr_files.HRFileError as exc:
            raise ValidationError(str(exc)) from None
        diff = build_diff(plan) if plan.ok else None
        if diff is None or fingerprint(diff.summary) != record.plan_fingerprint:
            raise ValidationError(
                "The people records have changed since this file was checked, so what it would change "
                "is no longer what you saw. Check the file again before applying it."
            )
        counts = _write(plan, diff, by, record)
        now = clock.now()
        record.status = ImportStatus.APPLIED
        record.applied_by, record.applied_at = by, now
        record.content = b""  # personal data held no longer than needed; the summary stays
        record.summary = {**record.summary, "applied": counts}
        record.save(update_fields=["status", "applied_by", "applied_at", "content", "summary"])
        _audit(record, by, counts)
    return record


def _history(model, objs, now, kind: str, reason: str, user_id):
    history = model.history.model
    tracked = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    return [
        history(
            **{f.attname: getattr(o, f.attname) for f in tracked},
            history_date=now,
            history_type=kind,
            history_change_reason=reason,
            history_user_id=user_id,
        )
        for o in objs
    ]


def _write(plan, diff: Diff, by: Employee | None, record: PeopleImport) -> dict[str, int]:
    org = plan.organisation
    now = clock.now()
    user_id = by.user_id if by is not None else None
    reason = f"People import {record.pk} ({record.filename})"[:100]
    resolver = plan.services

    # New services, a level at a time (each level's parents have ids by then).
    new = sorted(resolver.new.items(), key=lambda kv: len(kv[0]))
    for depth in sorted({len(k) for k, _ in new}):
        level = [(k, s) for k, s in new if len(k) == depth]
        for key, service in level:
            service.parent_id = resolver.by_key[key[:-1]].pk if key else None
        insert_objects(Service, [s for _, s in level])
        parents = {s.parent_id for _, s in level}
        ids = (
            {
                (parent, name.lower()): pk
                for pk, parent, name in Service.objects.filter(
                    organisation=org, parent_id__in=parents - {None}
                ).values_list("pk", "parent_id", "name")
            }
            if parents - {None}
            else {}
        )
        if None in parents:
            ids.update(
                {
                    (None, name.lower()): pk
                    for pk, name in Service.objects.filter(organisation=org, parent__isnull=True).values_list(
                        "pk", "name"
                    )
                }
            )
        for _, service in level:
            service.pk = service.id = ids[(service.parent_id, service.name.lower())]
    if new:
        insert_objects(
            Service.history.model, _history(Service, [s for _, s in new], now, "+", reason, user_id)
        )
    if resolver.code_updates:
        coded = []
        for key, code in resolver.code_updates.items():
            service = resolver.by_key[key]
            service.code = code
            coded.append(service)
        update_objects(Service, coded, ["code"])
        insert_objects(Service.history.model, _history(Service, coded, now, "~", reason, user_id))

    if plan.new_roles:
        insert_objects(JobRole, plan.new_roles)
        ids = dict(JobRole.objects.filter(organisation=org).values_list("title", "pk"))
        for role in plan.new_roles:
            role.pk = role.id = ids[role.title]

    people: dict[str, Employee] = {
        (e.employee_number.upper()): e for e in plan.employees.values() if e.employee_number
    }
    has_manager = "manager_number" in plan.columns
    for p, e in diff.creates:
        _assign(e, p, plan, people, has_manager=False)
    insert_objects(Employee, [e for _, e in diff.creates])
    if diff.creates:
        ids = dict(
            Employee.objects.filter(organisation=org)
            .exclude(employee_number="")
            .values_list("employee_number", "pk")
        )
        for _, e in diff.creates:
            e.pk = e.id = ids[e.employee_number]
            people[e.employee_number.upper()] = e
    for p, e in diff.creates:
        e.line_manager_id = people[p.manager_number].pk if p.manager_number else None
    managed = [e for p, e in diff.creates if e.line_manager_id]
    update_objects(Employee, managed, ["line_manager"])
    # A person who moved or changed manager: the old ones are touched too.
    old_managers: set[int | None] = set()
    old_services: set[int | None] = set()
    changed: list[Employee] = []
    for p, e, _fields in diff.updates:
        old_managers.add(e.line_manager_id)
        old_services.add(e.service_id)
        if p is None:  # not in a complete file: has left
            e.active, e.left_on = False, plan.as_of
        else:
            if not e.employee_number:
                e.employee_number = p.number
            _assign(e, p, plan, people, has_manager=has_manager)
        changed.append(e)
    update_objects(Employee, changed, EMPLOYEE_FIELDS)
    insert_objects(
        Employee.history.model,
        _history(Employee, [e for _, e in diff.creates], now, "+", reason, user_id)
        + _history(Employee, changed, now, "~", reason, user_id),
    )

    User = get_user_model()
    leaver_users = [e.user_id for e in diff.leavers if e.user_id]
    if leaver_users:
        User.objects.filter(pk__in=leaver_users).update(is_active=False)
    returner_users = [e.user_id for e in diff.returners if e.user_id]
    if returner_users:
        User.objects.filter(pk__in=returner_users).update(is_active=True)
    if diff.leavers:
        people_left.send(
            sender=PeopleImport,
            organisation_id=org.pk,
            employee_ids=[e.pk for e in diff.leavers],
            reason=f"the person left the organisation (people import of {glossary.long_date(now)})",
        )

    touched = {e.pk for _, e in diff.creates} | {e.pk for e in changed}
    if touched or resolver.new:
        if len(touched) > RECOMPUTE_NAMED_LIMIT:
            request_recompute(org.pk)
        else:
            people_touched = touched | {e.line_manager_id for e in changed} | old_managers
            services = {e.service_id for _, e in diff.creates} | {e.service_id for e in changed}
            services |= {s.pk for s in resolver.new.values()} | old_services
            request_recompute(org.pk, employees=people_touched, services=services)
    s = diff.summary["counts"]
    return {**s, "people_written": len(touched)}


def _assign(e: Employee, p, plan, people: dict[str, Employee], *, has_manager: bool) -> None:
    for name, value in p.values.items():
        setattr(e, name, value)
    e.service_id = plan.services.by_key[p.service_key].pk
    if {"job_title", "role_code"} & plan.columns:
        e.job_role_id = plan.roles[p.role_key].pk if p.role_key else None
    if has_manager:
        e.line_manager_id = people[p.manager_number].pk if p.manager_number else None


def _audit(record: PeopleImport, by: Employee | None, counts: dict[str, int]) -> None:
    detail = (
        f"{record.filename}: {counts['new_people']} new, {counts['changed']} changed, "
        f"{counts['moves']} moved, {counts['leavers']} left, {counts['new_services']} new services"
    )
    AuditEvent.objects.create(
        organisation=record.organisation,
        kind=AuditEventKind.PEOPLE_IMPORT,
        at=clock.now(),
        actor=by,
        actor_name=by.full_name if by else "A command",
        subject=None,
        subject_name=record.organisation.name[:200],
        detail=detail[:300],
    )
    audit_log.info("people_import actor=%s import=%s %s", by.pk if by else "-", record.pk, detail)
