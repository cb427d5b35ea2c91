"""The read replica router (core/db_router.py) with a second database alias.

``replica`` mirrors the test database (tests/conftest.py), so both aliases see
the same rows; the tests count which alias each query went to. The data must be
committed for the replica's connection to see it: ``transaction=True``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalCheckIn, GoalStatus
from core.db_router import ReplicaRouter, reading_from_replica, replica_reads
from organisations.models import Employee, Organisation
from tests.conftest import build_world, client_for
from tests.insights.factories import GoalFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): an in-memory SQLite is not shared between connections")
    settings.DATABASE_REPLICA_ALIAS = "replica"
    return "replica"


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def _capture(url: str, client, method: str = "get", data=None):
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        response = getattr(client, method)(url, data or {})
    return response, on_default, on_replica


def test_a_dashboard_get_reads_its_figures_from_the_replica(replica):
    w = build_world()
    url = reverse("insights:service_dashboard", args=[w.directorate.pk])
    response, on_default, on_replica = _capture(url, client_for(w.head))
    assert response.status_code == 200
    # The dashboard's figures: KPIs, flags, risks, goals, the last run...
    assert len(on_replica) >= 5, _tables(on_replica)
    assert "insights_flag" in _tables(on_replica) and "insights_run" in _tables(on_replica)
    assert not _writes(on_replica)
    # Who is signed in is read from the primary, and the session is saved there.
    assert "django_session" in _tables(on_default) and "auth_user" in _tables(on_default)
    assert "django_session" not in _tables(on_replica) and "auth_user" not in _tables(on_replica)
    assert _writes(on_default)


@pytest.mark.parametrize(
    "name",
    ["insights:org_overview", "insights:quarterly_report", "insights:quarterly_report_csv"],
)
def test_the_overview_and_report_read_from_the_replica(replica, name):
    w = build_world()
    response, _, on_replica = _capture(reverse(name), client_for(w.officer))  # the latest quarter
    assert response.status_code == 200
    assert on_replica and not _writes(on_replica)


def test_the_public_page_reads_from_the_replica_without_signing_in(replica):
    w = build_world()
    response, _, on_replica = _capture(reverse("insights:public_performance", args=[w.org.slug]), Client())
    assert response.status_code == 200
    assert "organisations_organisation" in _tables(on_replica)


def test_a_post_that_saves_sends_nothing_to_the_replica(replica):
    w = build_world()
    goal = GoalFactory(organisation=w.org, owner=w.staff, status=GoalStatus.ON_TRACK)
    url = reverse("appraisals:goal_check_in", args=[goal.pk])
    response, on_default, on_replica = _capture(
        url, client_for(w.staff), "post", {"progress": "60", "status": "on_track", "comment": ""}
    )
    assert response.status_code == 302
    assert GoalCheckIn.objects.filter(goal=goal).exists()
    assert not on_replica and _writes(on_default)
    # A decorated view asked with POST reads from the primary too.
    response, _, on_replica = _capture(
        reverse("insights:service_dashboard", args=[w.directorate.pk]), client_for(w.head), "post"
    )
    assert response.status_code == 405 and not on_replica


def test_the_decorator_reads_the_primary_for_a_post():
    seen = []

    @replica_reads
    def view(request):
        seen.append(ReplicaRouter().db_for_read(Organisation))
        return None

    factory = RequestFactory()
    view(factory.post("/"))
    assert seen == ["default"]


def test_the_context_goes_back_to_the_primary_after_a_write_in_a_transaction_and_for_sign_in(replica):
    w = build_world()
    router = ReplicaRouter()
    assert router.db_for_read(Organisation) == "default"  # outside the context
    with reading_from_replica():
        assert router.db_for_read(Organisation) == "replica"
        assert router.db_for_read(User) == "default" and router.db_for_read(Session) == "default"
        with transaction.atomic():  # select_for_update and a transaction's reads: the primary
            assert router.db_for_read(Organisation) == "default"
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert Employee.objects.filter(organisation=w.org).count() > 5
        assert len(on_replica) == 1
        Organisation.objects.filter(pk=w.org.pk).update(name="Testshire County Council")
        # Written: every later read in this context is from the primary (its own write).
        assert router.db_for_read(Organisation) == "default"
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert Organisation.objects.get(pk=w.org.pk).name == "Testshire County Council"
        assert not on_replica
    assert router.db_for_write(Organisation) == "default"
    assert router.allow_migrate("default", "organisations") and not router.allow_migrate(
        "replica", "organisations"
    )


def test_without_a_replica_everything_reads_from_default(settings):
    """DATABASE_REPLICA_URL unset (the default, and CI): nothing changes."""
    assert settings.DATABASE_REPLICA_ALIAS is None
    router = ReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(Organisation) == "default"
        settings.DATABASE_REPLICA_ALIAS = "not-configured"  # named but absent: still the primary
        assert router.db_for_read(Organisation) == "default"
    settings.DATABASE_REPLICA_ALIAS = None
    w = build_world()
    response, on_default, on_replica = _capture(
        reverse("insights:service_dashboard", args=[w.directorate.pk]), client_for(w.head)
    )
    assert response.status_code == 200 and not on_replica and len(on_default) >= 10
