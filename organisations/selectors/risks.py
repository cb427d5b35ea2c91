"""Reads for the risk register: filtered lists, the 5x5 matrix and a risk's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from organisations.models import Employee, Risk, RiskAction, RiskCategory, RiskResponse, Service
from organisations.models.risks import RISK_EDITABLE_FIELDS
from organisations.rules import risks as risk_rules

# The band words shown beside a score, and the GOV.UK tag colour that goes with
# each (never the colour alone).
BAND_TAG_CLASSES = {
    risk_rules.LOW: "govuk-tag--green",
    risk_rules.MODERATE: "govuk-tag--yellow",
    risk_rules.HIGH: "govuk-tag--orange",
    risk_rules.EXTREME: "govuk-tag--red",
}


def band_scores(band: str) -> list[int]:
    """Every score 1..25 in a band, for filtering on the stored residual score."""
    return [s for s in range(risk_rules.MIN_SCORE, risk_rules.MAX_SCORE + 1) if risk_rules.band(s) == band]


def describe_score(likelihood: int, impact: int) -> dict[str, Any]:
    score = risk_rules.score(likelihood, impact)
    band = risk_rules.band(score)
    return {
        "likelihood": likelihood,
        "likelihood_label": risk_rules.LIKELIHOOD_LABELS[likelihood],
        "impact": impact,
        "impact_label": risk_rules.IMPACT_LABELS[impact],
        "score": score,
        "band": band,
        "band_label": risk_rules.BAND_LABELS[band],
        "tag_class": BAND_TAG_CLASSES[band],
    }


def filter_register(
    qs: QuerySet[Risk],
    *,
    today: date,
    service_ids: set[int] | None = None,
    corporate: bool = False,
    category: str = "",
    band: str = "",
    status: str = "open",
    owner_id: int | None = None,
    overdue: bool = False,
    likelihood: int | None = None,
    impact: int | None = None,
    text: str = "",
) -> QuerySet[Risk]:
    """The register's filters on a queryset of one organisation's risks."""
    if text:
        qs = qs.filter(Q(reference__icontains=text) | Q(title__icontains=text))
    if corporate:
        qs = qs.filter(service__isnull=True)
    elif service_ids is not None:
        qs = qs.filter(service_id__in=service_ids)
    if category:
        qs = qs.filter(category=category)
    if band:
        qs = qs.filter(residual_score__in=band_scores(band))
    if status == "open":
        qs = qs.filter(is_open=True)
    elif status == "closed":
        qs = qs.filter(is_open=False)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if overdue:
        qs = qs.filter(is_open=True, review_due__lt=today)
    if likelihood:
        qs = qs.filter(residual_likelihood=likelihood)
    if impact:
        qs = qs.filter(residual_impact=impact)
    return qs


@dataclass
class MatrixCell:
    likelihood: int
    impact: int
    score: int
    band: str
    count: int

    @property
    def band_label(self) -> str:
        return risk_rules.BAND_LABELS[self.band]

    @property
    def tag_class(self) -> str:
        return BAND_TAG_CLASSES[self.band]


@dataclass
class MatrixRow:
    likelihood: int
    label: str
    cells: list[MatrixCell] = field(default_factory=list)


def risk_matrix(qs: QuerySet[Risk]) -> tuple[list[MatrixRow], dict[str, int]]:
    """Counts of risks by residual likelihood and impact, in one query: rows
    likelihood 5 down to 1, cells impact 1 to 5; and the count in each band."""
    counts = {
        (row["residual_likelihood"], row["residual_impact"]): row["n"]
        for row in qs.order_by().values("residual_likelihood", "residual_impact").annotate(n=Count("pk"))
    }
    rows: dict[int, MatrixRow] = {}
    by_band = {b: 0 for b in risk_rules.BANDS}
    for likelihood, impact, score, band in risk_rules.matrix_cells():
        row = rows.setdefault(likelihood, MatrixRow(likelihood, risk_rules.LIKELIHOOD_LABELS[likelihood]))
        n = counts.get((likelihood, impact), 0)
        row.cells.append(MatrixCell(likelihood, impact, score, band, n))
        by_band[band] += n
    return list(rows.values()), by_band


# --- history ---------------------------------------------------------------
TRACKED = [Risk._meta.get_field(name).attname for name in RISK_EDITABLE_FIELDS]


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    summary: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _display(name: str, value: Any, services: dict[int, str], people: dict[int, str]) -> str:
    if value is None or value == "":
        return {"service_id": "Corporate (strategic)", "owner_id": "No owner"}.get(name, "None")
    if name == "service_id":
        return services.get(value, "A service since removed")
    if name == "owner_id":
        return people.get(value, "Someone since removed")
    if name.endswith("_likelihood"):
        return f"{value} – {risk_rules.LIKELIHOOD_LABELS.get(value, '?')}"
    if name.endswith("_impact"):
        return f"{value} – {risk_rules.IMPACT_LABELS.get(value, '?')}"
    if name == "category":
        return dict(RiskCategory.choices).get(value, value)
    if name == "response":
        return dict(RiskResponse.choices).get(value, value)
    if name == "is_open":
        return "Open" if value else "Closed"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _label(name: str) -> str:
    return str(Risk._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def risk_history(risk: Risk, services: list[Service]) -> list[HistoryEntry]:
    """Every recorded version of the risk and its actions, newest first, with what
    changed and who changed it. Three queries: the risk's versions, its actions'
    versions, and the names of the people they mention."""
    versions = list(risk.history.select_related("history_user").order_by("history_date", "history_id"))
    action_versions = list(
        RiskAction.history.filter(risk_id=risk.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    people_ids = {v.owner_id for v in versions if v.owner_id}
    people = dict(
        (e.pk, e.full_name)
        for e in Employee.objects.filter(pk__in=people_ids).only("first_name", "last_name")
    )
    service_names = {s.pk: s.name for s in services}
    entries: list[HistoryEntry] = []
    previous = None
    for v in versions:
        reason = v.history_change_reason or ""
        if previous is None:
            entries.append(HistoryEntry(v.history_date, _who(v), reason or "Recorded"))
        else:
            changes = [
                (
                    _label(name),
                    _display(name, getattr(previous, name), service_names, people),
                    _display(name, getattr(v, name), service_names, people),
                )
                for name in TRACKED
                if getattr(previous, name) != getattr(v, name)
            ]
            if changes or reason:
                entries.append(HistoryEntry(v.history_date, _who(v), reason or "Updated", changes))
        previous = v
    seen_actions: dict[int, Any] = {}
    for a in action_versions:
        before = seen_actions.get(a.id)
        if before is None:
            summary = f"Action added: {a.description} (due {_display('due', a.due, {}, {})})"
        elif before.done is None and a.done is not None:
            summary = f"Action done: {a.description}"
        else:
            summary = f"Action changed: {a.description}"
        entries.append(HistoryEntry(a.history_date, _who(a), summary))
        seen_actions[a.id] = a
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
