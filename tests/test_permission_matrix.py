"""Every URL in the URL conf, for every persona and every method it accepts.

- anonymous -> the sign-in page (unless public), for GET and POST;
- another organisation's object -> 404 for every persona of the world, GET and POST;
- each persona: GET -> the status its case expects; POST with an empty (or the
  case's minimal) body -> a persona refused the page gets the same 403/404 (or
  the case's ``post_expect``), one allowed it gets 200 (the form again, with its
  errors), 302 (done) or 400; never a 500 and never a success for someone refused;
- a method the view does not accept -> 405;
- the Django admin: superusers only (not ``is_staff`` users, not personas).

Each POST runs in a savepoint that is rolled back, so one persona's POST never
changes what the next persona sees. ``matrix_plan()`` lists every request the
matrix makes; its size is printed at the end of a run (see tests/conftest.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.url_cases import PERSONAS, REFUSED, Case, all_cases

CASES = all_cases()
OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Personas of the world's organisation: another organisation's object is a 404 for each.
WORLD_PERSONAS = tuple(p for p in PERSONAS if p != "outsider")


def url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns == "admin":
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from url_names(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def matrix_plan() -> list[tuple[str, str, str, str]]:
    """Every (part, case key, persona, method) request the matrix makes."""
    plan = []
    for key, case in sorted(CASES.items()):
        for method in case.methods:
            plan.append(("anonymous", key, "anonymous", method))
            for persona in PERSONAS:
                plan.append(("personas", key, persona, method))
            if case.other_kwargs:
                for persona in WORLD_PERSONAS:
                    plan.append(("other organisation", key, persona, method))
    return plan


def matrix_summary() -> str:
    plan = matrix_plan()
    parts = Counter(part for part, *_ in plan)
    urls = len({CASES[key].name for _, key, _, _ in plan})
    detail = ", ".join(f"{parts[p]} {p}" for p in ("personas", "anonymous", "other organisation"))
    return (
        f"permission matrix: {len(plan)} URL x persona x method requests over {urls} URL names "
        f"and {len(CASES)} cases ({detail})"
    )


def test_every_url_has_a_case():
    missing = sorted(set(url_names()) - {c.name for c in CASES.values()})
    assert not missing, f"URLs with no permission-matrix case: {missing}"


def test_post_only_urls_state_their_post_expectations():
    vague = sorted(
        key
        for key, case in CASES.items()
        if "GET" not in case.methods and not all(case.states_post(p) for p in PERSONAS)
    )
    assert not vague, f"POST-only URLs must give post_expect or post_default: {vague}"


def test_the_matrix_is_complete():
    plan = matrix_plan()
    assert len(plan) == len(set(plan))
    walked = {(key, persona, method) for part, key, persona, method in plan if part == "personas"}
    for key, case in CASES.items():
        for method in case.methods:
            assert all((key, p, method) in walked for p in PERSONAS), key
    assert {"chief", "peer"} <= set(PERSONAS)


def _url(case: Case, world, which: str = "kwargs") -> str:
    builder = getattr(case, which)
    url = reverse(case.name, kwargs=builder(world) if builder else None)
    return url + (f"?{case.query}" if case.query else "")


class _Undo(Exception):
    """Raised to roll back the savepoint around one request."""

    def __init__(self, response):
        self.response = response


def _send(client: Client, method: str, url: str, data: dict | None = None):
    """The response, from inside a savepoint that is rolled back afterwards."""
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif method == "POST":
                response = client.post(url, data or {})
            else:
                response = client.generic(method, url)
            raise _Undo(response)
    except _Undo as undo:
        return undo.response


def _request(client: Client, method: str, url: str, data: dict | None = None) -> int | str:
    """The status; a view that crashed is a 500 with its cause, beside the other statuses."""
    try:
        return _send(client, method, url, data).status_code
    except Exception as exc:
        return f"500 {type(exc).__name__}: {exc}"


def _matches(status: int | str, expected: int | tuple[int, ...]) -> bool:
    return status in expected if isinstance(expected, tuple) else status == expected


@pytest.mark.parametrize("key", sorted(CASES))
def test_anonymous(key, world):
    case = CASES[key]
    url = _url(case, world)
    for method in case.methods:
        response = _send(Client(), method, url)
        if case.public:
            assert response.status_code < 500, (method, response.status_code)
            assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
        else:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), (
                method,
                response.status_code,
            )


@pytest.fixture
def secrets(world) -> dict[str, set[str]]:
    """Marked records only some personas may read: each marker, and who may see it.
    Every page a persona gets (200, text) is searched for the markers they may not."""
    from tests.appraisals.factories import GoalCheckInFactory
    from tests.appraisals.session_factories import ActionFactory, FeedbackSessionFactory, GoalFactory
    from tests.factories import EmployeeFactory
    from tests.insights.flag_factories import FlagFactory, personal_flag
    from tests.organisations.factories import KPIFactory
    from tests.organisations.risk_factories import RiskFactory

    shared = FeedbackSessionFactory(
        employee=world.staff,
        manager=world.manager,
        state="shared",
        discussion="SHARED-DISCUSSION-MARKER",
        wellbeing="WELLBEING-MARKER",
        private_note="PRIVATE-NOTE-MARKER",
    )
    draft = FeedbackSessionFactory(
        employee=world.staff,
        manager=world.manager,
        discussion="DRAFT-MARKER",
        private_note="PRIVATE-NOTE-MARKER",
    )
    # What a draft records beside its text: an action and a goal check-in comment.
    ActionFactory(session=draft, description="DRAFT-ACTION-MARKER")
    staff_goal = GoalFactory(owner=world.staff, title="Staff objective")
    GoalCheckInFactory(goal=staff_goal, session=draft, author=world.manager, comment="DRAFT-CHECKIN-MARKER")
    # A comment typed into a goal's row of a shared session: the session's confidentiality.
    GoalCheckInFactory(
        goal=staff_goal, session=shared, author=world.manager, comment="SESSION-CHECKIN-MARKER"
    )
    GoalFactory(owner=world.peer, title="PEER-GOAL-MARKER")
    personal_flag(world.staff, title="FLAG-ABOUT-STAFF-MARKER", evidence={"note": "FLAG-EVIDENCE-MARKER"})
    # A flag about a head of service: for their own manager, never for themselves.
    personal_flag(world.head, service=world.directorate, title="FLAG-ABOUT-HEAD-MARKER")
    # A colleague's contract end is an HR detail (the year is the marker).
    type(world.staff).objects.filter(pk=world.staff.pk).update(end_date=date(2037, 7, 9))
    # The other organisation.
    FeedbackSessionFactory(
        employee=world.outsider,
        manager=world.outsider_manager,
        state="shared",
        discussion="OTHER-ORG-MARKER session",
        private_note="OTHER-PRIVATE-NOTE-MARKER",
    )
    GoalFactory(owner=world.outsider, title="OTHER-ORG-MARKER goal")
    KPIFactory(
        organisation=world.other_org, service=world.other_service, code="OO-1", name="OTHER-ORG-MARKER kpi"
    )
    RiskFactory(organisation=world.other_org, service=world.other_service, title="OTHER-ORG-MARKER risk")
    FlagFactory(organisation=world.other_org, service=world.other_service, title="OTHER-ORG-MARKER flag")
    EmployeeFactory(organisation=world.other_org, service=world.other_service, first_name="OTHER-ORG-MARKER")
    assert shared.pk
    content = {"manager"}  # who held them; the line manager and grandmanager are not personas
    return {
        "PRIVATE-NOTE-MARKER": content,
        "PRIVATE-NOTE-do-not-show": content,  # the factory's note in every other session
        "OTHER-PRIVATE-NOTE-MARKER": set(),  # outsider_manager's note; the outsider is the employee
        "DRAFT-MARKER": content,
        "SHARED-DISCUSSION-MARKER": content | {"staff"},
        "WELLBEING-MARKER": content | {"staff"},
        "DRAFT-ACTION-MARKER": content,
        "DRAFT-CHECKIN-MARKER": content,
        "SESSION-CHECKIN-MARKER": content | {"staff"},
        "PEER-GOAL-MARKER": {"peer", "manager", "head", "chief", "officer"},
        "FLAG-ABOUT-STAFF-MARKER": {"manager", "head", "chief"},
        "FLAG-ABOUT-HEAD-MARKER": {"chief"},
        "2037": {"staff", "manager", "head", "chief", "officer"},
        "FLAG-EVIDENCE-MARKER": {"manager", "head", "chief"},
        "OTHER-ORG-MARKER": {"outsider"},
    }


# A flag about a person is not shown to them in the flag pages, but their data
# download includes it with its evidence (UK GDPR right of access).
SUBJECT_ACCESS = {
    ("insights:my_data", "staff"): {"FLAG-ABOUT-STAFF-MARKER", "FLAG-EVIDENCE-MARKER"},
    ("insights:my_data", "head"): {"FLAG-ABOUT-HEAD-MARKER"},
}


def _leaks(response, name: str, persona: str, secrets: dict[str, set[str]]) -> list[str]:
    kind = response.get("Content-Type", "")
    if response.status_code != 200 or not any(t in kind for t in ("text/", "json")):
        return []
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    own = SUBJECT_ACCESS.get((name, persona), set())
    return [
        marker
        for marker, allowed in secrets.items()
        if persona not in allowed and marker not in own and marker in text
    ]


@pytest.mark.parametrize("key", sorted(CASES))
def test_personas(key, world, secrets):
    """Each persona's status on GET and POST, and no page shows them a record they may not see."""
    case = CASES[key]
    url = _url(case, world)
    data = case.post_data(world) if case.post_data else {}
    wrong = []
    for persona in PERSONAS:
        client = client_for(world.persona(persona))
        for method in case.methods:
            want = case.expected(persona) if method == "GET" else case.expected_post(persona)
            try:
                response = _send(client, method, url, data)
            except Exception as exc:
                wrong.append(f"{persona} {method}: got 500 {type(exc).__name__}: {exc}, expected {want}")
                continue
            if not _matches(response.status_code, want):
                wrong.append(f"{persona} {method}: got {response.status_code}, expected {want}")
            if method == "GET" and (leaked := _leaks(response, case.name, persona, secrets)):
                wrong.append(f"{persona} {method}: shows {', '.join(leaked)}")
    if wrong:
        pytest.fail(f"{key} {url}\n" + "\n".join(wrong), pytrace=False)


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.other_kwargs))
def test_other_organisation_object_is_404(key, world):
    case = CASES[key]
    url = _url(case, world, "other_kwargs")
    data = case.post_data(world) if case.post_data else {}
    got = {}
    for persona in WORLD_PERSONAS:
        client = client_for(world.persona(persona))
        for method in case.methods:
            got[persona, method] = _request(client, method, url, data)
    wrong = [
        f"{persona} {method}: got {status}" for (persona, method), status in got.items() if status != 404
    ]
    if wrong:
        pytest.fail(f"{key} {url}\n" + "\n".join(wrong), pytrace=False)


