"""The people import pages: upload -> check page -> apply, a bad file's errors next
to the file field, and who may (HR officers yes, staff 403, another organisation 404)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import Employee, PeopleImport
from tests.conftest import client_for

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "hr_samples"


@pytest.fixture
def hr_officer(world):
    world.officer.is_hr_officer = True
    world.officer.save()
    return world.officer


def _feed(world) -> bytes:
    """Two new people in the world's team, reporting to its manager."""
    world.manager.employee_number = "M1"
    world.manager.save()
    return (
        b"Employee Number,Forename,Surname,Organisation Path,Line Manager Employee Number,Start Date\r\n"
        b"N1,Nia,New,Testshire Council > Housing > Housing Options > Options Team,M1,01/04/2026\r\n"
        b"N2,Ned,New,Testshire Council > Housing > Housing Options > New Team,M1,2026-04-01\r\n"
    )


def test_upload_check_then_apply(world, hr_officer, django_assert_max_num_queries):
    client = client_for(hr_officer)
    assert client.get(reverse("organisations:people_import")).status_code == 200
    upload = SimpleUploadedFile("people.csv", _feed(world), content_type="text/csv")
    response = client.post(reverse("organisations:people_import"), {"file": upload, "system": "itrent"})
    assert response.status_code == 302
    record = PeopleImport.objects.get(organisation=world.org)
    page = client.get(response["Location"]).content.decode()
    assert "Check of a people file" in page and "Apply these changes" in page
    assert "Housing › Housing Options › New Team" in page and "Nia New" in page
    assert not Employee.objects.filter(employee_number="N1").exists()
    response = client.post(reverse("organisations:people_import_apply", args=[record.pk]))
    assert response.status_code == 302
    assert Employee.objects.get(employee_number="N2").service.name == "New Team"
    with django_assert_max_num_queries(12):
        page = client.get(reverse("organisations:people_import_detail", args=[record.pk])).content.decode()
    assert "People import applied" in page
    history = client.get(reverse("organisations:people_import_history")).content.decode()
    assert "people.csv" in history and "Applied" in history


def test_a_bad_file_shows_its_problems_next_to_the_field(world, hr_officer):
    client = client_for(hr_officer)
    bad = _feed(world).replace(b"01/04/2026", b"31/13/2026")
    response = client.post(
        reverse("organisations:people_import"), {"file": SimpleUploadedFile("people.csv", bad)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'id="id_file-error"' in page or "govuk-error-message" in page
    assert "The file has 1 problem" in page and "31/13/2026" in page
    assert not PeopleImport.objects.exists() and not Employee.objects.filter(employee_number="N1").exists()


def test_who_may(world, hr_officer):
    url = reverse("organisations:people_import")
    assert client_for(world.staff).get(url).status_code == 403
    assert client_for(world.officer).get(url).status_code == 200
    other = PeopleImport.objects.create(organisation=world.other_org, filename="x.csv", system="itrent")
    assert (
        client_for(hr_officer).get(reverse("organisations:people_import_detail", args=[other.pk])).status_code
        == 404
    )
    mine = PeopleImport.objects.create(organisation=world.org, filename="x.csv", system="itrent", summary={})
    assert (
        client_for(world.staff).get(reverse("organisations:people_import_detail", args=[mine.pk])).status_code
        == 403
    )
    admin = world.head
    admin.is_organisation_admin = True
    admin.save()
    assert client_for(admin).get(reverse("organisations:people_import_history")).status_code == 200


def test_the_service_page_shows_who_needs_a_new_line_manager(world):
    world.manager.active = False
    world.manager.save()
    page = (
        client_for(world.head)
        .get(reverse("organisations:service_detail", args=[world.team.pk]))
        .content.decode()
    )
    assert "needs a new line manager" in page


def test_the_people_page_links_to_the_import_for_hr_officers(world, hr_officer):
    link = reverse("organisations:people_import_history")
    assert link in client_for(hr_officer).get(reverse("organisations:people")).content.decode()
    assert link not in client_for(world.staff).get(reverse("organisations:people")).content.decode()
