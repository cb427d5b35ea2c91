"""Collecting KPI results. The collection page is for KPI owners, heads of service
and performance officers; signing off (its POST) and returning a result are for
those who sign off results: in the world's organisation (results signed off by
"officer"), the performance officer alone."""

from datetime import date
from decimal import Decimal

from organisations.models import KPIResult
from tests.url_cases import ACTED, Case
from tests.url_cases.kpis import other_kpi, world_kpi


def world_result(w) -> KPIResult:
    result, _ = KPIResult.objects.get_or_create(
        kpi=world_kpi(w), period_end=date(2026, 3, 31), defaults={"value": Decimal("50")}
    )
    return result


def other_result(w) -> KPIResult:
    result, _ = KPIResult.objects.get_or_create(
        kpi=other_kpi(w), period_end=date(2026, 3, 31), defaults={"value": Decimal("50")}
    )
    return result


SIGNERS_ONLY = {"staff": 403, "peer": 403, "manager": 403, "head": 403, "chief": 403}

CASES = [
    Case(
        "organisations:kpi_collection",
        methods=("GET", "POST"),
        expect={"staff": 403, "peer": 403},
        post_expect={"manager": 403, "head": 403, "chief": 403, "officer": ACTED, "outsider": ACTED},
    ),
    Case(
        "organisations:kpi_result_return",
        kwargs=lambda w: {"pk": world_result(w).pk},
        other_kwargs=lambda w: {"pk": other_result(w).pk},
        methods=("GET", "POST"),
        expect=SIGNERS_ONLY,
    ),
]
