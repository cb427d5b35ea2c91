"""The risk register's URLs. Everyone in the organisation reads the register;
adding needs a performance officer or a head of service; editing needs the
owner, the head of the risk's service (or above) or a performance officer."""

from organisations.models import Risk, RiskAction
from tests.organisations.risk_factories import RiskActionFactory, RiskFactory
from tests.url_cases import ACTED, Case


def world_risk(w) -> Risk:
    """A risk on the Housing Options register, owned by its head of service."""
    if getattr(w, "_risk", None) is None:
        w._risk = RiskFactory(
            organisation=w.org, service=w.service, owner=w.service_head, title="Case system fails"
        )
    return w._risk


def world_action(w) -> RiskAction:
    if getattr(w, "_risk_action", None) is None:
        w._risk_action = RiskActionFactory(risk=world_risk(w), owner=w.service_head)
    return w._risk_action


def other_risk(w) -> Risk:
    if getattr(w, "_other_risk", None) is None:
        w._other_risk = RiskFactory(organisation=w.other_org, service=w.other_service, owner=w.outsider)
    return w._other_risk


def other_action(w) -> RiskAction:
    if getattr(w, "_other_action", None) is None:
        w._other_action = RiskActionFactory(risk=other_risk(w))
    return w._other_action


EDITORS = {"staff": 403, "peer": 403, "manager": 403, "head": 200, "officer": 200}

CASES = [
    Case("organisations:risk_register"),
    Case("organisations:risk_matrix"),
    Case("organisations:risk_create", methods=("GET", "POST"), expect={"staff": 403, "peer": 403}),
    Case(
        "organisations:risk_detail",
        kwargs=lambda w: {"pk": world_risk(w).pk},
        other_kwargs=lambda w: {"pk": other_risk(w).pk},
    ),
    Case(
        "organisations:risk_edit",
        kwargs=lambda w: {"pk": world_risk(w).pk},
        other_kwargs=lambda w: {"pk": other_risk(w).pk},
        methods=("GET", "POST"),
        expect=EDITORS,
    ),
    Case(
        "organisations:risk_action_add",
        kwargs=lambda w: {"pk": world_risk(w).pk},
        other_kwargs=lambda w: {"pk": other_risk(w).pk},
        methods=("GET", "POST"),
        expect=EDITORS,
    ),
    Case(
        "organisations:risk_action_done",
        kwargs=lambda w: {"pk": world_action(w).pk},
        other_kwargs=lambda w: {"pk": other_action(w).pk},
        methods=("POST",),
        # The action's owner (the service head), heads above and performance officers.
        post_expect={"staff": 403, "peer": 403, "manager": 403},
        post_default=ACTED,
    ),
]
