"""Open, refresh and resolve flags in bulk from what a run computed.

A rule produces :class:`FlagCandidate` values; :func:`sync_flags` compares
them with the stored flags by stable key, in at most three queries:
new keys open flags, seen keys refresh them (a resolved one reopens), and
unresolved flags whose key was not produced are resolved. A dismissed flag
stays dismissed unless its severity rises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from organisations.bulk import insert_objects, update_objects
from organisations.models import Organisation

from .models import Flag
from .models.flags import SEVERITY_RANK

REFRESHED_FIELDS = ["severity", "title", "rule", "evidence", "service", "employee"]
UPDATED_FIELDS = [
    *REFRESHED_FIELDS,
    "last_seen_at",
    "resolved_at",
    "opened_at",
    "acknowledged_at",
    "acknowledged_by",
    "acknowledgement_note",
    "dismissed_at",
    "dismissed_by",
    "dismissal_reason",
    "dismissed_severity",
]


@dataclass(frozen=True)
class FlagCandidate:
    kind: str
    severity: str
    subject_type: str
    subject_id: int
    title: str
    rule: str
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    service_id: int | None = None
    employee_id: int | None = None
    # Defaults to "<kind>:<subject_type>:<subject_id>"; rules with several flags per
    # subject (a skill in a service) give a longer key.
    key: str = ""

    @property
    def stable_key(self) -> str:
        return self.key or f"{self.kind}:{self.subject_type}:{self.subject_id}"


def sync_flags(organisation: Organisation, candidates: list[FlagCandidate], now: datetime) -> dict[str, int]:
    """Three queries at most, whatever the number of flags: load the organisation's
    flags, insert the new ones, update the changed and the resolved ones."""
    by_key: dict[str, FlagCandidate] = {}
    for c in candidates:
        by_key[c.stable_key] = c  # a rule producing a key twice: the last wins
    # Every flag the organisation has ever had, resolved ones too (a key reopens its
    # own row), read whole rather than by ``key IN (...)``, which has no size limit.
    existing = {f.key: f for f in Flag.objects.filter(organisation=organisation)}
    to_create: list[Flag] = []
    to_update: list[Flag] = []
    counts = {"opened": 0, "reopened": 0, "refreshed": 0, "resolved": 0, "undismissed": 0}
    for key, c in by_key.items():
        flag = existing.get(key)
        if flag is None:
            to_create.append(
                Flag(
                    organisation=organisation,
                    kind=c.kind,
                    severity=c.severity,
                    key=key,
                    subject_type=c.subject_type,
                    subject_id=c.subject_id,
                    service_id=c.service_id,
                    employee_id=c.employee_id,
                    title=c.title,
                    rule=c.rule,
                    evidence=c.evidence,
                    opened_at=now,
                    last_seen_at=now,
                )
            )
            counts["opened"] += 1
            continue
        changed = False
        if flag.resolved_at is not None:
            # The condition came back: a new episode, reviewed afresh.
            flag.resolved_at = None
            flag.opened_at = now
            flag.acknowledged_at = flag.acknowledged_by = flag.dismissed_at = flag.dismissed_by = None
            flag.acknowledgement_note = flag.dismissal_reason = flag.dismissed_severity = ""
            counts["reopened"] += 1
            changed = True
        elif flag.dismissed_at is not None and SEVERITY_RANK[c.severity] > SEVERITY_RANK.get(
            flag.dismissed_severity or flag.severity, 0
        ):
            flag.dismissed_at = flag.dismissed_by = None
            flag.dismissal_reason = flag.dismissed_severity = ""
            counts["undismissed"] += 1
            changed = True
        new_values = {
            "severity": c.severity,
            "title": c.title,
            "rule": c.rule,
            "evidence": c.evidence,
            "service_id": c.service_id,
            "employee_id": c.employee_id,
        }
        for attr, value in new_values.items():
            if getattr(flag, attr) != value:
                setattr(flag, attr, value)
                changed = True
        if changed:
            flag.last_seen_at = now
            to_update.append(flag)
            counts["refreshed"] += 1
    for key, flag in existing.items():
        if key not in by_key and flag.resolved_at is None:
            flag.resolved_at = now
            to_update.append(flag)
            counts["resolved"] += 1
    insert_objects(Flag, to_create)
    update_objects(Flag, to_update, UPDATED_FIELDS)
    counts["open"] = len(by_key)
    return counts
