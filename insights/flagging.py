"""Open, refresh and resolve flags in bulk from what a run computed.

A rule produces :class:`FlagCandidate` values; :func:`sync_flags` compares
them with the stored flags by stable key, in a fixed number of queries:
new keys open flags, seen keys refresh them (a resolved one reopens), and
unresolved flags whose key was not produced are resolved. A dismissed flag
stays dismissed unless its severity rises above the severity it was
dismissed at.

Nothing is written for a flag whose computed values did not change, so a
second run over the same data changes no row (``last_seen_at`` is "last
changed"; a page shows an unresolved flag as seen by the last run). State
changes (opened, reopened, resolved, severity changed, dismissal lifted) are
recorded in the flag's history, in bulk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from organisations.models import Organisation

from .models import Flag
from .models.flags import SEVERITY_RANK

REFRESHED_FIELDS = ["severity", "title", "rule", "evidence", "service", "employee", "last_seen_at"]
# A reopened or undismissed flag also changes its review state.
STATE_FIELDS = [
    *REFRESHED_FIELDS,
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
TITLE_MAX = Flag._meta.get_field("title").max_length
# Rows per bulk statement (SQLite caps it lower, by its parameter limit).
BATCH = 1000


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


def _json_safe(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence as it will read back from the database (tuples become lists,
    dates ISO strings, decimals strings), so comparing it with a stored flag's
    evidence is stable and a second run sees no change."""
    return json.loads(json.dumps(evidence, cls=DjangoJSONEncoder, sort_keys=True))


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


def sync_flags(organisation: Organisation, candidates: list[FlagCandidate], now: datetime) -> dict[str, int]:
    by_key: dict[str, FlagCandidate] = {}
    for c in candidates:
        by_key[c.stable_key] = c  # a rule producing a key twice: the last wins

    # Every unresolved flag (to refresh or resolve), and only the key and id of
    # resolved ones (they accumulate over the years; few come back).
    unresolved = {f.key: f for f in Flag.objects.filter(organisation=organisation, resolved_at__isnull=True)}
    resolved_ids = {
        key: pk
        for key, pk in Flag.objects.filter(organisation=organisation, resolved_at__isnull=False).values_list(
            "key", "pk"
        )
        if key in by_key
    }
    returning = {f.key: f for f in Flag.objects.filter(pk__in=list(resolved_ids.values()))}
    existing = {**returning, **unresolved}

    to_create: list[Flag] = []
    to_refresh: list[Flag] = []  # new values only
    to_restate: list[Flag] = []  # reopened or undismissed: the review fields too
    history: list[Flag] = []  # updated flags whose change is worth a history record
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
        restated = True  # the review state changes (reopened or undismissed)
        if flag.resolved_at is not None:
            # The condition came back: a new episode, reviewed afresh.
            flag.resolved_at = None
            flag.opened_at = now
            flag.acknowledged_at = flag.acknowledged_by = flag.dismissed_at = flag.dismissed_by = None
            flag.acknowledgement_note = flag.dismissal_reason = flag.dismissed_severity = ""
            counts["reopened"] += 1
            reason = "Reopened: the condition came back"
        elif flag.dismissed_at is not None and _rank(c.severity) > _rank(
            flag.dismissed_severity or flag.severity
        ):
            flag.dismissed_at = flag.dismissed_by = None
            flag.dismissal_reason = flag.dismissed_severity = ""
            counts["undismissed"] += 1
            reason = f"Dismissal lifted: severity rose to {c.severity}"
        else:
            restated = False
        if not reason and flag.severity != c.severity:
            reason = f"Severity changed from {flag.severity} to {c.severity}"
        new_values = {
            "severity": c.severity,
            "title": title,
            "rule": c.rule,
            "evidence": evidence,
            "service_id": c.service_id,
            "employee_id": c.employee_id,
        }
        changed = bool(reason)
        for attr, value in new_values.items():
            if getattr(flag, attr) != value:
                setattr(flag, attr, value)
                changed = True
        if changed:
            flag.last_seen_at = now
            (to_restate if restated else to_refresh).append(flag)
            counts["refreshed"] += 1
            if reason:
                flag._change_reason = reason
                history.append(flag)

    stale = [f for key, f in unresolved.items() if key not in by_key]
    for flag in stale:
        flag.resolved_at = now
        flag._change_reason = "Resolved: the condition cleared"

    history_manager = Flag.history
    if to_create:
        Flag.objects.bulk_create(to_create, batch_size=BATCH)
        if to_create[0].pk is None:  # a backend that does not return ids
            ids = dict(
                Flag.objects.filter(
                    organisation=organisation, key__in=[f.key for f in to_create]
                ).values_list("key", "pk")
            )
            for f in to_create:
                f.pk = f.id = ids[f.key]
        history_manager.bulk_history_create(to_create, batch_size=BATCH, default_date=now)
    if to_refresh:
        Flag.objects.bulk_update(to_refresh, REFRESHED_FIELDS, batch_size=BATCH)
    if to_restate:
        Flag.objects.bulk_update(to_restate, STATE_FIELDS, batch_size=BATCH)
    if stale:
        stale_ids = [f.pk for f in stale]
        for i in range(0, len(stale_ids), BATCH):
            Flag.objects.filter(pk__in=stale_ids[i : i + BATCH]).update(resolved_at=now)
    if history or stale:
        history_manager.bulk_history_create(
            [*history, *stale], batch_size=BATCH, update=True, default_date=now
        )
    counts["resolved"] = len(stale)
    counts["open"] = len(by_key)
    return counts
