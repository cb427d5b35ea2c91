"""Reads for the API's resources, each scoped to one organisation.

Every list is a queryset (or, for the figures, a list) the paginator slices,
and each costs a fixed number of queries whatever the number of rows: the
counts are in the docstrings. A filter that names a service takes the service
and everything below it (``ServiceTree.subtree_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, OuterRef, QuerySet, Subquery

from insights.selectors.workforce import (
    Compliance,
    compliance_over,
    staff_figures,
    stored_staff_figures,
    workforce_mix,
)
from organisations.models import KPI, Employee, KPIResult, KPITarget, Organisation, Service
from organisations.models.structure import ServiceTree
from organisations.selectors.kpis import ScorecardRow, kpi_scorecard


def service_tree(organisation: Organisation) -> ServiceTree:
    """One query."""
    return ServiceTree(Service.objects.in_organisation(organisation).order_by("pk"))


def services(organisation: Organisation) -> QuerySet[Service]:
    """Count and page: two queries."""
    return Service.objects.in_organisation(organisation).select_related("parent").order_by("pk")


def kpis(organisation: Organisation) -> QuerySet[KPI]:
    """Count and page: two queries (the owner comes with its KPI)."""
    return KPI.objects.in_organisation(organisation).select_related("service", "owner").order_by("code")


def kpi_latest(organisation: Organisation, kpi_ids: list[int], today: date) -> dict[int, ScorecardRow]:
    """Each KPI's scorecard row (latest signed-off result, its target, its direction
    of travel), as the committee report shows it: four queries for a page of KPIs."""
    rows = kpi_scorecard(
        KPI.objects.in_organisation(organisation).filter(pk__in=kpi_ids),
        today=today,
        figures_only=True,
        published_only=True,
    )
    return {row.kpi.pk: row for row in rows}


def targets(organisation: Organisation) -> QuerySet[KPITarget]:
    """Count and page: two queries."""
    return (
        KPITarget.objects.in_organisation(organisation)
        .select_related("kpi")
        .order_by("kpi__code", "financial_year", "pk")
    )


def results(organisation: Organisation) -> QuerySet[KPIResult]:
    """Signed-off results alone (docs/KPI_COLLECTION.md). Count and page: two
    queries. Each result carries the KPI's signed-off result before it
    (``previous_period_end``, ``previous_value``), for its direction of travel."""
    earlier = (
        KPIResult.objects.published()
        .filter(kpi_id=OuterRef("kpi_id"), period_end__lt=OuterRef("period_end"))
        .order_by("-period_end")
    )
    return (
        KPIResult.objects.in_organisation(organisation)
        .published()
        .select_related("kpi")
        .annotate(
            previous_period_end=Subquery(earlier.values("period_end")[:1], output_field=DateField()),
            previous_value=Subquery(earlier.values("value")[:1]),
        )
        .order_by("kpi__code", "period_end", "pk")
    )


def people(organisation: Organisation) -> QuerySet[Employee]:
    """Active staff. Count and page: two queries."""
    return (
        Employee.objects.in_organisation(organisation)
        .filter(active=True)
        .select_related("service", "job_role", "line_manager")
        .order_by("pk")
    )


@dataclass
class Figures:
    headcount: int
    fte: str
    interim_fte: str
    interim_share_percent: float | None
    supervision_people: int
    supervision_in_date: int
    supervision_in_date_percent: float | None
    supervision_overdue: int


@dataclass
class ServiceFiguresRow:
    service: Service
    as_of: date
    source: str  # "stored" (the last recompute run's read model) or "counted"
    own: Figures
    including_below: Figures


def _figures(workforce, compliance: Compliance) -> Figures:
    share = workforce._share  # the one measure, on FTE (organisations/rules/workforce.py)
    return Figures(
        headcount=workforce.headcount,
        fte=f"{workforce.fte:.2f}",
        interim_fte=f"{workforce.contingent_fte:.2f}",
        interim_share_percent=round(float(share), 1) if share is not None else None,
        supervision_people=compliance.total,
        supervision_in_date=compliance.in_date,
        supervision_in_date_percent=round(compliance.percent, 1) if compliance.total else None,
        supervision_overdue=compliance.total - compliance.in_date,
    )


def service_figures(organisation: Organisation, tree: ServiceTree, today: date) -> list[ServiceFiguresRow]:
    """Each service's workforce and supervision figures, its own and with every
    service below it, as the dashboards show them: from the figures the last
    recompute run stored (one query), else counted (one grouped query)."""
    ids = [s.pk for s in tree.services]
    source = "stored"
    figures = stored_staff_figures(organisation, ids, today) if ids else None
    if figures is None:
        source = "counted"
        staff = Employee.objects.in_organisation(organisation).filter(active=True)
        figures = staff_figures(staff, organisation, today)
    workforce, compliance = figures
    threshold = organisation.interim_reliance_threshold
    rows = []
    for service in sorted(tree.services, key=lambda s: s.pk):
        below = tree.subtree_ids(service)
        rows.append(
            ServiceFiguresRow(
                service=service,
                as_of=today,
                source=source,
                own=_figures(
                    workforce_mix(workforce, [service.pk], threshold),
                    compliance_over(compliance, [service.pk]),
                ),
                including_below=_figures(
                    workforce_mix(workforce, below, threshold), compliance_over(compliance, below)
                ),
            )
        )
    return rows
