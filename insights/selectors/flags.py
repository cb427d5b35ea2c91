"""Flags needing attention, top skills gaps and risks.

Set-based: a fixed number of queries whatever the size of the tree; each
function's docstring gives its count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, Q, Subquery, Value, When

from insights.models import Flag, FlagSeverity, SkillGap
from insights.models.flags import SEVERITY_RANK
from organisations.models import Organisation, Risk
from organisations.rules import risks as risk_rules

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
    n: int = 0


@dataclass
class Attention:
    """What needs the viewer's attention (``Flag.objects.for_attention``), the first
    few of it, and the flags held by the people below them, counted."""

    viewer_id: int
    items: list[Flag]
    counts: list[SeverityCount]
    below: list[SeverityCount]
    new_since: datetime | None = None
    new_total: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)

    @property
    def below_total(self) -> int:
        return sum(c.n for c in self.below)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))

    @property
    def below_words(self) -> str:
        return severity_words(self.below)


def severity_words(counts: list[SeverityCount]) -> str:
    """ "3 high, 10 medium": the severities with any flags."""
    return ", ".join(f"{c.n} {c.label.lower()}" for c in counts if c.n)


def _by_severity(qs, new_since: datetime | None = None) -> tuple[list[SeverityCount], int]:
    """Counts by severity, and how many opened since ``new_since``. One query."""
    counts = {s.value: SeverityCount(s.value, s.label) for s in FlagSeverity}
    new = Count("pk", filter=Q(opened_at__gte=new_since)) if new_since else Value(0)
    new_total = 0
    for severity, n, fresh in qs.order_by().values_list("severity").annotate(n=Count("pk"), new=new):
        if severity in counts:
            counts[severity].n = n
            new_total += fresh
    return list(counts.values()), new_total


def attention(viewer, *, new_since: datetime | None = None, limit: int = 10) -> Attention:
    """The viewer's "needs your attention" list: escalated to them first, then
    those not yet acknowledged, then those opened since ``new_since``, then by
    severity and newest first; with the
    counts the flag list's tabs show. Four queries."""
    mine = Flag.objects.for_attention(viewer).needing_attention()
    me = viewer.employee.pk
    ordering: list = [
        Case(When(escalated_to_id=me, then=Value(0)), default=Value(1), output_field=IntegerField()),
        # Those nobody has acknowledged yet before those in hand.
        Case(
            When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
    ]
    if new_since is not None:
        is_new = Q(opened_at__gte=new_since)
        ordering.append(Case(When(is_new, then=Value(0)), default=Value(1), output_field=IntegerField()))
    ordering += [SEVERITY_ORDER, "-opened_at", "-pk"]
    # The first few picked on the flags alone, then joined to their service, person
    # and owner: joining first would join every flag only to keep ten.
    first = mine.order_by(*ordering).values("pk")[:limit]
    items = list(
        Flag.objects.filter(pk__in=Subquery(first))
        .select_related("service", "employee", "owner")
        .order_by(*ordering)
    )
    counts, new_total = _by_severity(mine, new_since)
    return Attention(
        viewer_id=me,
        items=items,
        counts=counts,
        below=_by_severity(Flag.objects.held_below(viewer).needing_attention())[0],
        new_since=new_since,
        new_total=new_total,
    )


def flag_scopes(viewer) -> dict:
    """The flag list's tabs, by name: the same querysets the dashboards count."""
    return {
        "attention": Flag.objects.for_attention(viewer),
        "below": Flag.objects.held_below(viewer),
        "all": Flag.objects.visible_to(viewer),
    }


def service_flag_counts(viewer, service_ids: Iterable[int]) -> list[SeverityCount]:
    """Flags needing attention in these services that the viewer may see, by
    severity (a drill-down dashboard's figure). One query."""
    return _by_severity(
        Flag.objects.visible_to(viewer).needing_attention().filter(service_id__in=list(service_ids))
    )[0]


def high_flags_by_service(viewer) -> dict[int, int]:
    """High-severity flags needing attention that the viewer may see, counted by
    service (the same rule as every other flag count). One query."""
    return dict(
        Flag.objects.visible_to(viewer)
        .needing_attention()
        .filter(severity=FlagSeverity.HIGH, service__isnull=False)
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


def risks_needing_attention(organisation: Organisation, service_ids: Iterable[int], today) -> list[Risk]:
    """Open risks in the services above their target score or past their review
    date, highest residual first. One query (a service has a handful)."""
    qs = (
        Risk.objects.filter(organisation=organisation, is_open=True, service_id__in=list(service_ids))
        .filter(Q(residual_score__gt=F("target_likelihood") * F("target_impact")) | Q(review_due__lt=today))
        .select_related("service", "owner")
        .order_by("-residual_score", "review_due", "title", "pk")
    )
    risks = list(qs)
    for r in risks:
        r.review_overdue = r.review_due is not None and r.review_due < today
        r.above_target = r.residual_score > r.target_score
    return risks


def risks_in_words(risks: list[Risk]) -> str:
    """ "1 extreme and 3 high above target; 2 overdue for review"."""
    bands: dict[str, int] = {}
    for r in risks:
        if r.above_target:
            label = risk_rules.BAND_LABELS.get(r.residual_band, r.residual_band).lower()
            bands[label] = bands.get(label, 0) + 1
    parts = []
    if bands:
        words = [f"{n} {label}" for label, n in bands.items()]
        parts.append(
            (" and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0])
            + " above target"
        )
    overdue = sum(1 for r in risks if r.review_overdue)
    if overdue:
        parts.append(f"{overdue} overdue for review")
    return "; ".join(parts)


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
