"""The demo's registrations and training: the planted story, and the sample
learning system file imports on the seeded council."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core import clock
from organisations.models import MandatoryCourse, Organisation, ProfessionalRegistration, TrainingRecord
from organisations.selectors.registrations import service_compliance
from organisations.services.registration_signals import registration_signals_send
from organisations.services.training_import import iter_training_csv, training_import

SAMPLE = Path(__file__).resolve().parent.parent / "demo" / "learning_system_training.csv"


@pytest.mark.django_db
def test_the_demo_plants_expiring_and_lapsed_social_workers_and_the_sample_file_imports():
    call_command("seed_demo", employees=150, seed=7, force=True, stdout=StringIO())
    council = Organisation.objects.get(slug="northshire")
    today = clock.today()
    registrations = ProfessionalRegistration.objects.filter(organisation=council)
    assert registrations.exists() and set(registrations.values_list("body", flat=True)) == {"swe"}
    assert registrations.filter(expires_on__lt=today).count() == 1
    assert (
        registrations.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=30)).count() == 2
    )
    assert (
        registrations.filter(
            expires_on__gt=today + timedelta(days=30), expires_on__lte=today + timedelta(days=60)
        ).count()
        == 2
    )
    assert dict(
        MandatoryCourse.objects.filter(organisation=council).values_list("name", "renewal_months")
    ) == {
        "Safeguarding adults": 36,
        "Information governance": 12,
    }
    assert TrainingRecord.objects.filter(organisation=council).count() > 100

    figures = service_compliance(council, council.services.values_list("pk", flat=True), today)
    assert len(figures.lapsed) == 1 and figures.registration_required == registrations.count()

    with SAMPLE.open("rb") as stream:
        outcome = training_import(
            organisation=council, rows=iter_training_csv(stream, filename=SAMPLE.name), by=None, today=today
        )
    assert outcome.ok, outcome.errors
    assert outcome.created == 6

    counts = registration_signals_send(organisation=council, today=today)
    assert counts.registrations >= 2 * 4 + 3  # four expiring (person and manager), one lapsed (three people)
