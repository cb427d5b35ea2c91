"""Flag pages. The world's flag here is about a service (Housing Options) and
names the manager as the one who acts: the manager, the heads above and
performance officers see it; the manager and those above may acknowledge or
dismiss it, an officer may not (it is not theirs to act on); staff without
reports have no flag pages. A flag about ``staff`` (the "personal" variants) is
for staff's management chain and the head of their service only: not the
performance officer, not peer, not staff (see insights/models/flags.py)."""

from insights.models import Flag
from tests.insights.flag_factories import FlagFactory, personal_flag
from tests.url_cases import Case

FLAG_VIEWERS = {"staff": 403, "peer": 403, "manager": 200, "head": 200, "officer": 200}
FLAG_ACTORS = {**FLAG_VIEWERS, "officer": 403}
PERSONAL_FLAG_VIEWERS = {"staff": 403, "peer": 403, "officer": 403, "manager": 200, "head": 200, "chief": 200}


def world_flag(w) -> Flag:
    if getattr(w, "_flag", None) is None:
        w._flag = FlagFactory(
            organisation=w.org,
            service=w.service,
            owner=w.manager,
            title="Housing Options leans on agency staff",
        )
    return w._flag


def staff_flag(w) -> Flag:
    if getattr(w, "_staff_flag", None) is None:
        w._staff_flag = personal_flag(
            w.staff, title="FLAG-ABOUT-STAFF-MARKER", evidence={"note": "FLAG-EVIDENCE-MARKER"}
        )
    return w._staff_flag


def other_flag(w) -> Flag:
    if getattr(w, "_other_flag", None) is None:
        w._other_flag = FlagFactory(organisation=w.other_org, service=w.other_service)
    return w._other_flag


CASES = [
    Case("insights:flag_list", expect={"staff": 403, "peer": 403}),
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
        expect=FLAG_ACTORS,
    ),
    Case(
        "insights:flag_dismiss",
        kwargs=lambda w: {"pk": world_flag(w).pk},
        other_kwargs=lambda w: {"pk": other_flag(w).pk},
        methods=("GET", "POST"),
        expect=FLAG_ACTORS,
    ),
    *[
        Case(
            name,
            variant="personal",
            kwargs=lambda w: {"pk": staff_flag(w).pk},
            other_kwargs=lambda w: {"pk": other_flag(w).pk},
            methods=methods,
            expect=PERSONAL_FLAG_VIEWERS,
        )
        for name, methods in (
            ("insights:flag_detail", ("GET",)),
            ("insights:flag_acknowledge", ("GET", "POST")),
            ("insights:flag_dismiss", ("GET", "POST")),
        )
    ],
]
