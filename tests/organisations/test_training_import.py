"""The learning system's CSV of completed training: all or nothing, each bad row
listed with its reason, and the page for HR officers."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import MandatoryCourse, TrainingRecord
from organisations.services.training_import import iter_training_csv, training_import
from tests.conftest import client_for
from tests.factories import EmployeeFactory, UserFactory

TODAY = date(2026, 12, 1)
HEADER = "employee_number,course,completed_on,score\n"


@pytest.fixture
def learning(world):
    w = world
    for person, number in ((w.staff, "E100"), (w.peer, "E101"), (w.manager, "E102")):
        person.employee_number = number
        person.save()
    return {
        "safeguarding": MandatoryCourse.objects.create(
            organisation=w.org, name="Safeguarding adults", renewal_months=36
        ),
        "ig": MandatoryCourse.objects.create(
            organisation=w.org, name="Information governance", renewal_months=12
        ),
    }


def run(world, text):
    rows = iter_training_csv(io.BytesIO((HEADER + text).encode()), filename="lms.csv")
    return training_import(organisation=world.org, rows=rows, by=world.officer, today=TODAY)


@pytest.mark.django_db
def test_a_good_file_records_every_completion_with_its_expiry(world, learning):
    outcome = run(world, "E100,Safeguarding adults,2026-03-14,95\ne101,information GOVERNANCE,01/11/2026,\n")
    assert outcome.ok and outcome.created == 2
    staff = TrainingRecord.objects.get(employee=world.staff)
    assert (staff.course, staff.expires_on, staff.source) == (
        learning["safeguarding"],
        date(2029, 3, 14),
        "import",
    )
    assert TrainingRecord.objects.get(employee=world.peer).expires_on == date(2027, 11, 1)
    assert staff.history.first().history_user == world.officer.user
    # The same export again adds nothing.
    again = run(world, "E100,Safeguarding adults,2026-03-14,95\n")
    assert again.ok and (again.created, again.already) == (0, 1)


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_says_which_and_why(world, learning):
    outcome = run(
        world,
        "E100,Safeguarding adults,2026-03-14,\n"
        "E999,Safeguarding adults,2026-03-14,\n"
        "E101,Information governance,2026-11-01,\n",
    )
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "employee_number")]
    assert "E999" in outcome.errors[0].message
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_each_kind_of_bad_row_has_its_reason(world, learning):
    world.manager.active = False
    world.manager.save()
    outcome = run(
        world,
        ",Safeguarding adults,2026-03-14,\n"  # 2: no number
        "E100,First aid,2026-03-14,\n"  # 3: not a mandatory course
        "E100,Safeguarding adults,14th March,\n"  # 4: not a date
        "E100,Safeguarding adults,2027-01-01,\n"  # 5: in the future
        "E101,Safeguarding adults,2026-03-14,\n"  # 6: fine
        "E101,Safeguarding adults,14/03/2026,\n"  # 7: the same as row 6
        "E102,Safeguarding adults,2026-03-14,\n",  # 8: a leaver
    )
    by_row = {e.row: e for e in outcome.errors}
    assert sorted(by_row) == [2, 3, 4, 5, 7, 8]
    assert "The courses are: Information governance, Safeguarding adults" in by_row[3].message
    assert "is not a date" in by_row[4].message and "in the future" in by_row[5].message
    assert "Row 6 already" in by_row[7].message and "has left" in by_row[8].message
    assert not TrainingRecord.objects.exists()


@pytest.fixture
def hr_client(world):
    hr = EmployeeFactory(
        organisation=world.org, service=world.corporate, user=UserFactory(username="hr"), is_hr_officer=True
    )
    return client_for(hr)


@pytest.mark.django_db
def test_the_page_lists_the_problems_and_keeps_nothing(world, learning, hr_client):
    upload = SimpleUploadedFile(
        "lms.csv", (HEADER + "E100,Safeguarding adults,2026-03-14,\nE100,Fire safety,2026-03-14,\n").encode()
    )
    response = hr_client.post(reverse("organisations:training_import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html and "Problems in the file (1)" in html
    assert "&#x27;Fire safety&#x27; is not a mandatory course" in html
    assert "govuk-error-summary" in html
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_the_page_imports_a_good_file(world, learning, hr_client):
    upload = SimpleUploadedFile("lms.csv", (HEADER + "E100,Safeguarding adults,2026-03-14,\n").encode())
    response = hr_client.post(reverse("organisations:training_import"), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisations:course_list")
    assert "Imported 1 completion." in response.content.decode()
    assert TrainingRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused_in_words(world, learning, hr_client):
    upload = SimpleUploadedFile("lms.csv", b"person,course\nE100,Safeguarding adults\n")
    response = hr_client.post(reverse("organisations:training_import"), {"file": upload})
    assert "missing the columns employee_number, completed_on" in response.content.decode()
