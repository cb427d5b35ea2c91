"""My data: what the product holds about one person, for that person (UK GDPR
right of access).

Never the manager's private note, never a draft session nor anything written in
one (its actions, the goal check-ins and skill ratings entered in it): a draft
is its author's until shared. Flags about them are included with their
evidence, computed skills gaps with how they are computed, sign-in records,
who changed their employee record, and who produced a subject access export
about them. The queries are shared with the complete export
(``personal_records.py``), so the two cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from appraisals.models import AgendaTopic, DevelopmentItem, Goal
from core.clock import now
from insights.models import Flag
from insights.selectors.personal_records import (
    SKILL_GAP_METHOD,
    actions_about,
    check_ins_about,
    feedback_released_to,
    ratings_about,
    record_history,
    sessions_about,
    sign_in_records,
    skill_gaps_of,
)
from organisations.models import AuditEvent, Employee
from organisations.services.kpi_csv import protect_cell

SESSION_FIELDS = [
    "id",
    "held_on",
    "kind",
    "state",
    "discussion",
    "achievements",
    "development_areas",
    "wellbeing",
    "overall_assessment",
    "next_session_on",
    "employee_comment",
    "shared_at",
    "acknowledged_at",
    "change_reason",  # the manager's reason for changing a shared session
    "content_removed_on",
]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(qs, fields: list[str]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in qs.values(*fields)]


def personal_data(employee: Employee) -> dict[str, Any]:
    sessions = sessions_about(employee, complete=False)
    assert "private_note" not in SESSION_FIELDS
    return {
        "generated_at": now().isoformat(timespec="seconds"),
        "profile": {
            "name": employee.full_name,
            "email": employee.email,
            "organisation": employee.organisation.name,
            "service": employee.service.name,
            "job_role": employee.job_role.title if employee.job_role else None,
            "grade": employee.job_role.grade if employee.job_role else None,
            "line_manager": employee.line_manager.full_name if employee.line_manager else None,
            "employment_type": employee.get_employment_type_display(),
            "start_date": _plain(employee.start_date),
            "end_date": _plain(employee.end_date),
            "fte": _plain(employee.fte),
            "feedback_interval_days": employee.feedback_interval_days,
            "username": employee.user.get_username() if employee.user else None,
        },
        "goals": _rows(
            Goal.objects.filter(owner=employee),
            [
                "id",
                "title",
                "description",
                "success_measure",
                "level",
                "status",
                "progress",
                "weight",
                "start_date",
                "due_date",
                "parent__title",
                "kpi__code",
                "kpi__name",
            ],
        ),
        "goal_check_ins": _rows(
            check_ins_about(employee, complete=False),
            [
                "id",
                "goal_id",
                "goal__title",
                "date",
                "progress",
                "status",
                "comment",
                "author__first_name",
                "author__last_name",
            ],
        ),
        "feedback_sessions": _rows(sessions, [*SESSION_FIELDS, "manager__first_name", "manager__last_name"]),
        "actions": _rows(
            actions_about(employee, complete=False),
            ["id", "session_id", "description", "due_on", "done_on", "owner__first_name", "owner__last_name"],
        ),
        "agenda_topics": _rows(
            AgendaTopic.objects.filter(employee=employee),
            [
                "id",
                "text",
                "added_at",
                "added_by__first_name",
                "added_by__last_name",
                "discussed_in_id",
                "times_carried_over",
            ],
        ),
        # Released to the person by their manager, named or as from "A colleague".
        "feedback_from_colleagues": [
            {
                "id": r.pk,
                "request_id": r.request_id,
                "asked_at": _plain(r.request.requested_at),
                "released_at": _plain(r.released_at),
                "from": r.from_words,
                "answers": [{"question": q, "answer": a} for q, a in r.question_answers()],
            }
            for r in feedback_released_to(employee)
        ],
        "skill_ratings": _rows(
            ratings_about(employee, complete=False),
            [
                "id",
                "skill__name",
                "level",
                "source",
                "rated_on",
                "rated_by__first_name",
                "rated_by__last_name",
                "session_id",
            ],
        ),
        "skill_gaps_how_computed": SKILL_GAP_METHOD,
        "skill_gaps": _rows(
            skill_gaps_of(employee),
            [
                "id",
                "skill__name",
                "essential",
                "required_level",
                "current_level",
                "gap",
                "recommendation",
                "reasons",
                "recovery_on",
                "first_seen_on",
                "computed_at",
            ],
        ),
        "development_items": _rows(
            DevelopmentItem.objects.filter(employee=employee).order_by("pk"),
            [
                "id",
                "skill__name",
                "target_level",
                "kind",
                "title",
                "provider",
                "starts_on",
                "ends_on",
                "cost",
                "status",
                "completed_on",
                "session_id",
            ],
        ),
        "flags_about_me": _rows(
            Flag.objects.filter(employee=employee),
            [
                "id",
                "kind",
                "severity",
                "title",
                "rule",
                "evidence",
                "opened_at",
                "last_seen_at",
                "resolved_at",
                "acknowledged_at",
                "acknowledgement_note",
                "dismissed_at",
                "dismissal_reason",
            ],
        ),
        **sign_in_records(employee),
        "employee_record_history": record_history(employee),
        "subject_access_exports_about_me": _rows(
            AuditEvent.objects.filter(subject=employee), ["id", "kind", "at", "actor_name", "detail"]
        ),
    }


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, default=str)


def csv_cell(value: Any) -> Any:
    """A value for the CSV: text that a spreadsheet would run as a formula (a
    session note starting "=") gets the apostrophe spreadsheets hide."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, default=str)
    return protect_cell(value) if isinstance(value, str) else value


def as_csv(data: dict[str, Any]) -> str:
    """One long table: section, record, field, value, so every section fits one file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "record", "field", "value"])
    for section, content in data.items():
        if isinstance(content, dict):
            for field, value in content.items():
                writer.writerow([section, "", field, csv_cell(value)])
        elif isinstance(content, list):
            for row in content:
                for field, value in row.items():
                    writer.writerow([section, row.get("id", ""), field, csv_cell(value)])
        else:
            writer.writerow([section, "", "", csv_cell(content)])
    return buffer.getvalue()
