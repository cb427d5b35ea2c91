from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from api.services.tokens import api_token_create
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory


@pytest.fixture(autouse=True)
def _fresh_throttles(settings):
    """Throttle counts live in the cache: a cache of the test's own (never the
    shared Redis, which CI also uses as the Celery broker), emptied."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-tests"}
    }
    cache.clear()
    yield
    cache.clear()


def make_token(employee, scopes=("aggregates",), name="Loader"):
    type(employee).objects.filter(pk=employee.pk).update(is_organisation_admin=True)
    employee.refresh_from_db()
    return api_token_create(name=name, scopes=list(scopes), by=employee)


def api_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def token(world):
    return make_token(world.officer)


@pytest.fixture
def client(token):
    return api_client(token.secret)


def seed_kpis(world, n: int = 3, org=None, service=None, prefix=""):
    """n monthly KPIs with targets and two consecutive results each."""
    org = org or world.org
    service = service or world.service
    kpis = []
    for i in range(n):
        kpi = KPIFactory(organisation=org, service=service, code=f"{prefix}{org.slug[:3].upper()}-{i:03d}")
        KPITargetFactory(kpi=kpi, financial_year=2026, target=Decimal("90"))
        KPIResultFactory(kpi=kpi, period_end=date(2026, 5, 31), value=Decimal("80"))
        KPIResultFactory(kpi=kpi, period_end=date(2026, 6, 30), value=Decimal("91"))
        kpis.append(kpi)
    return kpis
