"""People imports from the HR system: organisation administrators and HR officers
only. No persona of the world is either, so every one is refused (tests/imports/
test_hr_import_views.py signs in an HR officer); another organisation's import is
a 404."""

from organisations.models import PeopleImport
from tests.url_cases import Case


def world_import(w) -> PeopleImport:
    record, _ = PeopleImport.objects.get_or_create(
        organisation=w.org,
        filename="people.csv",
        defaults={"system": "itrent", "summary": {"as_of": "2026-04-01"}},
    )
    return record


def other_import(w) -> PeopleImport:
    record, _ = PeopleImport.objects.get_or_create(
        organisation=w.other_org,
        filename="people.csv",
        defaults={"system": "itrent", "summary": {"as_of": "2026-04-01"}},
    )
    return record


CASES = [
    Case("organisations:people_import_history", default=403),
    Case("organisations:people_import", methods=("GET", "POST"), default=403),
    Case(
        "organisations:people_import_detail",
        kwargs=lambda w: {"pk": world_import(w).pk},
        other_kwargs=lambda w: {"pk": other_import(w).pk},
        default=403,
    ),
    Case(
        "organisations:people_import_apply",
        kwargs=lambda w: {"pk": world_import(w).pk},
        other_kwargs=lambda w: {"pk": other_import(w).pk},
        methods=("POST",),
        post_default=403,
    ),
]
