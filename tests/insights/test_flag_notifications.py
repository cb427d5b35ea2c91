"""A new flag tells its owner, once (kind ``flag_owned``): when a run opens it,
when it comes back (a new episode) and when it moves to a new owner; in the
channel the owner chose, and in a number of queries that does not grow with the
flags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboxMessage
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from insights.rules import kinds
from insights.services import recompute
from insights.services.flagging import FlagCandidate
from insights.services.recompute import run_recompute
from organisations.models import Employee, Notification, NotificationPreference
from organisations.rules import notifications as rules
from tests.factories import EmployeeFactory

PRODUCE: list[FlagCandidate] = []


def fake_step(ctx) -> list[FlagCandidate]:
    return list(PRODUCE)


@pytest.fixture
def produce(monkeypatch):
    monkeypatch.setattr(recompute, "STEPS", [fake_step])
    PRODUCE.clear()
    yield PRODUCE
    PRODUCE.clear()


def about_person(person) -> FlagCandidate:
    return FlagCandidate(
        kind=FlagKind.FEEDBACK_OVERDUE,
        severity=FlagSeverity.MEDIUM,
        subject_type=SubjectType.EMPLOYEE,
        subject_id=person.pk,
        service_id=person.service_id,
        employee_id=person.pk,
        title=f"NAME-IN-TITLE {person.full_name}",
        rule="r",
    )


def about_service(service) -> FlagCandidate:
    return FlagCandidate(
        kind=FlagKind.INTERIM_RELIANCE,
        severity=FlagSeverity.MEDIUM,
        subject_type=SubjectType.SERVICE,
        subject_id=service.pk,
        service_id=service.pk,
        title=f"{service.name} leans on agency staff",
        rule="r",
    )


def flag_notes(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind="flag_owned").order_by("pk"))


def test_a_new_flag_tells_its_owner_once(world, produce):
    produce[:] = [about_person(world.staff), about_service(world.other_team)]
    run_recompute(world.org)
    run_recompute(world.org)
    personal = Flag.objects.get(employee=world.staff)
    service = Flag.objects.get(subject_type=SubjectType.SERVICE)
    [to_manager] = flag_notes(world.manager)
    [to_head] = flag_notes(world.service_head)
    assert to_manager.url == reverse("insights:flag_detail", args=[personal.pk])
    assert to_head.url == reverse("insights:flag_detail", args=[service.pk])
    # A flag about a person says its kind, not the person (the text may be emailed).
    assert "NAME-IN-TITLE" not in to_manager.text
    assert kinds.BY_CODE[FlagKind.FEEDBACK_OVERDUE].label in to_manager.text
    assert "leans on agency staff" in to_head.text
    assert flag_notes(world.staff) == []  # never told of a flag about them


def test_a_flag_that_comes_back_or_moves_tells_again(world, produce):
    produce[:] = [about_person(world.staff)]
    run_recompute(world.org)
    produce[:] = []
    run_recompute(world.org)  # resolved
    produce[:] = [about_person(world.staff)]
    run_recompute(world.org)  # a new episode
    assert len(flag_notes(world.manager)) == 2
    Employee.objects.filter(pk=world.staff.pk).update(line_manager=world.service_head)
    run_recompute(world.org)  # moved to a new owner
    assert len(flag_notes(world.service_head)) == 1
    run_recompute(world.org)
    assert len(flag_notes(world.manager)) == 2 and len(flag_notes(world.service_head)) == 1


def test_the_owners_channel_is_honoured(world, produce, django_capture_on_commit_callbacks):
    world.manager.email = "mo@example.gov.uk"
    world.manager.save()
    NotificationPreference.objects.create(employee=world.manager, kind="flag_owned", channel=rules.EMAIL)
    produce[:] = [about_person(world.staff), about_person(world.peer)]
    run_recompute(world.org)
    emails = [
        m for m in OutboxMessage.objects.filter(kind="email") if m.payload["to"] == ["mo@example.gov.uk"]
    ]
    assert len(emails) == 2
    assert all("NAME-IN-TITLE" not in m.payload["body"] + m.payload["subject"] for m in emails)
    assert all(n.emailed_at is not None for n in flag_notes(world.manager))


def test_the_notices_cost_the_same_queries_however_many_flags(world, produce):
    def first_run_queries(n: int) -> int:
        Flag.objects.all().delete()
        people = [
            EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
            for _ in range(n)
        ]
        produce[:] = [about_person(p) for p in people]
        with CaptureQueriesContext(connection) as queries:
            run_recompute(world.org)
        assert Notification.objects.filter(kind="flag_owned").count() >= n
        return len(queries.captured_queries)

    assert first_run_queries(2) == first_run_queries(40)
