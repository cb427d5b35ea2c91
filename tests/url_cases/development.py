"""Development plans, and a role's interim day rate.

A development item about ``staff`` (and one about the other organisation's
``outsider``) is made on first use. Seeing follows the person-record rule (staff,
their management chain, heads of their service, officers, the chief executive;
not ``peer``); adding and changing is for staff and their management chain, not
performance officers."""

from tests.appraisals.development_factories import DevelopmentItemFactory
from tests.factories import JobRoleFactory
from tests.url_cases import Case

PO_ONLY = {"staff": 403, "peer": 403, "manager": 403, "head": 403, "chief": 403, "officer": 200}
SEE = {"peer": 403}
PLAN = {"peer": 403, "officer": 403}


def _item(w):
    if getattr(w, "_development_item", None) is None:
        w._development_item = DevelopmentItemFactory(employee=w.staff)
    return w._development_item


def _other_item(w):
    if getattr(w, "_other_development_item", None) is None:
        w._other_development_item = DevelopmentItemFactory(employee=w.outsider)
    return w._other_development_item


CASES = [
    Case(
        "appraisals:development_plan",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        expect=SEE,
    ),
    Case(
        "appraisals:development_create",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        methods=("GET", "POST"),
        expect=PLAN,
    ),
    Case(
        "appraisals:development_item",
        kwargs=lambda w: {"pk": _item(w).pk},
        other_kwargs=lambda w: {"pk": _other_item(w).pk},
        expect=SEE,
    ),
    Case(
        "appraisals:development_edit",
        kwargs=lambda w: {"pk": _item(w).pk},
        other_kwargs=lambda w: {"pk": _other_item(w).pk},
        methods=("GET", "POST"),
        expect=PLAN,
    ),
    Case(
        "appraisals:development_complete",
        kwargs=lambda w: {"pk": _item(w).pk},
        other_kwargs=lambda w: {"pk": _other_item(w).pk},
        methods=("GET", "POST"),
        expect=PLAN,
    ),
    Case(
        "organisations:role_day_rate",
        kwargs=lambda w: {"pk": w.staff.job_role_id},
        other_kwargs=lambda w: {"pk": JobRoleFactory(organisation=w.other_org).pk},
        methods=("GET", "POST"),
        expect=PO_ONLY,
    ),
]
