"""What applying a checked HR file would change: the plan of ``people_plan``
turned into the records to create and update and a summary a person reads (new
services, roles and people, changes field by field, moves, leavers, people
needing a new line manager). The summary is stored with the import; its
fingerprint is how applying knows nothing changed since the check."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from core import glossary
from organisations.models import Employee
from organisations.services.people_plan import LABELS, Person, Plan


@dataclass
class Diff:
    creates: list[tuple[Person, Employee]] = field(default_factory=list)
    updates: list[tuple[Person | None, Employee, list[str]]] = field(default_factory=list)
    leavers: list[Employee] = field(default_factory=list)
    returners: list[Employee] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def _show(name: str, value: object, plan: Plan) -> str:
    if value is None or value == "":
        return "–"
    if name == "service":
        return plan.services.display(value)
    if name == "active":
        return "Yes" if value else "No (left)"
    if name in ("start_date", "end_date", "left_on"):
        return glossary.long_date(value)
    return str(value)


def build_diff(plan: Plan) -> Diff:
    """Memory only: the plan's people against their records."""
    diff = Diff()
    resolver = plan.services
    role_title = {r.pk: r.title for r in plan.roles.values() if r.pk}
    number_of = {pk: (e.employee_number.upper() or f"#{pk}") for pk, e in plan.employees.items()}
    for p in plan.people:  # matched by email: known by their number from now on
        if p.existing is not None and not p.existing.employee_number:
            number_of[p.existing.pk] = p.number
    names = {number_of[pk]: e.full_name for pk, e in plan.employees.items()}
    for p in plan.people:
        names[p.number] = f"{p.values['first_name']} {p.values['last_name']}"
    final_active: dict[str, bool] = {number_of[pk]: e.active for pk, e in plan.employees.items()}
    final_manager: dict[str, str] = {
        number_of[pk]: number_of[e.line_manager_id]
        for pk, e in plan.employees.items()
        if e.line_manager_id in number_of
    }
    final_service: dict[str, tuple] = {
        number_of[pk]: resolver.key_of.get(e.service_id, ()) for pk, e in plan.employees.items()
    }
    new_people, changes, moves = [], [], []
    has_manager = "manager_number" in plan.columns
    has_role = bool({"job_title", "role_code"} & plan.columns)
    for p in plan.people:
        target = {**p.values, "service": p.service_key}
        if has_role:
            target["job_role"] = plan.roles[p.role_key].title if p.role_key else None
        if has_manager:
            target["line_manager"] = p.manager_number or None
        final_active[p.number] = bool(p.values["active"])
        final_service[p.number] = p.service_key
        if has_manager:
            if p.manager_number:
                final_manager[p.number] = p.manager_number
            else:
                final_manager.pop(p.number, None)
        e = p.existing
        if e is None:
            emp = Employee(organisation=plan.organisation, employee_number=p.number)
            diff.creates.append((p, emp))
            new_people.append(
                {
                    "number": p.number,
                    "name": names[p.number],
                    "service": resolver.display(p.service_key),
                    "role": target.get("job_role") or "–",
                    "manager": names.get(p.manager_number, p.manager_number or "–"),
                }
            )
            continue
        current = {
            "first_name": e.first_name,
            "last_name": e.last_name,
            "email": e.email,
            "employment_type": e.employment_type,
            "fte": e.fte,
            "start_date": e.start_date,
            "end_date": e.end_date,
            "active": e.active,
            "left_on": e.left_on,
            "service": resolver.key_of.get(e.service_id, ()),
            "job_role": role_title.get(e.job_role_id),
            "line_manager": number_of.get(e.line_manager_id) if e.line_manager_id else None,
        }
        changed = [name for name, value in target.items() if _differs(current[name], value)]
        if not e.employee_number:
            changed.append("employee_number")
        if not changed:
            continue
        diff.updates.append((p, e, changed))
        if "active" in changed:
            (diff.returners if target["active"] else diff.leavers).append(e)
        fields = []
        for name in changed:
            if name == "employee_number":
                fields.append({"field": "Employee number", "old": "–", "new": p.number})
                continue
            old, new = current[name], target[name]
            if name == "line_manager":
                old, new = names.get(old, old), names.get(new, new)
            fields.append(
                {
                    "field": LABELS.get(f"{name}_id", LABELS.get(name, name)),
                    "old": _show(name, old, plan),
                    "new": _show(name, new, plan),
                }
            )
        changes.append({"number": p.number, "name": names[p.number], "fields": fields})
        if "service" in changed:
            moves.append(
                {
                    "number": p.number,
                    "name": names[p.number],
                    "from": resolver.display(current["service"]),
                    "to": resolver.display(p.service_key),
                }
            )
    leavers = [
        {
            "number": number_of[e.pk],
            "name": e.full_name,
            "left_on": glossary.long_date(p.values["left_on"]),
            "why": "Leaving date in the file",
        }
        for p, e, changed in diff.updates
        if "active" in changed and not p.values["active"]
    ]
    for e in plan.leavers_absent:
        diff.leavers.append(e)
        diff.updates.append((None, e, ["active", "left_on"]))
        final_active[number_of[e.pk]] = False
        leavers.append(
            {
                "number": number_of[e.pk],
                "name": e.full_name,
                "left_on": glossary.long_date(plan.as_of),
                "why": "Not in the file, which lists everyone",
            }
        )
    needing = sorted(
        (
            {"number": n, "name": names.get(n, n), "manager": names.get(m, m), "manager_number": m}
            for n, m in final_manager.items()
            if final_active.get(n) and final_active.get(m) is False
        ),
        key=lambda r: r["name"],
    )
    before = Counter(resolver.key_of.get(e.service_id) for e in plan.employees.values() if e.active)
    after = Counter(final_service[n] for n, active in final_active.items() if active and n in final_service)
    emptied = sorted(
        resolver.display(k) for k, n in before.items() if n and k is not None and not after.get(k)
    )
    diff.summary = {
        "system": plan.system,
        "encoding": plan.encoding,
        "complete": plan.complete,
        "as_of": plan.as_of.isoformat(),
        "rows": plan.rows,
        "new_services": sorted(
            ({"path": resolver.display(k), "code": s.code} for k, s in resolver.new.items() if k),
            key=lambda r: r["path"],
        ),
        "service_codes": sorted(
            ({"path": resolver.display(k), "code": c} for k, c in resolver.code_updates.items()),
            key=lambda r: r["path"],
        ),
        "new_roles": sorted(
            ({"title": r.title, "code": r.code} for r in plan.new_roles), key=lambda r: r["title"]
        ),
        "new_people": new_people,
        "changes": changes,
        "moves": moves,
        "leavers": sorted(leavers, key=lambda r: r["name"]),
        "returners": [{"number": number_of[e.pk], "name": e.full_name} for e in diff.returners],
        "emptied_services": emptied,
        "needing_manager": needing,
        "unchanged": len(plan.people)
        - len(diff.creates)
        - len([u for u in diff.updates if u[0] is not None]),
        "left_before": plan.left_before,
        "unnumbered_active": plan.unnumbered_active,
    }
    counts = {
        "new_services": len(diff.summary["new_services"]),
        "new_roles": len(plan.new_roles),
        "new_people": len(new_people),
        "changed": len(changes),
        "moves": len(moves),
        "leavers": len(leavers),
        "returners": len(diff.returners),
        "needing_manager": len(needing),
    }
    diff.summary["counts"] = counts
    diff.summary["changes_anything"] = any(
        counts[k] for k in ("new_services", "new_roles", "new_people", "changed", "leavers")
    ) or bool(diff.summary["service_codes"])
    return diff


def _differs(old: object, new: object) -> bool:
    return (old or None) != (new or None)


def fingerprint(summary: dict) -> str:
    """The same for the same changes: applying compares it with the check's."""
    core = {k: v for k, v in summary.items() if k not in ("applied",)}
    return hashlib.sha256(json.dumps(core, sort_keys=True, default=str).encode()).hexdigest()
