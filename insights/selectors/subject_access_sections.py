"""The complete export's sections: each gathers one kind of record about a person as labelled items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from appraisals.models import Action, FeedbackSession, Goal
from insights.models import Flag
from insights.selectors.audit import changes
from insights.selectors.personal_records import (
    SESSION_TEXT_FIELDS,
    actions_about,
    check_ins_about,
    feedback_released_to,
    long_when,
    name_of,
    plain,
    sessions_about,
    sign_in_records,
)
from organisations.models import AuditEvent, Employee


@dataclass(frozen=True)
class Item:
    section: str
    source: str  # "Feedback session 12, private manager note, written by Mo Manager on 1 October 2026"
    model: str  # "appraisals.FeedbackSession"
    record: int | None
    field: str
    value: Any


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _display(obj, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    return getter() if getter and getattr(obj, name) else plain(getattr(obj, name))


def session_items(employee: Employee) -> list[Item]:
    """The person's feedback sessions, drafts and private notes included, and their earlier versions."""
    items = []
    for s in sessions_about(employee, complete=True):
        head = f"Feedback session {s.pk} ({s.get_kind_display()}, held {long_when(s.held_on)}, {s.get_state_display().lower()})"
        by = f"written by {name_of(s.manager)} on {long_when(s.held_on)}"
        for name in ("state", *SESSION_TEXT_FIELDS, "private_note"):
            value = _display(s, name)
            if value in ("", None):
                continue
            label = _field_label(FeedbackSession, name)
            if name == "employee_comment":
                who = f"written by {employee.full_name}"
            elif name == "state":
                who = f"recorded on {long_when(s.updated_at)}"
            else:
                who = by
            items.append(
                Item(
                    "Feedback sessions",
                    f"{head}, {label}, {who}",
                    "appraisals.FeedbackSession",
                    s.pk,
                    name,
                    value,
                )
            )
        if s.content_removed_on:
            items.append(
                Item(
                    "Feedback sessions",
                    f"{head}: content removed under the retention policy on {long_when(s.content_removed_on)}",
                    "appraisals.FeedbackSession",
                    s.pk,
                    "content_removed_on",
                    plain(s.content_removed_on),
                )
            )
        current = {n: getattr(s, n) for n in (*SESSION_TEXT_FIELDS, "private_note")}
        for h in s.history.select_related("history_user__employee").order_by("history_date"):
            who = getattr(getattr(h, "history_user", None), "employee", None)
            saved = f"saved by {name_of(who, 'the system')} on {long_when(h.history_date)}"
            for name, now_value in current.items():
                old = getattr(h, name)
                if old and old != now_value:
                    items.append(
                        Item(
                            "Earlier versions of feedback sessions",
                            f"Feedback session {s.pk}, earlier version of {_field_label(FeedbackSession, name)}, {saved}",
                            "appraisals.HistoricalFeedbackSession",
                            h.history_id,
                            name,
                            old,
                        )
                    )
            if h.history_change_reason:
                items.append(
                    Item(
                        "Earlier versions of feedback sessions",
                        f"Feedback session {s.pk}, reason given for a change, {saved}",
                        "appraisals.HistoricalFeedbackSession",
                        h.history_id,
                        "history_change_reason",
                        h.history_change_reason,
                    )
                )
    return items


def profile_items(employee: Employee) -> list[Item]:
    """The person's employee record, field by field, and their username."""
    items: list[Item] = []
    for name in (
        "first_name",
        "last_name",
        "email",
        "service",
        "job_role",
        "line_manager",
        "employment_type",
        "start_date",
        "end_date",
        "fte",
        "active",
        "left_on",
        "feedback_interval_days",
        "newly_qualified",
        "is_performance_officer",
        "is_data_protection_officer",
    ):
        value = _display(employee, name)
        value = str(value) if hasattr(value, "pk") else value
        items.append(
            Item(
                "Profile",
                f"Employee record {employee.pk}, {_field_label(Employee, name)}",
                "organisations.Employee",
                employee.pk,
                name,
                value,
            )
        )
    if employee.user:
        items.append(
            Item(
                "Profile",
                f"Employee record {employee.pk}, username",
                "auth.User",
                employee.user.pk,
                "username",
                employee.user.get_username(),
            )
        )
    return items


def record_change_items(employee: Employee) -> list[Item]:
    """Who changed the person's employee record, what and when (not exports: they have their own section)."""
    items: list[Item] = []
    for c in (c for c in changes(employee) if not c.event):
        for label, old, new in c.fields or [("(record)", "", c.kind)]:
            items.append(
                Item(
                    "Changes to the employee record",
                    f"Employee record {employee.pk}, {c.kind.lower()} {label} by {c.who} on {long_when(c.when)}"
                    + (f" (reason: {c.reason})" if c.reason else ""),
                    "organisations.HistoricalEmployee",
                    None,
                    label,
                    f"{old} -> {new}",
                )
            )
    return items


