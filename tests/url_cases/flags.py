"""Flag pages. The world's flag here is about a service (Housing Options):
managers, heads of service and performance officers see it; staff without
reports have no flag pages. Flags about a person are tested in
tests/insights/test_flag_pages.py (chain and head of service only)."""

from insights.models import Flag
from tests.insights.flag_factories import FlagFactory
from tests.url_cases import Case

FLAG_VIEWERS = {"staff": 403, "manager": 200, "head": 200, "officer": 200}


def world_flag(w) -> Flag:
    if getattr(w, "_flag", None) is None:
        w._flag = FlagFactory(
            organisation=w.org, service=w.service, title="Housing Options leans on agency staff"
        )
    return w._flag


def other_flag(w) -> Flag:
    if getattr(w, "_other_flag", None) is None:
        w._other_flag = FlagFactory(organisation=w.other_org, service=w.other_service)
    return w._other_flag


CASES = [
    Case("insights:flag_list", expect={"staff": 403}),
    Case(
        "insights:flag_detail",
        kwargs=lambda w: {"pk": world_flag(w).pk},
        other_kwargs=lambda w: {"pk": other_flag(w).pk},
        expect=FLAG_VIEWERS,
    ),
    Case(
        "insights:flag_acknowledge",
        kwargs=lambda w: {"pk": world_flag(w).pk},
        other_kwargs=lambda w: {"pk": other_flag(w).pk},
        methods=("GET", "POST"),
        expect=FLAG_VIEWERS,
    ),
    Case(
        "insights:flag_dismiss",
        kwargs=lambda w: {"pk": world_flag(w).pk},
        other_kwargs=lambda w: {"pk": other_flag(w).pk},
        methods=("GET", "POST"),
        expect=FLAG_VIEWERS,
    ),
]
