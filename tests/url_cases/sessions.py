"""Feedback sessions, appraisal cycles and the team dashboard.

The world gets, on first use: a session that ``manager`` held with ``staff`` and
shared (with an open action), a draft one (not yet shared, so not even ``staff``
may open it), the same in the other organisation, and an appraisal cycle for
2026/27 (the other organisation's is 2019/20 only). ``peer`` works beside
``staff`` and may see none of staff's sessions."""

from datetime import date

from appraisals.models import SessionState
from tests.appraisals.session_factories import ActionFactory, AppraisalCycleFactory, FeedbackSessionFactory
from tests.url_cases import Case


def _session(w):
    if getattr(w, "_shared_session", None) is None:
        w._shared_session = FeedbackSessionFactory(
            employee=w.staff,
            manager=w.manager,
            state=SessionState.SHARED,
            discussion="SHARED-DISCUSSION-MARKER",  # the matrix checks who is shown these
            wellbeing="WELLBEING-MARKER",
            private_note="PRIVATE-NOTE-MARKER",
        )
        w._action = ActionFactory(session=w._shared_session)
    return w._shared_session


def _draft(w):
    if getattr(w, "_draft_session", None) is None:
        w._draft_session = FeedbackSessionFactory(
            employee=w.staff,
            manager=w.manager,
            state=SessionState.DRAFT,
            discussion="DRAFT-MARKER",  # the matrix checks who is shown it
            private_note="PRIVATE-NOTE-MARKER",
        )
    return w._draft_session


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
        # staff: their own shared session; head, chief and officer: the restricted view.
        expect={"peer": 403},
    ),
    Case(
        "appraisals:session_detail",
        variant="draft",
        kwargs=lambda w: {"pk": _draft(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        # Not shared yet: a draft is its author's alone (the manager here).
        expect={"staff": 403, "peer": 403, "head": 403, "chief": 403, "officer": 403},
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
        "appraisals:session_edit",
        variant="draft",
        kwargs=lambda w: {"pk": _draft(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("GET", "POST"),
        expect={"manager": 200},
        default=403,
    ),
    # Sharing: the manager who held it (already shared: told so, sent back).
    Case(
        "appraisals:session_share",
        kwargs=lambda w: {"pk": _session(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("POST",),
        post_expect={"manager": 302},
        post_default=403,
    ),
    Case(
        "appraisals:session_share",
        variant="draft",
        kwargs=lambda w: {"pk": _draft(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("POST",),
        post_expect={"manager": 302},
        post_default=403,
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
        "appraisals:session_acknowledge",
        variant="draft",
        kwargs=lambda w: {"pk": _draft(w).pk},
        other_kwargs=lambda w: {"pk": _other_session(w).pk},
        methods=("GET", "POST"),
        default=403,
    ),
    Case(
        "appraisals:employee_sessions",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        expect={"peer": 403},
    ),
    Case(
        "appraisals:session_create",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        methods=("GET", "POST"),
        # everyone above staff in line management: manager, head, chief
        expect={"manager": 200, "head": 200, "chief": 200},
        default=403,
    ),
    Case(
        "appraisals:action_done",
        kwargs=lambda w: {"pk": _action(w).pk},
        other_kwargs=lambda w: {"pk": _other_action(w).pk},
        methods=("POST",),
        # The action's owner (staff) or the session's manager.
        post_expect={"staff": 302, "manager": 302},
        post_default=403,
    ),
    Case("appraisals:cycle_list", expect={"staff": 403, "peer": 403}),
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
        expect={"staff": 403, "peer": 403},
    ),
    Case("insights:team_dashboard", expect={"manager": 200, "head": 200, "chief": 200}, default=403),
]
