"""The audit trail: who changed what and when, per object, for those allowed to see it.

Each audited model is registered with the rule deciding whether a viewer may see
the object's history (the same rule as seeing the object itself, or narrower: a
session's history holds its private note, so only those who read the session's
content see it) and the records that belong to it and are shown in the same
history (a KPI's results and targets, a goal's check-ins, a session's actions, a
risk's actions), so one "View history" link answers "who changed this?".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Model
from django.http import Http404
from django.urls import reverse

from core.redirects import local_path
from organisations.access import Viewer


@dataclass(frozen=True)
class Related:
    """Records belonging to an audited object whose history is shown with it."""

    model_label: str
    parent_field: str  # the foreign key from the related record to the object
    describe: Callable[[Any], str]  # a historical record -> "Result for 30 June 2026"


@dataclass(frozen=True)
class Audited:
    model_label: str
    org_path: str  # lookup from the object to its organisation ("": it is the organisation)
    can_view: Callable[[Viewer, Any], bool]
    title: Callable[[Any], str]
    related: tuple[Related, ...] = field(default=())
    # Audit events about the object that are not changes to it (an export produced),
    # and who may see them (narrower than the history: a subject access request is
    # confidential to the person and the data protection role).
    events: Callable[[Any], list[Change]] | None = None
    events_visible: Callable[[Viewer, Any], bool] = lambda viewer, obj: False


def _session_visible(viewer: Viewer, session) -> bool:
    # A session's history holds its private note: only those who read its content.
    from appraisals.models.sessions import CONTENT

    return session.view_level_for(viewer) == CONTENT


def _goal_visible(viewer: Viewer, goal) -> bool:
    from appraisals.rules.goal_access import can_see_goal

    return can_see_goal(viewer, goal)


def _flag_visible(viewer: Viewer, flag) -> bool:
    return flag.is_visible_to(viewer)


def _everyone(viewer: Viewer, obj) -> bool:
    return True


def _employee_events(employee) -> list[Change]:
    from organisations.models import AuditEvent

    return [
        Change(e.at, e.actor_name, e.get_kind_display(), e.detail, [], event=True)
        for e in AuditEvent.objects.filter(subject=employee)
    ]


def _employee_events_visible(viewer: Viewer, employee) -> bool:
    return viewer.employee.pk == employee.pk or viewer.can_produce_subject_access_exports()


def _organisation_events(organisation) -> list[Change]:
    """What the settings area recorded: each save with its fields before and after."""
    from organisations.models import ORGANISATION_KINDS, AuditEvent

    return [
        Change(
            e.at,
            e.actor_name,
            e.get_kind_display(),
            "" if e.changes else e.detail,
            [tuple(c) for c in e.changes],
            event=True,
        )
        for e in AuditEvent.objects.filter(organisation=organisation, kind__in=ORGANISATION_KINDS)
    ]


def _organisation_events_visible(viewer: Viewer, organisation) -> bool:
    return viewer.is_organisation_admin


def _long(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


REGISTRY: dict[str, Audited] = {
    a.model_label: a
    for a in [
        Audited(
            "appraisals.feedbacksession",
            "organisation",
            _session_visible,
            str,
            related=(Related("appraisals.action", "session", lambda r: f"Action: {r.description}"),),
        ),
        Audited(
            "appraisals.goal",
            "organisation",
            _goal_visible,
            lambda o: o.title,
            related=(Related("appraisals.goalcheckin", "goal", lambda r: f"Check-in of {_long(r.date)}"),),
        ),
        Audited("appraisals.goalcheckin", "goal__organisation", lambda v, o: _goal_visible(v, o.goal), str),
        Audited(
            "appraisals.action", "session__organisation", lambda v, o: _session_visible(v, o.session), str
        ),
        Audited("organisations.kpiresult", "kpi__organisation", _everyone, str),
        Audited("organisations.kpitarget", "kpi__organisation", _everyone, str),
        Audited(
            "organisations.kpi",
            "organisation",
            _everyone,
            str,
            related=(
                Related("organisations.kpiresult", "kpi", lambda r: f"Result for {_long(r.period_end)}"),
                Related(
                    "organisations.kpitarget",
                    "kpi",
                    lambda r: f"Target for {r.financial_year}/{str(r.financial_year + 1)[-2:]}",
                ),
            ),
        ),
        Audited(
            "organisations.risk",
            "organisation",
            _everyone,
            lambda o: o.title,
            related=(Related("organisations.riskaction", "risk", lambda r: f"Action: {r.description}"),),
        ),
        Audited("insights.flag", "organisation", _flag_visible, lambda o: o.title),
        # The organisation's settings keep no history of their own: its history is
        # the audit events of the settings area, for its administrators.
        Audited(
            "organisations.organisation",
            "",
            lambda v, o: v.is_organisation_admin,
            lambda o: f"{o.name} settings",
            events=_organisation_events,
            events_visible=_organisation_events_visible,
        ),
        Audited(
            "organisations.employee",
            "organisation",
            # The data protection role reads everything about anyone (and exports it).
            lambda v, o: v.can_see_individual(o) or v.can_produce_subject_access_exports(),
            lambda o: o.full_name,
            events=_employee_events,
            events_visible=_employee_events_visible,
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
    subject: str = ""  # the related record changed ("" for the object itself)
    event: bool = False  # an audit event (``reason`` holds its details), not a change


def label_for(obj: Model) -> str:
    return obj._meta.label_lower


def is_audited(obj: Model) -> bool:
    return label_for(obj) in REGISTRY


def can_view_history(viewer: Viewer, obj: Model) -> bool:
    audited = REGISTRY.get(label_for(obj))
    return audited is not None and audited.can_view(viewer, obj)


def history_url(obj: Model, back: str = "") -> str:
    url = reverse("insights:history", args=[label_for(obj), obj.pk])
    if local_path(back):
        url += "?" + urlencode({"back": back})
    return url


def audited_object(viewer: Viewer, model_label: str, pk: int) -> tuple[Audited, Model]:
    audited = REGISTRY.get(model_label)
    if audited is None:
        raise Http404("No such record type.")
    model = apps.get_model(model_label)
    # An empty org_path: the object is the organisation itself.
    scope = {audited.org_path: viewer.organisation} if audited.org_path else {"id": viewer.organisation.pk}
    obj = model.objects.filter(**scope).filter(pk=pk).first()
    if obj is None:
        raise Http404("No such record.")
    return audited, obj


class _Display:
    """Field values in words; each related object looked up once per page."""

    def __init__(self) -> None:
        self._related: dict[tuple[type, Any], str] = {}

    def __call__(self, model, field_name: str, value: Any) -> str:
        if value is None or value == "":
            return "(blank)"
        try:
            model_field = model._meta.get_field(field_name)
        except Exception:
            return str(value)
        if getattr(model_field, "choices", None):
            return str(dict(model_field.choices).get(value, value))
        if model_field.is_relation:
            key = (model_field.related_model, value)
            if key not in self._related:
                related = model_field.related_model.objects.filter(pk=value).first()
                self._related[key] = str(related) if related else f"(removed #{value})"
            return self._related[key]
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System"
    employee = getattr(user, "employee", None)
    return employee.full_name if employee else user.get_username()


def _shown(model, name: str, skip: frozenset[str]) -> bool:
    if name in HIDDEN_FIELDS or name in skip:
        return False
    model_field = model._meta.get_field(name)
    # Timestamps say nothing a reader needs; each change has its own date and time.
    return not (getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False))


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]  # not .capitalize(): "FTE" stays "FTE"


def _changes_of(model, records, display: _Display, *, subject=None, skip: frozenset = frozenset()):
    """Each record's differences from the one before, for one object's history rows."""
    out: list[Change] = []
    previous = None
    for record in records:
        fields: list[tuple[str, str, str]] = []
        if record.history_type == "+":
            for f in model._meta.concrete_fields:
                value = getattr(record, f.attname, None)  # None too for fields history leaves out
                if _shown(model, f.name, skip) and value not in (None, ""):
                    fields.append((_label(model, f.name), "(blank)", display(model, f.name, value)))
        elif previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                if _shown(model, change.field, skip):
                    fields.append(
                        (
                            _label(model, change.field),
                            display(model, change.field, change.old),
                            display(model, change.field, change.new),
                        )
                    )
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        previous = record
        if kind == "Changed" and not fields:
            continue  # saved without a visible change
        out.append(
            Change(
                record.history_date,
                _who(record),
                kind,
                record.history_change_reason or "",
                fields,
                subject(record) if subject else "",
            )
        )
    return out


def changes(obj: Model, audited: Audited | None = None, *, viewer: Viewer | None = None) -> list[Change]:
    """Newest first: the object's own changes and those of its related records,
    each with its field-level differences from the version before; and its audit
    events when ``viewer`` may see them (without a viewer: always, for the
    person's own data)."""
    audited = audited or REGISTRY.get(label_for(obj))
    display = _Display()
    model = type(obj)
    out: list[Change] = []
    if hasattr(obj, "history"):
        own = obj.history.select_related("history_user__employee").order_by("history_date", "history_id")
        out = _changes_of(model, own, display)
    for related in audited.related if audited else ():
        related_model = apps.get_model(related.model_label)
        fk = related_model._meta.get_field(related.parent_field).attname
        records = list(
            related_model.history.filter(**{fk: obj.pk})
            .select_related("history_user__employee")
            .order_by("id", "history_date", "history_id")
        )
        by_object: dict[Any, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        for rows in by_object.values():
            out += _changes_of(
                related_model,
                rows,
                display,
                subject=related.describe,
                skip=frozenset({related.parent_field}),
            )
    if audited and audited.events and (viewer is None or audited.events_visible(viewer, obj)):
        out += audited.events(obj)
    out.sort(key=lambda c: c.when, reverse=True)
    return out
