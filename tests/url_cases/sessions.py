"""Feedback sessions, appraisal cycles and the team dashboard.

The world gets, on first use: a session that ``manager`` held with ``staff`` and
shared (with an open action), the same in the other organisation, and an
appraisal cycle for 2026/27 (the other organisation's is 2019/20 only)."""

from datetime import date

from appraisals.models import SessionState
from tests.appraisals.session_factories import ActionFactory, AppraisalCycleFactory, FeedbackSessionFactory
from tests.url_cases import Case


def _session(w):
    if getattr(w, "_shared_session", None) is None:
        w._shared_session = FeedbackSessionFactory(
            employee=w.staff, manager=w.manager, state=SessionState.SHARED
        )
        w._action = ActionFactory(session=w._shared_session)
    return w._shared_session


def _other_session(w):
    if getattr(w, "_other_shared_session", None) is None:
        w._other_shared_session = FeedbackSessionFactory(
            employee=w.outsider, manager=w.outsider_manager, state=SessionState.SHARED
        )
        w._other_action = ActionFactory(session=w._other_shared_session)
    return w._other_shared_session


def _cycle_year(w):
    if getattr(w, "_cycle", None) is None:
        w._cycle = AppraisalCycleFactory(organisation=w.org, financial_year=2026)
    return 2026


def _other_cycle_year(w):
    if getattr(w, "_other_cycle", None) is None:
        w._other_cycle = AppraisalCycleFactory(organisation=w.other_org, financial_year=2019)
        assert date(2019, 9, 1) == w._other_cycle.mid_year_opens
    return 2019


def _action(w):
    _session(w)
    return w._action


def _other_action(w):
    _other_session(w)
    return w._other_action


CASES = [
    Case("appraisals:my_sessions"),
    Case(
        "appraisals:session_detail",
        kwargs=lambda w: {"pk": _session(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        # staff: their own shared session; head and officer: the restricted view.
    ),
    Case(
        "appraisals:session_edit",
        kwargs=lambda w: {"pk": _session(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("GET", "POST"),
        expect={"manager": 200},
        default=403,
    ),
    Case(
        "appraisals:session_share",
        kwargs=lambda w: {"pk": _session(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("POST",),
    ),
    Case(
        "appraisals:session_acknowledge",
        kwargs=lambda w: {"pk": _session(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("GET", "POST"),
        expect={"staff": 200},
        default=403,
    ),
    Case(
        "appraisals:employee_sessions",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
    ),
    Case(
        "appraisals:session_create",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        methods=("GET", "POST"),
        # the head of the directorate is above staff in line management
        expect={"manager": 200, "head": 200},
        default=403,
    ),
    Case(
        "appraisals:action_done",
        kwargs=lambda w: {"pk": _action(w).pk},
        other_kwargs=lambda w: {"pk": _other_action(w).pk},
        methods=("POST",),
    ),
    Case("appraisals:cycle_list", expect={"staff": 403}),
    Case(
        "appraisals:cycle_create",
        methods=("GET", "POST"),
        expect={"officer": 200, "outsider": 200},
        default=403,
    ),
    Case(
        "appraisals:cycle_detail",
        kwargs=lambda w: {"year": _cycle_year(w)},
        other_kwargs=lambda w: {"year": _other_cycle_year(w)},
        expect={"staff": 403},
    ),
    Case("insights:team_dashboard", expect={"manager": 200, "head": 200}, default=403),
]
