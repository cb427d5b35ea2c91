"""Demo KPIs: about eight a service, three years of results with stories, flags of every kind."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from demo import kpis as demo_kpis
from demo.structure import delete_demo, seed_structure
from insights.models import Flag, FlagKind
from organisations.models import KPI, KPIResult, KPITarget, Organisation, ServiceKind
from organisations.rules import kpis as kpi_rules


@pytest.fixture
def seeded(db):
    call_command("seed_demo", employees=100, seed=5, force=True, stdout=StringIO())
    return Organisation.objects.get(slug="northshire")


def test_about_eight_kpis_a_service(seeded):
    per_service = Counter(KPI.objects.filter(organisation=seeded).values_list("service__name", flat=True))
    services = seeded.services.filter(kind=ServiceKind.SERVICE)
    assert set(per_service) == set(services.values_list("name", flat=True))
    assert all(7 <= n <= 8 for name, n in per_service.items() if name != "Human Resources")
    other = Organisation.objects.get(slug="riverside-homes")
    assert 3 <= KPI.objects.filter(organisation=other).count() <= 4


def test_targets_results_and_notes_are_plausible(seeded):
    kpis = KPI.objects.filter(organisation=seeded)
    published = kpis.filter(published=True).count()
    assert 0.2 < published / kpis.count() < 0.5
    assert KPITarget.objects.filter(kpi__organisation=seeded).values("financial_year").distinct().count() >= 3
    results = KPIResult.objects.filter(kpi__organisation=seeded)
    statuses = Counter(results.values_list("status", flat=True))
    assert all(statuses[s] for s in kpi_rules.STATUSES)
    assert statuses["green"] > statuses["red"]
    reds = results.filter(status=kpi_rules.RED)
    assert not reds.filter(corrective_action="").exists() and not reds.filter(commentary="").exists()
    # Three financial years: results from April two years before this one.
    first = min(results.values_list("period_end", flat=True))
    assert first.month == 4 or first.month == 3  # monthly/quarterly from April; annual outturns end March
    percent = results.filter(kpi__unit=kpi_rules.UNIT_PERCENT)
    assert not percent.filter(value__gt=100).exists() and not percent.filter(value__lt=0).exists()


def test_housing_shows_every_kind_of_kpi_flag(seeded):
    housing = seeded.services.get(name="Housing")
    ids = [s.pk for s in seeded.services.filter(parent=housing)]
    kinds = set(Flag.objects.filter(service_id__in=ids, resolved_at=None).values_list("kind", "severity"))
    assert {k for k, _ in kinds} >= {FlagKind.KPI_RED, FlagKind.KPI_WORSENING, FlagKind.KPI_DATA_MISSING}
    assert (FlagKind.KPI_RED, "high") in kinds  # red two periods running
    prevention = KPI.objects.get(organisation=seeded, code="HO-01")
    assert prevention.service.name == "Housing Options" and prevention.published


def test_shares_kpis_with_later_steps(db):
    ctx = seed_structure(seed=3, employees=100, password="x")
    demo_kpis.seed(ctx)
    assert ctx.extra["kpi_homelessness_prevention"].code == "HO-01"
    assert ctx.extra["kpi_homelessness_prevention"].pk is not None
    assert len(ctx.extra["kpis"]) == KPI.objects.count()
    assert set(ctx.extra["kpis_by_org"]) == {ctx.organisation.pk, ctx.other_organisation.pk}


def snapshot():
    return sorted(KPIResult.objects.values_list("kpi__code", "period_end", "value", "status", "commentary"))


def test_deterministic_for_a_seed(db):
    """The KPI step alone, twice on the same structure seed and day: the same figures."""
    day = date(2026, 11, 20)
    demo_kpis.seed(seed_structure(seed=9, employees=100, password="x", today=day))
    first = snapshot()
    delete_demo()
    demo_kpis.seed(seed_structure(seed=9, employees=100, password="x", today=day))
    assert snapshot() == first and first


def test_some_results_await_sign_off_one_is_returned_and_some_are_late(seeded):
    from core import clock
    from organisations.rules import collection as rules
    from organisations.selectors.collection import default_period, periods_offered

    results = KPIResult.objects.filter(kpi__organisation=seeded)
    period = default_period(periods_offered(clock.today(), seeded.financial_year_start_month), clock.today())
    awaiting = results.filter(state="submitted")
    assert awaiting.count() >= 3 and set(awaiting.values_list("period_end", flat=True)) == {period}
    (returned,) = results.filter(state="returned")
    assert returned.return_reason and returned.returned_by is not None
    assert results.filter(state="validated").count() > 100
    late = [
        k
        for k in KPI.objects.filter(organisation=seeded, active=True)
        if rules.is_late(
            state=None if not k.results.filter(period_end=period).exists() else "submitted",
            period_end=period,
            lag_days=k.data_lag_days,
            today=clock.today(),
        )
        and k.frequency == "monthly"
    ]
    assert late
