"""Open, refresh and resolve flags in bulk from what a run computed.

A rule produces :class:`FlagCandidate` values; :func:`sync_flags` compares
them with the stored flags by stable key, in at most three queries:
new keys open flags, seen keys refresh them (a resolved one reopens), and
unresolved flags whose key was not produced are resolved. A dismissed flag
stays dismissed unless its severity rises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from core.bulk import insert_objects, update_objects
from insights.models import Flag
from insights.models.flags import SEVERITY_RANK
from insights.services.flag_notices import flags_notify
from organisations.models import Organisation

REFRESHED_FIELDS = ["severity", "title", "rule", "evidence", "service", "employee", "owner"]
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
    "escalated_to",
    "escalated_at",
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
    # Who is expected to act: filled in by insights.services.flag_owners when a rule leaves it.
    owner_id: int | None = None
    # Defaults to "<kind>:<subject_type>:<subject_id>"; rules with several flags per
    # subject (a skill in a service) give a longer key.
    key: str = ""

    @property
    def stable_key(self) -> str:
        return self.key or f"{self.kind}:{self.subject_type}:{self.subject_id}"


TITLE_MAX = Flag._meta.get_field("title").max_length


def _json_safe(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence as it reads back from the database (tuples become lists, dates
    ISO strings, decimals strings), so comparing it with a stored flag's evidence is
    stable and a second run sees no change."""
    return json.loads(json.dumps(evidence, cls=DjangoJSONEncoder, sort_keys=True))


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


def history_rows(flags: list[Flag], now: datetime, history_type: str) -> list:
    """Historical rows for simple-history, written in one statement like the flags."""
    model = Flag.history.model
    tracked = [f for f in model._meta.concrete_fields if not f.name.startswith("history_")]
    return [
        model(
            **{f.attname: getattr(flag, f.attname) for f in tracked},
            history_date=now,
            history_type=history_type,
            history_change_reason=getattr(flag, "_change_reason", ""),
            history_user=None,
        )
        for flag in flags
    ]


def sync_flags(
    organisation: Organisation,
    candidates: list[FlagCandidate],
    now: datetime,
    keep: Callable[[list[FlagCandidate], set[str]], list[FlagCandidate]] | None = None,
    within: Any = None,
) -> dict[str, int]:
    """A fixed number of queries whatever the number of flags: load the organisation's
    flags, insert the new ones (and read back their ids), update the changed and the
    resolved ones, and write one history row per state change. ``keep``, given the
    candidates and the keys of the flags open now, says which to write (the run's
    severity floor, ``recompute.worth_a_flag``). ``within`` (an incremental run's
    slice) limits both the candidates and the stored flags to those it holds."""
    # Every flag the organisation has ever had, resolved ones too (a key reopens its
    # own row), read whole rather than by ``key IN (...)``, which has no size limit.
    stored = Flag.objects.filter(organisation=organisation)
    if within is not None:
        # An incremental run: only the flags of its slice are its to open, change or
        # resolve (and any stored under a candidate's key: a person who moved).
        candidates = [
            c for c in candidates if within.holds(c.kind, c.subject_type, c.subject_id, c.service_id)
        ]
        keys = [c.stable_key for c in candidates]
        stored = stored.filter(within.flags_q() | Q(key__in=keys))
    existing = {f.key: f for f in stored}
    if within is not None:
        existing = {
            k: f
            for k, f in existing.items()
            if k in keys or within.holds(f.kind, f.subject_type, f.subject_id, f.service_id)
        }
    if keep is not None:
        candidates = keep(candidates, {k for k, f in existing.items() if f.resolved_at is None})
    by_key: dict[str, FlagCandidate] = {}
    for c in candidates:
        by_key[c.stable_key] = c  # a rule producing a key twice: the last wins
    to_create: list[Flag] = []
    to_update: list[Flag] = []
    # Reopened, or given to someone new: their owner hears of it (flag_notices).
    to_announce: list[Flag] = []
    history: list[Flag] = []
    counts = {"opened": 0, "reopened": 0, "refreshed": 0, "resolved": 0, "undismissed": 0}
    for key, c in by_key.items():
        evidence = _json_safe(c.evidence)
        title = c.title[:TITLE_MAX]
        flag = existing.get(key)
        if flag is None:
            flag = Flag(
                organisation=organisation,
                kind=c.kind,
                severity=c.severity,
                key=key,
                subject_type=c.subject_type,
                subject_id=c.subject_id,
                service_id=c.service_id,
                employee_id=c.employee_id,
                owner_id=c.owner_id,
                title=title,
                rule=c.rule,
                evidence=evidence,
                opened_at=now,
                last_seen_at=now,
            )
            flag._change_reason = "Opened"
            to_create.append(flag)
            counts["opened"] += 1
            continue
        reason = ""
        reopened = flag.resolved_at is not None
        if reopened:
            # The condition came back: a new episode, reviewed afresh.
            flag.resolved_at = None
            flag.opened_at = now
            flag.acknowledged_at = flag.acknowledged_by = flag.dismissed_at = flag.dismissed_by = None
            flag.acknowledgement_note = flag.dismissal_reason = flag.dismissed_severity = ""
            flag.escalated_to = flag.escalated_at = None
            counts["reopened"] += 1
            reason = "Reopened: the condition came back"
        elif flag.dismissed_at is not None and _rank(c.severity) > _rank(
            flag.dismissed_severity or flag.severity
        ):
            flag.dismissed_at = flag.dismissed_by = None
            flag.dismissal_reason = flag.dismissed_severity = ""
            counts["undismissed"] += 1
            reason = f"Dismissal lifted: severity rose to {c.severity}"
        if not reason and flag.severity != c.severity:
            reason = f"Severity changed from {flag.severity} to {c.severity}"
        new_values = {
            "severity": c.severity,
            "title": title,
            "rule": c.rule,
            "evidence": evidence,
            "service_id": c.service_id,
            "employee_id": c.employee_id,
            "owner_id": c.owner_id,
        }
        changed = bool(reason)
        if c.owner_id is not None and (reopened or flag.owner_id != c.owner_id):
            to_announce.append(flag)
        for attr, value in new_values.items():
            if getattr(flag, attr) != value:
                setattr(flag, attr, value)
                changed = True
        if changed:
            flag.last_seen_at = now
            to_update.append(flag)
            counts["refreshed"] += 1
            if reason:
                flag._change_reason = reason
                history.append(flag)
    for key, flag in existing.items():
        if key not in by_key and flag.resolved_at is None:
            flag.resolved_at = now
            flag._change_reason = "Resolved: the condition cleared"
            to_update.append(flag)
            history.append(flag)
            counts["resolved"] += 1
    insert_objects(Flag, to_create)
    if to_create:
        ids = dict(Flag.objects.filter(organisation=organisation, opened_at=now).values_list("key", "pk"))
        for flag in to_create:
            flag.pk = flag.id = ids.get(flag.key)
    update_objects(Flag, to_update, UPDATED_FIELDS)
    rows = history_rows([f for f in to_create if f.pk], now, "+") + history_rows(history, now, "~")
    insert_objects(Flag.history.model, rows)
    flags_notify(
        [f for f in to_create if f.pk]
        + [f for f in to_announce if f.resolved_at is None and not f.dismissed_at],
        now,
    )
    counts["open"] = len(by_key)
    return counts
