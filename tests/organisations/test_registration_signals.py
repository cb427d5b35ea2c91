"""The daily job: 60 and 30 days before a registration expires the person and
their manager are told, and once it has lapsed the head of service too; each
of them once per stage, however often the job runs."""

from datetime import date, timedelta

import pytest

from organisations.models import (
    MandatoryCourse,
    Notification,
    ProfessionalRegistration,
    RoleCourseRequirement,
    Service,
    TrainingRecord,
)
from organisations.models.structure import ServiceTree
from organisations.rules import registrations as rules
from organisations.services.registration_signals import head_of_service_id, registration_signals_send

TODAY = date(2026, 12, 1)


def _registration(person, expires_on):
    return ProfessionalRegistration.objects.create(
        organisation=person.organisation, employee=person, body="swe", number="SW123", expires_on=expires_on
    )


def _told(registration, stage):
    return sorted(
        Notification.objects.filter(
            kind="registration_expiring", key__startswith=f"registration:{registration.pk}:{stage}:"
        ).values_list("recipient__first_name", flat=True)
    )


@pytest.mark.django_db
def test_thirty_days_tells_the_person_and_manager_and_lapsing_tells_the_head_each_once(world):
    w = world
    registration = _registration(w.staff, TODAY + timedelta(days=30))
    for _ in range(2):  # the job runs again the same day: nothing new
        registration_signals_send(organisation=w.org, today=TODAY)
    assert _told(registration, rules.STAGE_30) == sorted([w.staff.first_name, w.manager.first_name])
    assert _told(registration, rules.LAPSED) == []

    # The next day still 30-day stage: nobody is told twice.
    registration_signals_send(organisation=w.org, today=TODAY + timedelta(days=1))
    assert Notification.objects.filter(kind="registration_expiring").count() == 2

    lapsed_on = TODAY + timedelta(days=31)
    for _ in range(2):
        registration_signals_send(organisation=w.org, today=lapsed_on)
    # The head of the service above the team (the team's manager is told as line manager).
    assert _told(registration, rules.LAPSED) == sorted(
        [w.staff.first_name, w.manager.first_name, w.service_head.first_name]
    )
    head_note = Notification.objects.get(recipient=w.service_head, key__contains=":lapsed:")
    assert "must not practise" in head_note.text and head_note.url.endswith(
        f"/people/{w.staff.pk}/#registrations"
    )
    assert Notification.objects.filter(kind="registration_expiring").count() == 5


@pytest.mark.django_db
def test_sixty_days_is_its_own_stage_and_a_renewal_starts_again(world):
    w = world
    registration = _registration(w.staff, TODAY + timedelta(days=45))
    registration_signals_send(organisation=w.org, today=TODAY)
    assert _told(registration, rules.STAGE_60) == sorted([w.staff.first_name, w.manager.first_name])
    registration_signals_send(organisation=w.org, today=TODAY + timedelta(days=15))
    assert len(_told(registration, rules.STAGE_30)) == 2
    # Renewed for three years: no stage is due; when it next nears expiry, people are told again.
    registration.expires_on = TODAY + timedelta(days=3 * 365)
    registration.save()
    registration_signals_send(organisation=w.org, today=TODAY + timedelta(days=16))
    assert Notification.objects.count() == 4
    registration_signals_send(organisation=w.org, today=registration.expires_on - timedelta(days=10))
    assert len(_told(registration, rules.STAGE_30)) == 4


@pytest.mark.django_db
def test_far_from_expiry_and_leavers_tell_nobody(world):
    w = world
    _registration(w.staff, TODAY + timedelta(days=61))
    w.peer.active = False
    w.peer.save()
    _registration(w.peer, TODAY - timedelta(days=3))
    counts = registration_signals_send(organisation=w.org, today=TODAY)
    assert counts.registrations == 0 and not Notification.objects.exists()


@pytest.mark.django_db
def test_required_training_warns_at_30_days_and_tells_the_manager_once_lapsed(world):
    w = world
    course = MandatoryCourse.objects.create(
        organisation=w.org, name="Information governance", renewal_months=12
    )
    RoleCourseRequirement.objects.create(job_role=w.staff.job_role, course=course)
    old = TrainingRecord.objects.create(
        organisation=w.org,
        employee=w.staff,
        course=course,
        completed_on=date(2024, 1, 1),
        expires_on=date(2025, 1, 1),
    )
    latest = TrainingRecord.objects.create(
        organisation=w.org,
        employee=w.staff,
        course=course,
        completed_on=date(2025, 12, 20),
        expires_on=date(2026, 12, 20),
    )
    counts = registration_signals_send(organisation=w.org, today=TODAY)
    # Only the latest completion counts: the older, lapsed one tells nobody.
    assert counts.training == 1
    assert not Notification.objects.filter(key__startswith=f"training:{old.pk}:").exists()
    assert Notification.objects.get(key__startswith=f"training:{latest.pk}:30:").recipient == w.staff
    registration_signals_send(organisation=w.org, today=date(2026, 12, 21))
    registration_signals_send(organisation=w.org, today=date(2026, 12, 22))
    lapsed = Notification.objects.filter(key__startswith=f"training:{latest.pk}:lapsed:")
    assert sorted(lapsed.values_list("recipient_id", flat=True)) == sorted([w.staff.pk, w.manager.pk])


@pytest.mark.django_db
def test_the_head_of_service_is_never_the_person_themselves(world):
    w = world
    tree = ServiceTree(Service.objects.filter(organisation=w.org))
    assert head_of_service_id(w.staff, tree) == w.service_head.pk
    assert head_of_service_id(w.service_head, tree) == w.head.pk
    assert head_of_service_id(w.chief, tree) is None


def test_the_task_is_on_the_beat_schedule():
    from perfmgmt.celery import app

    entry = app.conf.beat_schedule["registration-signals"]
    assert entry["task"] == "organisations.tasks.send_registration_signals"
