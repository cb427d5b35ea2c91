"""Professional registration and mandatory training. A registration and a
training record of ``staff``: their managers up the line (manager, head, chief)
and the performance officer may change them; staff and peer may not. Courses
and what roles require: performance officers (and HR officers, whom no persona
is). The learning system import: HR officers only, so every persona is refused
(tests/organisations/test_registration_pages.py signs one in). Another
organisation's objects are a 404."""

from datetime import date

from organisations.models import JobRole, MandatoryCourse, ProfessionalRegistration, TrainingRecord
from tests.url_cases import Case

LINE_AND_OFFICERS = {"staff": 403, "peer": 403}
OFFICERS_ONLY = {"staff": 403, "peer": 403, "manager": 403, "head": 403, "chief": 403}


def _course(org) -> MandatoryCourse:
    course, _ = MandatoryCourse.objects.get_or_create(
        organisation=org, name="Safeguarding adults", defaults={"renewal_months": 36}
    )
    return course


def _registration(person) -> ProfessionalRegistration:
    registration, _ = ProfessionalRegistration.objects.get_or_create(
        employee=person,
        body="swe",
        defaults={"organisation": person.organisation, "number": "SW1", "expires_on": date(2030, 1, 1)},
    )
    return registration


def _record(person) -> TrainingRecord:
    record, _ = TrainingRecord.objects.get_or_create(
        employee=person,
        course=_course(person.organisation),
        completed_on=date(2026, 1, 5),
        defaults={"organisation": person.organisation, "expires_on": date(2029, 1, 5)},
    )
    return record


def _other_role(w) -> JobRole:
    role, _ = JobRole.objects.get_or_create(organisation=w.other_org, title="Housing Officer")
    return role


CASES = [
    Case(
        "organisations:registration_add",
        kwargs=lambda w: {"person_pk": w.staff.pk},
        other_kwargs=lambda w: {"person_pk": w.outsider_manager.pk},
        methods=("GET", "POST"),
        expect=LINE_AND_OFFICERS,
    ),
    Case(
        "organisations:registration_edit",
        kwargs=lambda w: {"pk": _registration(w.staff).pk},
        other_kwargs=lambda w: {"pk": _registration(w.outsider_manager).pk},
        methods=("GET", "POST"),
        expect=LINE_AND_OFFICERS,
    ),
    Case(
        "organisations:training_add",
        kwargs=lambda w: {"person_pk": w.staff.pk},
        other_kwargs=lambda w: {"person_pk": w.outsider_manager.pk},
        methods=("GET", "POST"),
        expect=LINE_AND_OFFICERS,
    ),
    Case(
        "organisations:training_edit",
        kwargs=lambda w: {"pk": _record(w.staff).pk},
        other_kwargs=lambda w: {"pk": _record(w.outsider_manager).pk},
        methods=("GET", "POST"),
        expect=LINE_AND_OFFICERS,
    ),
    Case("organisations:course_list"),
    # The outsider is a performance officer of their own organisation.
    Case("organisations:course_create", methods=("GET", "POST"), expect=OFFICERS_ONLY),
    Case(
        "organisations:course_edit",
        kwargs=lambda w: {"pk": _course(w.org).pk},
        other_kwargs=lambda w: {"pk": _course(w.other_org).pk},
        methods=("GET", "POST"),
        expect=OFFICERS_ONLY,
    ),
    Case(
        "organisations:role_compliance",
        kwargs=lambda w: {"role_pk": w.staff.job_role_id},
        other_kwargs=lambda w: {"role_pk": _other_role(w).pk},
        methods=("GET", "POST"),
        expect=OFFICERS_ONLY,
    ),
    Case("organisations:training_import", methods=("GET", "POST"), default=403),
]