@pytest.mark.parametrize("key", sorted(CASES))
def test_wrong_methods_are_405(key, world):
    case = CASES[key]
    if case.public:
        client = Client()
    else:
        client = client_for(world.staff if case.expected("staff") != 404 else world.officer)
    url = _url(case, world)
    for method in OTHER_METHODS:
        if method in case.methods:
            continue
        assert _request(client, method, url) == 405, method


def test_refusals_are_never_a_success():
    """The rule the POST expectations follow: a persona refused a page is refused its POST."""
    for key, case in CASES.items():
        if "GET" not in case.methods:
            continue
        for persona in PERSONAS:
            if case.expected(persona) in REFUSED and persona not in case.post_expect:
                assert case.expected_post(persona) == case.expected(persona), (key, persona)


ADMIN_PAGES = ("/admin/", "/admin/organisations/employee/", "/admin/appraisals/feedbacksession/")


def test_admin_is_for_superusers_only(world):
    for persona in PERSONAS:
        for url in ADMIN_PAGES:
            response = client_for(world.persona(persona)).get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (persona, url)
    # An ``is_staff`` account with every permission but not a superuser: still refused.
    from django.contrib.auth.models import Permission

    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(clerk)
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = Client().post("/admin/login/", {"username": "clerk", "password": "pw"})
    assert response.status_code == 200  # the admin's sign-in refuses them

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url
