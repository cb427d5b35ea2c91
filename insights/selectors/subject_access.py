"""What the product holds about one person, for the UK GDPR right of access.

Two readers, one set of queries, so "what My data shows" is decided once:

- **My data** (``complete=False``), for the person: never a draft session or
  anything written in one (its actions, the goal check-ins and skill ratings
  entered in it), never a manager's private note;
- the **complete subject access export** (``complete=True``), for a data
  protection role: all of My data, plus private notes, draft sessions and what
  was written in them, earlier versions of sessions (their history), and
  records of who produced earlier exports. Every item names its source: the
  record, the field, who wrote it and when.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q, QuerySet

from appraisals.models import Action, FeedbackSession, Goal, GoalCheckIn, SessionState, SkillRating
from insights.models import Flag, SkillGap
from insights.selectors.audit import changes
from organisations.models import AuditEvent, Employee

# How the skills gaps are computed, said wherever they are given to a person
# (profiling: UK GDPR articles 13-15 and 22).
SKILL_GAP_METHOD = (
    "Computed, not written by a person: each night the skills job compares the levels your job "
    "role requires with your current level for each skill (your latest manager rating, else your "
    "latest self-assessment, else 0). A skill below the required level is a gap. The recommendation "
    "follows fixed rules: 'develop' when you are one level short, 'interim cover' when an essential "
    "skill has nobody at level in the service or coverage is under the organisation's threshold, "
    "'recruit' when a gap persists. It is a prompt for a conversation with your manager, never a "
    "decision about you."
)

SESSION_TEXT_FIELDS = (
    "discussion",
    "achievements",
    "development_areas",
    "wellbeing",
    "overall_assessment",
    "employee_comment",
    "change_reason",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _long(d: date | datetime | None) -> str:
    if d is None:
        return "an unknown date"
    if isinstance(d, datetime):
        return f"{d.day} {d:%B %Y} at {d:%H:%M}"
    return f"{d.day} {d:%B %Y}"


def _name(employee: Employee | None, fallback: str = "someone no longer recorded") -> str:
    return employee.full_name if employee else fallback


# --- The records, as My data and the complete export each select them ----------


def sessions_about(employee: Employee, *, complete: bool) -> QuerySet[FeedbackSession]:
    qs = FeedbackSession.objects.filter(employee=employee).select_related("manager")
    return qs if complete else qs.exclude(state=SessionState.DRAFT)


def actions_about(employee: Employee, *, complete: bool) -> QuerySet[Action]:
    """Actions of the person's sessions (whoever owns them) and actions they own."""
    qs = Action.objects.filter(Q(session__employee=employee) | Q(owner=employee)).select_related(
        "session__manager", "owner"
    )
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def check_ins_about(employee: Employee, *, complete: bool) -> QuerySet[GoalCheckIn]:
    qs = GoalCheckIn.objects.filter(goal__owner=employee).select_related("goal", "author", "session")
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def ratings_about(employee: Employee, *, complete: bool) -> QuerySet[SkillRating]:
    qs = SkillRating.objects.filter(employee=employee).select_related("skill", "rated_by", "session")
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def skill_gaps_of(employee: Employee) -> QuerySet[SkillGap]:
    return SkillGap.objects.filter(employee=employee).select_related("skill").order_by("skill__name")


def sign_in_records(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    """django-axes keeps each sign-in (AccessLog) and failed ones (AccessAttempt,
    AccessFailureLog) by username; the passwords typed are never kept."""
    if employee.user is None:
        return {"sign_ins": [], "failed_sign_in_attempts": [], "failed_sign_ins": []}
    username = employee.user.get_username()
    return {
        "sign_ins": [
            {k: _plain(v) for k, v in row.items()}
            for row in AccessLog.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "logout_time", "ip_address", "user_agent")
        ],
        "failed_sign_in_attempts": [
            {k: _plain(v) for k, v in row.items()}
            for row in AccessAttempt.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "ip_address", "user_agent", "failures_since_start")
        ],
        "failed_sign_ins": [
            {k: _plain(v) for k, v in row.items()}
            for row in AccessFailureLog.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "ip_address", "user_agent", "locked_out")
        ],
    }


def record_history(employee: Employee) -> list[dict[str, Any]]:
    """Who changed the person's own employee record, what and when."""
    return [
        {
            "when": _plain(c.when),
            "who": c.who,
            "what": c.kind,
            "reason": c.reason,
            "fields": [{"field": f, "from": old, "to": new} for f, old, new in c.fields],
        }
        for c in changes(employee)
    ]


# --- The complete export: labelled items ---------------------------------------


@dataclass(frozen=True)
class Item:
    section: str
    source: str  # "Feedback session 12, private manager note, written by Mo Manager on 1 October 2026"
    model: str  # "appraisals.FeedbackSession"
    record: int | None
    field: str
    value: Any


