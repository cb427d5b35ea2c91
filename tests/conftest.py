"""Personas and a hand-built world shared by every test.

The world: Testshire Council, a root headed by the chief executive, a
directorate (Housing) headed by ``head``, a service and a team below it; the
team ``manager`` manages ``staff`` and ``peer``; ``officer`` is a performance
officer elsewhere. Riverside has ``outsider``. Each persona has a signed-in
client fixture of the same name with ``_client``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client

from organisations.models import Employee, EmploymentType, Organisation, Service, ServiceKind
from tests.factories import EmployeeFactory, JobRoleFactory, OrganisationFactory, ServiceFactory, UserFactory

# Dates a date-sensitive test (marked ``any_date``) also runs on, besides today:
# the financial year's last and first days, a leap day, the calendar year's end,
# a Monday and a Sunday. The first of April is entered half an hour after
# midnight, British Summer Time, while UTC still says 31 March.
HARD_DATES: dict[str, datetime | None] = {
    "today": None,
    "2027-03-31": datetime(2027, 3, 31, 10, 0),
    "2027-04-01": datetime(2027, 4, 1, 0, 30),
    "2028-02-29": datetime(2028, 2, 29, 10, 0),
    "2026-12-31": datetime(2026, 12, 31, 10, 0),
    "monday-2027-01-04": datetime(2027, 1, 4, 10, 0),
    "sunday-2027-01-10": datetime(2027, 1, 10, 10, 0),
}


def pytest_addoption(parser):
    parser.addoption(
        "--at-date",
        choices=[d for d in HARD_DATES if d != "today"],
        help="Run every selected test (marked any_date or not) at this one of HARD_DATES.",
    )


def pytest_generate_tests(metafunc):
    """A test marked ``any_date`` runs once per entry of HARD_DATES (see ``_on_date``)."""
    if metafunc.definition.get_closest_marker("any_date"):
        metafunc.parametrize("_on_date", list(HARD_DATES), indirect=True)


@pytest.fixture(autouse=True)
def _on_date(request):
    """Holds the clock (core.clock, Django's timezone, date.today, time.time) at
    the test's date for the whole test, its fixtures' setup and teardown
    included: an autouse fixture is set up before the fixtures a test asks for.
    The clock does not tick, so a test sees one "now" throughout."""
    moment = HARD_DATES[getattr(request, "param", None) or request.config.getoption("at_date") or "today"]
    if moment is None:
        yield
        return
    zone = ZoneInfo(django_settings.TIME_ZONE)
    with time_machine.travel(moment.replace(tzinfo=zone), tick=False):
        yield


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    root: Service
    directorate: Service
    service: Service
    team: Service
    other_team: Service
    corporate: Service
    other_service: Service
    chief: Employee
    head: Employee
    service_head: Employee
    manager: Employee
    staff: Employee
    peer: Employee
    officer: Employee
    interim: Employee
    outsider: Employee
    outsider_manager: Employee

    def persona(self, name: str) -> Employee:
        return getattr(self, name)


PERSONAS = ["staff", "manager", "head", "officer", "outsider"]


def _person(org, service, username=None, **kw) -> Employee:
    user = UserFactory(username=username) if username else None
    return EmployeeFactory(organisation=org, service=service, user=user, **kw)


def build_world() -> World:
    org = OrganisationFactory(name="Testshire Council", slug="testshire")
    other = OrganisationFactory(name="Riverside Homes", slug="riverside")
    role = JobRoleFactory(organisation=org, title="Housing Options Officer")
    root = ServiceFactory(organisation=org, name="Testshire Council", kind=ServiceKind.DIRECTORATE)
    directorate = ServiceFactory(organisation=org, name="Housing", kind=ServiceKind.DIRECTORATE, parent=root)
    service = ServiceFactory(organisation=org, name="Housing Options", parent=directorate)
    team = ServiceFactory(organisation=org, name="Options Team", kind=ServiceKind.TEAM, parent=service)
    other_team = ServiceFactory(organisation=org, name="Lettings Team", kind=ServiceKind.TEAM, parent=service)
    corporate = ServiceFactory(organisation=org, name="Resources", kind=ServiceKind.DIRECTORATE, parent=root)

    chief = _person(org, root, "chief", first_name="Cara", last_name="Chief")
    head = _person(org, directorate, "head", first_name="Hana", last_name="Head", line_manager=chief)
    service_head = _person(
        org, service, "service_head", first_name="Sam", last_name="Service", line_manager=head
    )
    manager = _person(org, team, "manager", first_name="Mo", last_name="Manager", line_manager=service_head)
    staff = _person(
        org, team, "staff", first_name="Sol", last_name="Staff", line_manager=manager, job_role=role
    )
    peer = _person(org, team, "peer", first_name="Pat", last_name="Peer", line_manager=manager, job_role=role)
    interim = _person(
        org,
        other_team,
        "interim",
        first_name="Ira",
        last_name="Interim",
        line_manager=service_head,
        employment_type=EmploymentType.INTERIM,
        end_date=date(2030, 1, 1),
    )
    officer = _person(
        org,
        corporate,
        "officer",
        first_name="Olu",
        last_name="Officer",
        line_manager=chief,
        is_performance_officer=True,
    )
    root.head, directorate.head, service.head, team.head = chief, head, service_head, manager
    for s in (root, directorate, service, team):
        s.save()

    o_root = ServiceFactory(organisation=other, name="Riverside Homes", kind=ServiceKind.DIRECTORATE)
    o_service = ServiceFactory(organisation=other, name="Neighbourhoods", parent=o_root)
    outsider_manager = _person(other, o_service, "outsider_manager", first_name="Ola", last_name="Other")
    outsider = _person(
        other,
        o_service,
        "outsider",
        first_name="Oz",
        last_name="Outsider",
        line_manager=outsider_manager,
        is_performance_officer=True,
    )
    o_service.head = outsider_manager
    o_service.save()
    return World(
        org=org,
        other_org=other,
        root=root,
        directorate=directorate,
        service=service,
        team=team,
        other_team=other_team,
        corporate=corporate,
        other_service=o_service,
        chief=chief,
        head=head,
        service_head=service_head,
        manager=manager,
        staff=staff,
        peer=peer,
        officer=officer,
        interim=interim,
        outsider=outsider,
        outsider_manager=outsider_manager,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


def client_for(employee: Employee) -> Client:
    client = Client()
    client.force_login(employee.user)
    return client


@pytest.fixture
def staff_client(world):
    return client_for(world.staff)


@pytest.fixture
def manager_client(world):
    return client_for(world.manager)


@pytest.fixture
def head_client(world):
    return client_for(world.head)


@pytest.fixture
def officer_client(world):
    return client_for(world.officer)


@pytest.fixture
def outsider_client(world):
    return client_for(world.outsider)


def _replica_mirror() -> None:
    """A ``replica`` alias that mirrors the test database (``TEST.MIRROR``), so
    tests can route reads to it (tests/test_replica_router.py). The router uses it
    only where a test sets ``DATABASE_REPLICA_ALIAS``; elsewhere, as when
    DATABASE_REPLICA_URL is unset, every read goes to ``default``."""
    from django.db import connections

    if "replica" in django_settings.DATABASES:
        return
    replica = {**django_settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    django_settings.DATABASES["replica"] = replica
    if "settings" in connections.__dict__:  # the aliases were read already
        connections.settings["replica"] = connections.configure_settings(
            {"default": django_settings.DATABASES["default"], "replica": replica}
        )["replica"]


_replica_mirror()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_tasks_in_process(request, settings):
    """Tasks run in-process in tests, even where REDIS_URL is set (CI), so a test
    sees what a task did; tests marked ``celery_worker`` use the real broker and a
    real worker, and tests that need the broker's behaviour set it themselves."""
    if request.node.get_closest_marker("celery_worker"):
        return
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    # A test reads what a save did straight after it: no work after the response
    # (tests/test_after_response.py turns it on to test it).
    settings.WORK_AFTER_RESPONSE = False


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The size of the permission matrix, for the record, whenever it ran."""
    ran = any(
        "test_permission_matrix" in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )
    if not ran:
        return
    from tests.test_permission_matrix import matrix_summary

    terminalreporter.write_line(matrix_summary())
