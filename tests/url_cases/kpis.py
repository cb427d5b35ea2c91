"""KPI pages. A KPI in the world's Housing Options service with no owner: staff and
the team manager may read but not change it; the director above and the
performance officer may."""

from organisations.models import KPI, KPITarget
from tests.url_cases import Case


def world_kpi(w) -> KPI:
    kpi, _ = KPI.objects.get_or_create(
        organisation=w.org, code="HO-01", defaults={"service": w.service, "name": "Homelessness prevented"}
    )
    return kpi


def other_kpi(w) -> KPI:
    kpi, _ = KPI.objects.get_or_create(
        organisation=w.other_org,
        code="RH-01",
        defaults={"service": w.other_service, "name": "Rent collected"},
    )
    return kpi


def world_target_year(w) -> int:
    target, _ = KPITarget.objects.get_or_create(
        kpi=world_kpi(w), financial_year=2026, defaults={"target": 50}
    )
    return target.financial_year


def other_target_year(w) -> int:
    target, _ = KPITarget.objects.get_or_create(
        kpi=other_kpi(w), financial_year=2026, defaults={"target": 50}
    )
    return target.financial_year


EDITORS_ONLY = {"staff": 403, "peer": 403, "manager": 403}

CASES = [
    Case("organisations:kpi_list"),
    Case(
        "organisations:kpi_scorecard",
        kwargs=lambda w: {"service_pk": w.service.pk},
        other_kwargs=lambda w: {"service_pk": w.other_service.pk},
    ),
    Case(
        "organisations:kpi_detail",
        kwargs=lambda w: {"pk": world_kpi(w).pk},
        other_kwargs=lambda w: {"pk": other_kpi(w).pk},
    ),
    # Heads of service (the team manager heads a team) and performance officers;
    # the outsider is a performance officer in their own organisation.
    Case("organisations:kpi_create", methods=("GET", "POST"), expect={"staff": 403, "peer": 403}),
    Case(
        "organisations:kpi_edit",
        kwargs=lambda w: {"pk": world_kpi(w).pk},
        other_kwargs=lambda w: {"pk": other_kpi(w).pk},
        methods=("GET", "POST"),
        expect=EDITORS_ONLY,
    ),
    Case(
        "organisations:kpi_result_record",
        kwargs=lambda w: {"pk": world_kpi(w).pk},
        other_kwargs=lambda w: {"pk": other_kpi(w).pk},
        methods=("GET", "POST"),
        expect=EDITORS_ONLY,
    ),
    Case(
        "organisations:kpi_targets",
        kwargs=lambda w: {"pk": world_kpi(w).pk},
        other_kwargs=lambda w: {"pk": other_kpi(w).pk},
        methods=("GET", "POST"),
        expect=EDITORS_ONLY,
    ),
    Case(
        "organisations:kpi_target_profile",
        kwargs=lambda w: {"pk": world_kpi(w).pk, "year": world_target_year(w)},
        other_kwargs=lambda w: {"pk": other_kpi(w).pk, "year": other_target_year(w)},
        methods=("GET", "POST"),
        expect=EDITORS_ONLY,
    ),
    Case("organisations:kpi_import", methods=("GET", "POST"), expect={"staff": 403, "peer": 403}),
    Case("organisations:kpi_export"),
]
