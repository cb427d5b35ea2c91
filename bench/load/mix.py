"""The mix of requests: every persona's main pages and two saves, each with signed-in sessions."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

SESSIONS_PER_PERSONA = 4  # distinct sessions, so 64 connections do not all update one session row


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Kind:
    """One kind of request in the mix."""

    label: str
    persona: str | None  # None: anonymous
    path: str
    method: str = "GET"
    body: str = ""
    expect: int = 200  # 302 for a save (it redirects to the saved record)
    weight: int = 2
    sessions: list[str] = field(default_factory=list)  # session keys to rotate through


class _FormFields(HTMLParser):
    """The fields a browser would submit from the page's form that has a
    ``save=draft`` button, as that button submits them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._has_draft = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self.drafts: list[list[tuple[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form, self._has_draft = [], False
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on") or ""))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "button" and name == "save" and a.get("value") == "draft":
            self._has_draft = True

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            name, value = self._form[-1]
            self._form[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            name, value = self._form[-1]
            self._form[-1] = (name, value.removeprefix("\n"))  # as a browser reads <textarea>
            self._textarea = None
        elif tag == "select" and self._select:
            self._form.append((self._select, self._select_value or self._select_first or ""))
            self._select = None
        elif tag == "form":
            if self._has_draft:
                self.drafts.append([*self._form, ("save", "draft")])
            self._form = None


def _kinds() -> list[Kind]:
    """Every persona's main pages, and two saves that can be repeated: a goal
    check-in (the same figures each time: one more check-in row) and "Save
    changes" on a draft session with what it already holds."""
    from django.test import Client
    from django.urls import reverse

    from appraisals.models import FeedbackSession, Goal, GoalStatus, SessionState
    from demo.structure import DEMO_USERNAMES
    from organisations.models import Employee

    personas = {u: Employee.objects.select_related("user").get(user__username=u) for u in DEMO_USERNAMES}
    staff, manager = personas["demo-staff"], personas["demo-manager"]
    director = personas["demo-director"]
    service = director.headed_services.order_by("pk").first()
    kinds = [
        Kind("My page", "demo-staff", reverse("insights:my_page")),
        Kind("My goals", "demo-staff", reverse("appraisals:my_goals")),
        Kind("Team dashboard", "demo-manager", reverse("insights:team_dashboard")),
        Kind("Session form", "demo-manager", reverse("appraisals:session_create", args=[staff.pk])),
        Kind(
            "Service dashboard (directorate)",
            "demo-director",
            reverse("insights:service_dashboard", args=[service.pk]),
        ),
        Kind("Organisation overview", "demo-officer", reverse("insights:org_overview")),
        Kind("KPI scorecard", "demo-director", reverse("organisations:kpi_scorecard", args=[service.pk])),
        Kind(
            "Public performance page",
            None,
            reverse("insights:public_performance", args=[director.organisation.slug]),
        ),
    ]
    goal = (
        Goal.objects.filter(
            owner=staff, status__in=[GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.AGREED]
        )
        .order_by("pk")
        .first()
    )
    if goal is not None:
        kinds.append(
            Kind(
                "Save: goal check-in",
                "demo-staff",
                reverse("appraisals:goal_check_in", args=[goal.pk]),
                method="POST",
                body=urlencode({"progress": goal.progress, "status": "on_track", "comment": "Load test"}),
                expect=302,
                weight=1,
            )
        )
    draft = (
        FeedbackSession.objects.filter(employee__line_manager=manager, state=SessionState.DRAFT)
        .order_by("pk")
        .first()
    )
    if draft is None:
        draft = (
            FeedbackSession.objects.filter(employee=staff, state=SessionState.DRAFT).order_by("pk").first()
        )
    if draft is not None:
        path = reverse("appraisals:session_edit", args=[draft.pk])
        client = Client()
        client.force_login(manager.user)
        parser = _FormFields()
        parser.feed(client.get(path).content.decode())
        if parser.drafts:
            fields = [(k, v) for k, v in parser.drafts[0] if k != "csrfmiddlewaretoken"]
            # Check in-process that the form saves as it is (one more save of the same content).
            if client.post(path, dict(_group(fields)), follow=False).status_code == 302:
                kinds.append(
                    Kind(
                        "Save: session draft",
                        "demo-manager",
                        path,
                        method="POST",
                        body=urlencode(fields),
                        expect=302,
                        weight=1,
                    )
                )
    return kinds


def _group(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for k, v in fields:
        grouped.setdefault(k, []).append(v)
    return grouped


def _sign_in(kinds: list[Kind]) -> None:
    from django.test import Client

    from organisations.models import Employee

    sessions: dict[str, list[str]] = {}
    for kind in kinds:
        if kind.persona is None:
            continue
        if kind.persona not in sessions:
            user = Employee.objects.get(user__username=kind.persona).user
            keys = []
            for _ in range(SESSIONS_PER_PERSONA):
                client = Client()
                client.force_login(user)
                keys.append(client.cookies["sessionid"].value)
            sessions[kind.persona] = keys
        kind.sessions = sessions[kind.persona]


def _headers(kind: Kind, session: str | None, csrf: str) -> dict[str, str]:
    cookies = [f"csrftoken={csrf}"]
    if session:
        cookies.append(f"sessionid={session}")
    headers = {"Cookie": "; ".join(cookies)}
    if kind.method == "POST":
        headers |= {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    return headers