def goal_items(employee: Employee) -> list[Item]:
    """The person's goals."""
    items: list[Item] = []
    for g in Goal.objects.filter(owner=employee).select_related("created_by"):
        by = f"set by {name_of(g.created_by)}" if g.created_by_id else "set"
        for name in ("title", "description", "success_measure", "status", "progress", "due_date"):
            value = _display(g, name)
            if value in ("", None):
                continue
            items.append(
                Item(
                    "Goals",
                    f"Goal {g.pk}, {_field_label(Goal, name)}, {by}",
                    "appraisals.Goal",
                    g.pk,
                    name,
                    value,
                )
            )
    return items


def check_in_items(employee: Employee) -> list[Item]:
    """Check-ins on the person's goals, drafts included."""
    items: list[Item] = []
    for ci in check_ins_about(employee, complete=True):
        where = (
            f", entered in feedback session {ci.session_id} ({ci.session.get_state_display().lower()})"
            if ci.session_id
            else ""
        )
        source = f"Goal check-in {ci.pk} on goal '{ci.goal.title}', written by {name_of(ci.author)} on {long_when(ci.date)}{where}"
        for name in ("progress", "status", "comment"):
            value = _display(ci, name)
            if value not in ("", None):
                items.append(
                    Item("Goal check-ins", f"{source}, {name}", "appraisals.GoalCheckIn", ci.pk, name, value)
                )
    return items


def action_items(employee: Employee) -> list[Item]:
    """Actions of the person's sessions and actions they own, drafts included."""
    items: list[Item] = []
    for a in actions_about(employee, complete=True):
        s = a.session
        source = (
            f"Action {a.pk} of feedback session {s.pk} ({s.get_state_display().lower()}), agreed in the session "
            f"held by {name_of(s.manager)} on {long_when(s.held_on)}, owner {name_of(a.owner)}"
        )
        items.append(
            Item("Actions", f"{source}, description", "appraisals.Action", a.pk, "description", a.description)
        )
        for name in ("due_on", "done_on"):
            if getattr(a, name):
                items.append(
                    Item(
                        "Actions",
                        f"{source}, {_field_label(Action, name)}",
                        "appraisals.Action",
                        a.pk,
                        name,
                        plain(getattr(a, name)),
                    )
                )
    return items


def feedback_items(employee: Employee) -> list[Item]:
    """Feedback from colleagues released to the person, as they were shown it.
    Answers their manager has not released are held for the manager alone."""
    items: list[Item] = []
    for r in feedback_released_to(employee):
        source = (
            f"Feedback response {r.pk} to request {r.request_id}, from {r.from_words}, "
            f"released by {name_of(r.released_by)} on {long_when(r.released_at)}"
        )
        for question, answer in r.question_answers():
            if answer:
                items.append(
                    Item(
                        "Feedback from colleagues",
                        f"{source}, question: {question}",
                        "appraisals.FeedbackResponse",
                        r.pk,
                        "answers",
                        answer,
                    )
                )
    return items


def flag_items(employee: Employee) -> list[Item]:
    """Flags about the person, with their notes and who wrote them."""
    items: list[Item] = []
    for f in Flag.objects.filter(employee=employee).select_related("acknowledged_by", "dismissed_by"):
        head = f"Flag {f.pk} ({f.get_kind_display()}), raised by the flag job on {long_when(f.opened_at)}"
        for name, value, who in (
            ("title", f.title, ""),
            ("rule", f.rule, ""),
            ("evidence", f.evidence, ""),
            (
                "acknowledgement_note",
                f.acknowledgement_note,
                f", written by {name_of(f.acknowledged_by)} on {long_when(f.acknowledged_at)}",
            ),
            (
                "dismissal_reason",
                f.dismissal_reason,
                f", written by {name_of(f.dismissed_by)} on {long_when(f.dismissed_at)}",
            ),
        ):
            if value:
                items.append(
                    Item(
                        "Flags about the person",
                        f"{head}, {name.replace('_', ' ')}{who}",
                        "insights.Flag",
                        f.pk,
                        name,
                        value,
                    )
                )
    return items


def sign_in_items(employee: Employee) -> list[Item]:
    """The person's sign-in records."""
    items: list[Item] = []
    records = sign_in_records(employee)
    for key, model, label in (
        ("sign_ins", "axes.AccessLog", "sign-in"),
        ("failed_sign_in_attempts", "axes.AccessAttempt", "failed sign-in attempts"),
        ("failed_sign_ins", "axes.AccessFailureLog", "failed sign-in"),
    ):
        for row in records[key]:
            items.append(
                Item(
                    "Sign-in records",
                    f"Sign-in record ({model}) {row['id']}, {label} at {row['attempt_time']}",
                    model,
                    row["id"],
                    key,
                    row,
                )
            )
    return items


def export_items(employee: Employee) -> list[Item]:
    """Records of subject access exports produced about the person."""
    items: list[Item] = []
    for event in AuditEvent.objects.filter(subject=employee):
        items.append(
            Item(
                "Subject access exports produced",
                f"Audit event {event.pk}, {event.get_kind_display().lower()} by {event.actor_name} on {long_when(event.at)}",
                "organisations.AuditEvent",
                event.pk,
                "detail",
                event.detail,
            )
        )
    return items
