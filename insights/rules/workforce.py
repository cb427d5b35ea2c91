"""Flag rules over the workforce mix: ``interim_contract_ending`` (about a person)
and ``interim_reliance`` (about a service, with everything below it).

The pure functions decide from plain values; :func:`candidates` loads what
they need in three queries whatever the organisation's size.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import thresholds as t
from insights.services.figures import own_counts
from insights.services.flagging import FlagCandidate
from insights.services.scope import has_people, in_slice, sliced
from organisations.models import Employee, EmploymentType, Service
from organisations.models.people import CONTINGENT_TYPES
from organisations.rules.workforce import above_threshold, interim_share  # noqa: F401 (interim_share re-exported)

CONTRACT_RULE = (
    f"An interim or agency contract ending within {t.INTERIM_ENDING_DAYS} days, or already past its end "
    f"date while the person is still active. Medium; high within {t.INTERIM_ENDING_HIGH_DAYS} days "
    "(too little time to extend the contract or recruit). A prompt to plan cover, not a judgement "
    "about the person."
)


def reliance_rule(threshold: Decimal) -> str:
    return (
        "A directorate or service (with everything below it) where interim and agency staff hold more "
        f"than the organisation's threshold of {_pct(threshold)}% of the FTE. Medium; high when more "
        f"than {_pct(threshold + t.INTERIM_RELIANCE_HIGH_MARGIN)}%."
    )


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}"


def interim_contract_ending(*, employment_type: str, end_date: date | None, today: date) -> str | None:
    """Severity for a contract ending soon (or overrunning), or None."""
    if employment_type not in CONTINGENT_TYPES or end_date is None:
        return None
    days_left = (end_date - today).days
    if days_left > t.INTERIM_ENDING_DAYS:
        return None
    if days_left <= t.INTERIM_ENDING_HIGH_DAYS:
        return FlagSeverity.HIGH
    return FlagSeverity.MEDIUM


def interim_reliance(*, contingent_fte: Decimal, total_fte: Decimal, threshold: Decimal) -> str | None:
    """Severity of a share above the threshold (strictly), or None. The share is
    the one measure of interim reliance (organisations/rules/workforce.py: FTE)."""
    share = interim_share(contingent_fte=contingent_fte, total_fte=total_fte)
    if not above_threshold(share, threshold):
        return None
    if share > threshold + t.INTERIM_RELIANCE_HIGH_MARGIN:
        return FlagSeverity.HIGH
    return FlagSeverity.MEDIUM


def subtree_totals(
    parents: dict[int, int | None], own: dict[int, dict[str, Decimal | int]]
) -> dict[int, dict[str, Decimal | int]]:
    """Each service's figures plus those of every service below it.

    ``parents`` maps every service to its parent; ``own`` holds each service's own
    figures (a dict of numbers). Pure: works on the whole tree in memory, each
    service's figures added to each of its ancestors (a loop in the data is cut).
    """
    totals: dict[int, dict[str, Decimal | int]] = {sid: {} for sid in parents}
    for sid, figures in own.items():
        node: int | None = sid
        seen: set[int] = set()
        while node is not None and node in parents and node not in seen:
            seen.add(node)
            bucket = totals[node]
            for name, value in figures.items():
                bucket[name] = bucket.get(name, 0) + value
            node = parents[node]
    return totals


def service_rows(ctx) -> list[dict]:
    """The organisation's services (pk, parent, kind, name), loaded once per run
    and shared by the rules that add figures up a service and everything below it."""
    if "service_rows" not in ctx.shared:
        ctx.shared["service_rows"] = list(
            Service.objects.filter(organisation=ctx.organisation).values("pk", "parent_id", "kind", "name")
        )
    return ctx.shared["service_rows"]


def candidates(ctx) -> list[FlagCandidate]:
    if not has_people(ctx):
        return []
    org = ctx.organisation
    today = ctx.today
    found: list[FlagCandidate] = []

    # Query 1: active interim and agency staff whose contract ends within the window.
    ending = (
        sliced(ctx, Employee.objects.all(), "service_id")
        .filter(
            organisation=org,
            active=True,
            employment_type__in=CONTINGENT_TYPES,
            end_date__lte=today + timedelta(days=t.INTERIM_ENDING_DAYS),
        )
        .values(
            "pk",
            "first_name",
            "last_name",
            "employment_type",
            "end_date",
            "service_id",
            "service__name",
            "job_role__title",
        )
    )
    type_labels = dict(EmploymentType.choices)
    for row in ending:
        severity = interim_contract_ending(
            employment_type=row["employment_type"], end_date=row["end_date"], today=today
        )
        if not severity:
            continue
        name = f"{row['first_name']} {row['last_name']}"
        kind_label = type_labels[row["employment_type"]].lower()
        days_left = (row["end_date"] - today).days
        if days_left < 0:
            when = f"ended {-days_left} day{'s' if days_left != -1 else ''} ago"
        elif days_left == 0:
            when = "ends today"
        else:
            when = f"ends in {days_left} day{'s' if days_left != 1 else ''}"
        found.append(
            FlagCandidate(
                kind=FlagKind.INTERIM_CONTRACT_ENDING,
                severity=severity,
                subject_type=SubjectType.EMPLOYEE,
                subject_id=row["pk"],
                service_id=row["service_id"],
                employee_id=row["pk"],
                title=f"{name}'s {kind_label} contract {when}",
                rule=CONTRACT_RULE,
                evidence={
                    "person": name,
                    "employment_type": type_labels[row["employment_type"]],
                    "job_role": row["job_role__title"] or "Not set",
                    "service": row["service__name"],
                    "contract_end_date": row["end_date"].isoformat(),
                    "days_left": days_left,
                    "links": [
                        {"label": name, "url": reverse("organisations:person_detail", args=[row["pk"]])},
                        {
                            "label": row["service__name"],
                            "url": reverse("organisations:service_detail", args=[row["service_id"]]),
                        },
                    ],
                },
            )
        )

    # Query 2: the service tree. Query 3: each service's own FTE by contract kind.
    services = service_rows(ctx)
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
    contingent = Q(employment_type__in=CONTINGENT_TYPES)
    own_rows = (
        sliced(ctx, Employee.objects.filter(organisation=org, active=True), "service_id")
        .values("service_id")
        .annotate(
            total_fte=Coalesce(Sum("fte"), zero),
            contingent_fte=Coalesce(Sum("fte", filter=contingent), zero),
            interim=Count("pk", filter=Q(employment_type=EmploymentType.INTERIM)),
            agency=Count("pk", filter=Q(employment_type=EmploymentType.AGENCY)),
            people=Count("pk"),
        )
    )
    fresh = {
        r["service_id"]: {
            "total_fte": Decimal(r["total_fte"]),
            "contingent_fte": Decimal(r["contingent_fte"]),
            "interim": r["interim"],
            "agency": r["agency"],
            "people": r["people"],
        }
        for r in own_rows
    }
    own = own_counts(ctx, "workforce", fresh)
    totals = subtree_totals({s["pk"]: s["parent_id"] for s in services}, own)
    threshold = Decimal(org.interim_reliance_threshold)
    rule = reliance_rule(threshold)
    for s in services:
        if s["kind"] not in t.INTERIM_RELIANCE_SERVICE_KINDS or not in_slice(ctx, s["pk"]):
            continue
        figures = totals.get(s["pk"], {})
        total_fte = Decimal(figures.get("total_fte", 0))
        contingent_fte = Decimal(figures.get("contingent_fte", 0))
        severity = interim_reliance(contingent_fte=contingent_fte, total_fte=total_fte, threshold=threshold)
        if not severity:
            continue
        share = interim_share(contingent_fte=contingent_fte, total_fte=total_fte)
        found.append(
            FlagCandidate(
                kind=FlagKind.INTERIM_RELIANCE,
                severity=severity,
                subject_type=SubjectType.SERVICE,
                subject_id=s["pk"],
                service_id=s["pk"],
                title=f"{s['name']}: {_pct(share)}% of FTE on interim or agency contracts",
                rule=rule,
                evidence={
                    "service": s["name"],
                    "interim_and_agency_share_percent": _pct(share),
                    "threshold_percent": _pct(threshold),
                    "interim_and_agency_fte": _pct(contingent_fte),
                    "total_fte": _pct(total_fte),
                    "interim_staff": figures.get("interim", 0),
                    "agency_staff": figures.get("agency", 0),
                    "people": figures.get("people", 0),
                    "links": [
                        {
                            "label": f"{s['name']}: workforce by employment type",
                            "url": reverse("organisations:service_detail", args=[s["pk"]]),
                        }
                    ],
                },
            )
        )
    return found
