"""Committee papers: the Word and PDF papers go to whoever may read the
quarterly report; committees and sign-off are for performance officers."""

from insights.models import CommitteeTemplate
from tests.url_cases import Case
from tests.url_cases.dashboards import REPORT

OFFICER_ONLY = {"staff": 403, "peer": 403, "manager": 403, "head": 403, "chief": 403}


def world_committee(w) -> CommitteeTemplate:
    return CommitteeTemplate.objects.get_or_create(
        organisation=w.org, name="Cabinet", defaults={"sections": ["summary"]}
    )[0]


def other_committee(w) -> CommitteeTemplate:
    return CommitteeTemplate.objects.get_or_create(
        organisation=w.other_org, name="Board", defaults={"sections": ["summary"]}
    )[0]


CASES = [
    Case("insights:quarterly_report_docx", expect=REPORT),
    Case("insights:quarterly_report_pdf", expect=REPORT),
    Case("insights:committee_templates", methods=("GET", "POST"), expect=OFFICER_ONLY),
    Case(
        "insights:committee_template_edit",
        kwargs=lambda w: {"pk": world_committee(w).pk},
        other_kwargs=lambda w: {"pk": other_committee(w).pk},
        methods=("GET", "POST"),
        expect=OFFICER_ONLY,
    ),
    Case(
        "insights:committee_template_delete",
        kwargs=lambda w: {"pk": world_committee(w).pk},
        other_kwargs=lambda w: {"pk": other_committee(w).pk},
        methods=("POST",),
        post_expect={**OFFICER_ONLY, "officer": 302},
        post_default=403,
    ),
    Case("insights:quarter_sign_off", methods=("GET", "POST"), expect=OFFICER_ONLY),
]
