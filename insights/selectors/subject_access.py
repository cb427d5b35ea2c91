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

The shared queries are in ``personal_records.py``; each section of the export
is gathered in ``subject_access_sections.py``; this module puts them in order.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from insights.selectors.personal_records import plain
from insights.selectors.subject_access_sections import (
    Item,
    action_items,
    check_in_items,
    export_items,
    feedback_items,
    flag_items,
    goal_items,
    profile_items,
    record_change_items,
    session_items,
    sign_in_items,
)
from insights.selectors.subject_access_skills import development_items, rating_items, skill_gap_items
from organisations.models import Employee

SECTIONS = (
    "Profile",
    "Changes to the employee record",
    "Goals",
    "Goal check-ins",
    "Feedback sessions",
    "Earlier versions of feedback sessions",
    "Actions",
    "Feedback from colleagues",
    "Skill ratings",
    "Skills gaps (computed)",
    "Development plan",
    "Flags about the person",
    "Sign-in records",
    "Subject access exports produced",
)


def subject_access_items(employee: Employee) -> list[Item]:
    """Everything held about ``employee``, each item labelled with its source."""
    items: list[Item] = []
    for gather in (
        profile_items,
        record_change_items,
        goal_items,
        check_in_items,
        session_items,
        action_items,
        feedback_items,
        rating_items,
        skill_gap_items,
        development_items,
        flag_items,
        sign_in_items,
        export_items,
    ):
        items += gather(employee)
    order = {s: i for i, s in enumerate(SECTIONS)}
    items.sort(key=lambda i: order[i.section])
    return items


def as_dicts(items: list[Item]) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in asdict(i).items()} for i in items]
