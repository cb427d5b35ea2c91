"""Flags needing attention, top skills gaps and risks.

Set-based: a fixed number of queries whatever the size of the tree; each
function's docstring gives its count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, Q, Subquery, Value, When

from insights.models import Flag, FlagSeverity, SkillGap
from insights.models.flags import SEVERITY_RANK, personal_q
from organisations.models import Organisation, Risk

# --- Flags -------------------------------------------------------------------

# A flag opened within this many days is new: it leads the dashboard's list, marked.
NEW_FLAG_DAYS = 7

# Most severe first, by SEVERITY_RANK: order_by(SEVERITY_ORDER) sorts as the rank does.
SEVERITY_ORDER = Case(
    *(When(severity=severity, then=Value(-rank)) for severity, rank in SEVERITY_RANK.items()),
    default=Value(0),
    output_field=IntegerField(),
)


@dataclass
class SeverityCount:
    severity: str
    label: str
    listed: int = 0  # flags whose content this viewer is shown
    personal: int = 0  # flags about a person, counted only when not listed
    new: int = 0  # of both, opened since the summary's new_since

    @property
    def total(self) -> int:
        return self.listed + self.personal


@dataclass
class FlagSummary:
    counts: list[SeverityCount]
    flags: list[Flag]
    include_personal: bool
    limit: int
    new_since: datetime | None = None  # a flag opened since then is marked as recent
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def listed_total(self) -> int:
        return sum(c.listed for c in self.counts)

    @property
    def personal_total(self) -> int:
        return sum(c.personal for c in self.counts)

    @property
    def new_total(self) -> int:
        return sum(c.new for c in self.counts)

    @property
    def more(self) -> int:
        return max(0, self.listed_total - len(self.flags))


def flags_by_severity(
    viewer,
    service_ids: Iterable[int],
    *,
    new_since: datetime | None = None,
    limit: int = 20,
) -> FlagSummary:
    """Flags needing attention in the services that the viewer may see
    (``Flag.objects.visible_to``): those opened since ``new_since`` first, then by
    severity and newest first.

    Flags about a person the viewer may not see (they are for the person's chain
    and head of service) are counted, never listed, and a flag about the viewer
    themselves is neither. Three queries."""
    ids = list(service_ids)
    visible = Flag.objects.visible_to(viewer).needing_attention().filter(service_id__in=ids)
    others = (
        Flag.objects.in_organisation(viewer.organisation)
        .needing_attention()
        .filter(service_id__in=ids)
        .filter(personal_q())
        .exclude(employee_id=viewer.employee.pk)
        .exclude(pk__in=visible.values("pk"))
    )
    counts = {s.value: SeverityCount(s.value, s.label) for s in FlagSeverity}
    annotations = {"n": Count("pk")}
    ordering: tuple = (SEVERITY_ORDER, "-opened_at", "-pk")
    if new_since is not None:
        is_new = Q(opened_at__gte=new_since)
        annotations["new"] = Count("pk", filter=is_new)
        ordering = (
            Case(When(is_new, then=Value(0)), default=Value(1), output_field=IntegerField()),
            *ordering,
        )
    for qs, attribute in ((visible, "listed"), (others, "personal")):
        for g in qs.order_by().values("severity").annotate(**annotations):
            row = counts.get(g["severity"])
            if row is None:
                continue
            row.new += g.get("new", 0)
            setattr(row, attribute, getattr(row, attribute) + g["n"])
    # The first few picked on the flags alone, then joined to their service and
    # person: joining first would join every flag of the tree only to keep 20.
    first = visible.order_by(*ordering).values("pk")[:limit]
    flags = list(
        Flag.objects.filter(pk__in=Subquery(first)).select_related("service", "employee").order_by(*ordering)
    )
    summary = FlagSummary(
        counts=list(counts.values()),
        flags=flags,
        include_personal=not any(c.personal for c in counts.values()),
        limit=limit,
        new_since=new_since,
    )
    return summary


def high_flags_by_service(organisation: Organisation) -> dict[int, int]:
    """High-severity flags needing attention, counted by service. One query."""
    return dict(
        Flag.objects.needing_attention()
        .filter(organisation=organisation, severity=FlagSeverity.HIGH, service__isnull=False)
        .order_by()
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    )


# --- Skills gaps and risks -------------------------------------------------


def top_skill_gaps(
    organisation: Organisation, service_ids: Iterable[int], *, limit: int = 10
) -> list[SkillGap]:
    """Service-level skills gaps (not one person's) in the services, worst
    coverage first, essential skills before desirable. One query."""
    return list(
        SkillGap.objects.filter(
            organisation=organisation, employee__isnull=True, service_id__in=list(service_ids)
        )
        .filter(Q(people_meeting__lt=F("people_required")) | ~Q(recommendation=""))
        .select_related("skill", "service")
        .order_by("coverage", "-essential", "-people_required", "skill__name", "pk")[:limit]
    )


def top_risks(
    organisation: Organisation,
    service_ids: Iterable[int] | None = None,
    *,
    above_target_only: bool = False,
    limit: int | None = 10,
) -> list[Risk]:
    """Open risks by residual score, highest first; None for ``service_ids`` is the
    whole register (corporate risks included). One query."""
    qs = Risk.objects.filter(organisation=organisation, is_open=True)
    if service_ids is not None:
        qs = qs.filter(service_id__in=list(service_ids))
    if above_target_only:
        qs = qs.filter(residual_score__gt=F("target_likelihood") * F("target_impact"))
    qs = qs.select_related("service", "owner").order_by("-residual_score", "title", "pk")
    return list(qs[:limit] if limit else qs)
