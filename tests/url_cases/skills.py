"""Permission-matrix cases for the skills framework, skills coverage and runs."""

from tests.factories import JobRoleFactory
from tests.organisations.skill_factories import SkillFactory
from tests.url_cases import Case

# The skills framework is the performance officers' (not the chief executive's).
PO_ONLY = {"staff": 403, "peer": 403, "manager": 403, "head": 403, "chief": 403, "officer": 200}
# Heads of the service or above, managers of a team in it, officers, the chief executive.
SERVICE_LEADERS = {"staff": 403, "peer": 403, "manager": 200, "head": 200, "officer": 200}


def _skill(org):
    return SkillFactory(organisation=org).pk


def _role(org):
    return JobRoleFactory(organisation=org).pk


CASES = [
    Case("organisations:skills_framework"),
    Case("organisations:skill_create", methods=("GET", "POST"), expect={**PO_ONLY, "outsider": 200}),
    Case(
        "organisations:skill_edit",
        kwargs=lambda w: {"pk": _skill(w.org)},
        other_kwargs=lambda w: {"pk": _skill(w.other_org)},
        methods=("GET", "POST"),
        expect=PO_ONLY,
    ),
    Case(
        "organisations:role_profile",
        kwargs=lambda w: {"pk": w.staff.job_role_id},
        other_kwargs=lambda w: {"pk": _role(w.other_org)},
    ),
    Case(
        "organisations:role_requirements",
        kwargs=lambda w: {"role_pk": w.staff.job_role_id},
        other_kwargs=lambda w: {"role_pk": _role(w.other_org)},
        methods=("GET", "POST"),
        expect=PO_ONLY,
    ),
    Case("appraisals:my_skills", methods=("GET", "POST")),
    Case(
        "insights:skills_heatmap",
        kwargs=lambda w: {"service_pk": w.service.pk},
        other_kwargs=lambda w: {"service_pk": w.other_service.pk},
        expect=SERVICE_LEADERS,
    ),
    Case(
        "insights:skills_gaps",
        kwargs=lambda w: {"service_pk": w.service.pk},
        other_kwargs=lambda w: {"service_pk": w.other_service.pk},
        expect=SERVICE_LEADERS,
    ),
    # Performance officers and the chief executive; the outsider is an officer of their own organisation.
    Case("insights:run_list", expect={**PO_ONLY, "chief": 200, "outsider": 200}),
    # Starting a run: performance officers only (the outsider is one in their own organisation).
    Case(
        "insights:run_now",
        methods=("POST",),
        post_expect={"officer": 302, "outsider": 302},
        post_default=403,
    ),
]
