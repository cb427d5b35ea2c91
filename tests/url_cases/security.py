"""My data, and the history pages: each record type's history is for those who may
see the record (a session's history, with its private note, only for those who
may read the session's content)."""

from tests.appraisals.factories import goals_of
from tests.url_cases import Case
from tests.url_cases.flags import other_flag, staff_flag, world_flag
from tests.url_cases.kpis import other_kpi, world_kpi
from tests.url_cases.risks import other_risk, world_risk
from tests.url_cases.sessions import _draft, _other_session, _session


def _history(label, world_object, other_object, variant="", **kw):
    return Case(
        "insights:history",
        variant=variant,
        kwargs=lambda w: {"model_label": label, "pk": world_object(w).pk},
        other_kwargs=lambda w: {"model_label": label, "pk": other_object(w).pk},
        **kw,
    )


# Only the author and the employee's line manager and grandmanager read a
# session's content; of the personas, that is the manager.
SESSION_CONTENT = {"manager": 200}

CASES = [
    Case("insights:my_data"),
    Case("insights:my_data", variant="csv", query="format=csv"),
    Case("insights:my_data", variant="json", query="format=json"),
    _history("organisations.employee", lambda w: w.staff, lambda w: w.outsider, expect={"peer": 403}),
    _history(
        "appraisals.feedbacksession", _session, _other_session, "session", expect=SESSION_CONTENT, default=403
    ),
    _history(
        "appraisals.feedbacksession",
        _draft,
        _other_session,
        "draft session",
        expect=SESSION_CONTENT,
        default=403,
    ),
    _history(
        "appraisals.goal",
        lambda w: goals_of(w).staff_goal,
        lambda w: goals_of(w).outsider_goal,
        "goal",
        expect={"peer": 403},
    ),
    _history(
        "insights.flag",
        staff_flag,
        other_flag,
        "personal flag",
        expect={"staff": 403, "peer": 403, "officer": 403},
    ),
    _history("insights.flag", world_flag, other_flag, "service flag", expect={"staff": 403, "peer": 403}),
    _history("organisations.kpi", world_kpi, other_kpi, "kpi"),
    _history("organisations.risk", world_risk, other_risk, "risk"),
]