SECTIONS = (
    "Profile",
    "Changes to the employee record",
    "Goals",
    "Goal check-ins",
    "Feedback sessions",
    "Earlier versions of feedback sessions",
    "Actions",
    "Skill ratings",
    "Skills gaps (computed)",
    "Flags about the person",
    "Sign-in records",
    "Subject access exports produced",
)


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _display(obj, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    return getter() if getter and getattr(obj, name) else _plain(getattr(obj, name))


def _session_items(employee: Employee) -> list[Item]:
    items = []
    for s in sessions_about(employee, complete=True):
        head = f"Feedback session {s.pk} ({s.get_kind_display()}, held {_long(s.held_on)}, {s.get_state_display().lower()})"
        by = f"written by {_name(s.manager)} on {_long(s.held_on)}"
        for name in ("state", *SESSION_TEXT_FIELDS, "private_note"):
            value = _display(s, name)
            if value in ("", None):
                continue
            label = _field_label(FeedbackSession, name)
            if name == "employee_comment":
                who = f"written by {employee.full_name}"
            elif name == "state":
                who = f"recorded on {_long(s.updated_at)}"
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
                    f"{head}: content removed under the retention policy on {_long(s.content_removed_on)}",
                    "appraisals.FeedbackSession",
                    s.pk,
                    "content_removed_on",
                    _plain(s.content_removed_on),
                )
            )
        current = {n: getattr(s, n) for n in (*SESSION_TEXT_FIELDS, "private_note")}
        for h in s.history.select_related("history_user__employee").order_by("history_date"):
            who = getattr(getattr(h, "history_user", None), "employee", None)
            saved = f"saved by {_name(who, 'the system')} on {_long(h.history_date)}"
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


def subject_access_items(employee: Employee) -> list[Item]:
    """Everything held about ``employee``, each item labelled with its source."""
    items: list[Item] = []
    e = employee
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
        value = _display(e, name)
        value = str(value) if hasattr(value, "pk") else value
        items.append(
            Item(
                "Profile",
                f"Employee record {e.pk}, {_field_label(Employee, name)}",
                "organisations.Employee",
                e.pk,
                name,
                value,
            )
        )
    if e.user:
        items.append(
            Item(
                "Profile",
                f"Employee record {e.pk}, username",
                "auth.User",
                e.user.pk,
                "username",
                e.user.get_username(),
            )
        )
    for c in (c for c in changes(e) if not c.event):  # exports have their own section
        for label, old, new in c.fields or [("(record)", "", c.kind)]:
            items.append(
                Item(
                    "Changes to the employee record",
                    f"Employee record {e.pk}, {c.kind.lower()} {label} by {c.who} on {_long(c.when)}"
                    + (f" (reason: {c.reason})" if c.reason else ""),
                    "organisations.HistoricalEmployee",
                    None,
                    label,
                    f"{old} -> {new}",
                )
            )
    for g in Goal.objects.filter(owner=e).select_related("created_by"):
        by = f"set by {_name(g.created_by)}" if g.created_by_id else "set"
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
    for ci in check_ins_about(e, complete=True):
        where = (
            f", entered in feedback session {ci.session_id} ({ci.session.get_state_display().lower()})"
            if ci.session_id
            else ""
        )
        source = f"Goal check-in {ci.pk} on goal '{ci.goal.title}', written by {_name(ci.author)} on {_long(ci.date)}{where}"
        for name in ("progress", "status", "comment"):
            value = _display(ci, name)
            if value not in ("", None):
                items.append(
                    Item("Goal check-ins", f"{source}, {name}", "appraisals.GoalCheckIn", ci.pk, name, value)
                )
    items += _session_items(e)
    for a in actions_about(e, complete=True):
        s = a.session
        source = (
            f"Action {a.pk} of feedback session {s.pk} ({s.get_state_display().lower()}), agreed in the session "
            f"held by {_name(s.manager)} on {_long(s.held_on)}, owner {_name(a.owner)}"
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
                        _plain(getattr(a, name)),
                    )
                )
    for r in ratings_about(e, complete=True):
        where = (
            f", entered in feedback session {r.session_id} ({r.session.get_state_display().lower()})"
            if r.session_id
            else ""
        )
        items.append(
            Item(
                "Skill ratings",
                f"Skill rating {r.pk}, {r.skill.name}, {r.get_source_display().lower()} by {_name(r.rated_by)} on {_long(r.rated_on)}{where}",
                "appraisals.SkillRating",
                r.pk,
                "level",
                r.get_level_display(),
            )
        )
    for gap in skill_gaps_of(e):
        items.append(
            Item(
                "Skills gaps (computed)",
                f"Skills gap {gap.pk}, {gap.skill.name}, computed by the skills job on {_long(gap.computed_at)}",
                "insights.SkillGap",
                gap.pk,
                "gap",
                f"required {gap.required_level}, current {gap.current_level}, gap {gap.gap}; "
                f"recommendation: {gap.get_recommendation_display() if gap.recommendation else 'none'}",
            )
        )
    for f in Flag.objects.filter(employee=e).select_related("acknowledged_by", "dismissed_by"):
        head = f"Flag {f.pk} ({f.get_kind_display()}), raised by the flag job on {_long(f.opened_at)}"
        for name, value, who in (
            ("title", f.title, ""),
            ("rule", f.rule, ""),
            ("evidence", f.evidence, ""),
            (
                "acknowledgement_note",
                f.acknowledgement_note,
                f", written by {_name(f.acknowledged_by)} on {_long(f.acknowledged_at)}",
            ),
            (
                "dismissal_reason",
                f.dismissal_reason,
                f", written by {_name(f.dismissed_by)} on {_long(f.dismissed_at)}",
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
    records = sign_in_records(e)
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
    for event in AuditEvent.objects.filter(subject=e):
        items.append(
            Item(
                "Subject access exports produced",
                f"Audit event {event.pk}, {event.get_kind_display().lower()} by {event.actor_name} on {_long(event.at)}",
                "organisations.AuditEvent",
                event.pk,
                "detail",
                event.detail,
            )
        )
    order = {s: i for i, s in enumerate(SECTIONS)}
    items.sort(key=lambda i: order[i.section])
    return items


def as_dicts(items: list[Item]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in asdict(i).items()} for i in items]
