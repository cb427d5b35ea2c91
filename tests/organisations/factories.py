"""factory-boy factories for KPIs, their targets and results."""

from datetime import date
from decimal import Decimal

import factory

from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from tests.factories import OrganisationFactory, ServiceFactory


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.LazyAttribute(lambda o: ServiceFactory(organisation=o.organisation))
    code = factory.Sequence(lambda n: f"KPI-{n:03d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = kpi_rules.UNIT_PERCENT
    decimal_places = 1
    polarity = kpi_rules.HIGHER
    frequency = year_rules.MONTHLY
    data_lag_days = 30


class KPITargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPITarget

    kpi = factory.SubFactory(KPIFactory)
    financial_year = 2026
    target = Decimal("90")
    tolerance_kind = kpi_rules.PERCENT
    green_tolerance = Decimal("0")
    amber_tolerance = Decimal("5")


class KPIResultFactory(factory.django.DjangoModelFactory):
    """A result with its status computed against the KPI's target for the year,
    as the service would store it."""

    class Meta:
        model = KPIResult

    kpi = factory.SubFactory(KPIFactory)
    period_end = date(2026, 6, 30)
    value = Decimal("90")
    # Signed off, as every result recorded before sign-off began: a test of
    # sign-off asks for "submitted" or "returned".
    state = "validated"

    @factory.lazy_attribute
    def status(self):
        year = year_rules.financial_year_start(self.period_end, self.kpi.start_month)
        target = self.kpi.targets.filter(financial_year=year).first()
        return target.status_for(self.value, self.kpi.polarity, self.period_end) if target else kpi_rules.GREY
