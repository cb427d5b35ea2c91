import pytest
from django.core.management import CommandError, call_command

from organisations.models import Employee, Organisation
from organisations.services.people_import import people_import_apply, people_import_check
from tests.imports.test_hr_import import SAMPLES


@pytest.mark.django_db
def test_a_new_organisation_starts_with_its_administrator_and_takes_its_people_from_the_hr_file(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-long-secret-1")
    call_command(
        "create_organisation",
        "Northshire County Council",
        "northshire",
        "--admin-email=Ada.Admin@northshire.example",
        "--admin-first-name=Ada",
        "--admin-last-name=Admin",
    )
    org = Organisation.objects.get(slug="northshire")
    admin = Employee.objects.get(organisation=org)
    assert admin.is_organisation_admin and admin.user.check_password("a-long-secret-1")
    assert admin.user.username == "ada.admin@northshire.example"

    data = (SAMPLES / "itrent.csv").read_bytes()
    check = people_import_check(
        organisation=org, data=data, filename="itrent.csv", system="", complete=False, by=admin
    )
    people_import_apply(people_import=check, by=admin)
    assert Employee.objects.filter(organisation=org).count() > 20

    with pytest.raises(CommandError, match="already has the slug"):
        call_command(
            "create_organisation",
            "Again",
            "northshire",
            "--admin-email=b@x.example",
            "--admin-first-name=B",
            "--admin-last-name=C",
            "--no-password",
        )
