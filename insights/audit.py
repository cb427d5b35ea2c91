"""The audit trail: who changed what and when, per object, for those allowed to see it.

Each audited model is registered with a function deciding whether a viewer may
see the object's history (the same rule as seeing the object itself, at least)
and fields never shown (a session's private note for those who may not read it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404

from organisations.access import Viewer


@dataclass(frozen=True)
class Audited:
    model_label: str
    org_path: str  # lookup from the object to its organisation
    can_view: Callable[[Viewer, Any], bool]
    title: Callable[[Any], str]


def _session_visible(viewer: Viewer, session) -> bool:
    return viewer.can_see_session_content(session.employee, author_id=session.manager_id)


def _goal_visible(viewer: Viewer, goal) -> bool:
    return goal.owner is None or viewer.can_see_individual(goal.owner)


def _flag_visible(viewer: Viewer, flag) -> bool:
    if flag.employee_id:
        return viewer.manages(flag.employee) or viewer.heads_service_of(flag.employee)
    return viewer.is_manager or viewer.is_head_of_service or viewer.is_performance_officer


def _everyone(viewer: Viewer, obj) -> bool:
    return True


REGISTRY: dict[str, Audited] = {
    a.model_label: a
    for a in [
        Audited("appraisals.feedbacksession", "organisation", _session_visible, lambda o: str(o)),
        Audited("appraisals.goal", "organisation", _goal_visible, lambda o: o.title),
        Audited("appraisals.goalcheckin", "goal__organisation", lambda v, o: _goal_visible(v, o.goal), str),
        Audited(
            "appraisals.action", "session__organisation", lambda v, o: _session_visible(v, o.session), str
        ),
        Audited("organisations.kpiresult", "kpi__organisation", _everyone, str),
        Audited("organisations.kpitarget", "kpi__organisation", _everyone, str),
        Audited("organisations.kpi", "organisation", _everyone, str),
        Audited("organisations.risk", "organisation", _everyone, lambda o: o.title),
        Audited("insights.flag", "organisation", _flag_visible, lambda o: o.title),
        Audited(
            "organisations.employee",
            "organisation",
            lambda v, o: v.can_see_individual(o),
            lambda o: o.full_name,
        ),
    ]
}

HIDDEN_FIELDS = {"id", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}


@dataclass
class Change:
    when: Any
    who: str
    kind: str  # Created / Changed / Deleted
    reason: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)


def audited_object(viewer: Viewer, model_label: str, pk: int) -> tuple[Audited, Model]:
    audited = REGISTRY.get(model_label)
    if audited is None:
        raise Http404("No such record type.")
    model = apps.get_model(model_label)
    obj = model.objects.filter(**{audited.org_path: viewer.organisation}, pk=pk).first()
    if obj is None:
        raise Http404("No such record.")
    return audited, obj


def _display(model, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"(removed #{value})"
    return str(value)


def changes(obj: Model) -> list[Change]:
    """Newest first, each with its field-level differences from the previous version."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user__employee").order_by("history_date", "history_id")
    )
    out: list[Change] = []
    previous = None
    for record in records:
        user = record.history_user
        who = "System"
        if user is not None:
            employee = getattr(user, "employee", None)
            who = employee.full_name if employee else user.get_username()
        fields: list[tuple[str, str, str]] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                model_field = model._meta.get_field(change.field)
                if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                    continue  # timestamps say nothing a reader needs; history_date has it
                label = model_field.verbose_name
                fields.append(
                    (
                        str(label).capitalize(),
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        if kind == "Changed" and not fields:
            previous = record
            continue  # saved without a visible change
        out.append(Change(record.history_date, who, kind, record.history_change_reason or "", fields))
        previous = record
    return list(reversed(out))
