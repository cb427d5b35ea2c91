"""Bad input: oversized text is refused with a clear message by every form and the
import; hostile text (a script) is stored as typed and shown escaped, never run."""

import importlib
import pkgutil
import re
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse

import appraisals
import insights
import organisations
from appraisals.models import FeedbackSession, Goal
from core import clock
from core.text_limits import MAX_TEXT_LENGTH, BoundedTextMixin
from organisations.models import KPIResult, Risk
from organisations.services import kpi_csv
from organisations.services.kpi_import import kpi_results_import
from tests.appraisals.factories import goals_of
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.appraisals.test_goal_views import goal_post
from tests.appraisals.test_session_views import create_url, form_data
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory
from tests.organisations.test_kpi_views import ended_month
from tests.organisations.test_risk_register import form_data as risk_data

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TOO_LONG = "x" * (MAX_TEXT_LENGTH + 1)


def _all_form_classes():
    for package in (appraisals, organisations, insights):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in seen if c.__module__.split(".")[0] in ("appraisals", "organisations", "insights")),
        key=lambda c: f"{c.__module__}.{c.__name__}",
    )


def test_every_form_bounds_its_text_fields():
    classes = _all_form_classes()
    assert len(classes) > 20
    unbounded = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, BoundedTextMixin)]
    assert not unbounded, f"forms without BoundedTextMixin: {unbounded}"


def _errors(html: str) -> list[str]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return [
        re.sub(r"\s+", " ", e).strip()
        for e in re.findall(r'<a href="#[^"]+">(.*?)</a>', summary.group(0), re.S)
    ]


def test_oversized_goal_description_is_refused_with_a_clear_message(world):
    client = client_for(world.staff)
    response = client.post(
        reverse("appraisals:goal_propose"), goal_post(title="Learn court skills", description=TOO_LONG)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Description must be 10,000 characters or fewer" in _errors(html)
    assert 'value="Learn court skills"' in html  # what was typed is kept
    assert not Goal.objects.filter(title="Learn court skills").exists()


def test_oversized_goal_title_uses_the_field_limit(world):
    response = client_for(world.staff).post(reverse("appraisals:goal_propose"), goal_post(title="t" * 201))
    assert any(e.endswith("must be 200 characters or fewer") for e in _errors(response.content.decode()))


def test_oversized_session_text_is_refused_and_nothing_saved(world):
    response = client_for(world.manager).post(
        create_url(world.staff), form_data(discussion="y" * 20_001, achievements="Kept")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert any("must be 20,000 characters or fewer" in e for e in _errors(html))
    assert "Kept" in html
    assert not FeedbackSession.objects.exists()


def test_oversized_kpi_commentary_is_refused(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    response = client_for(world.officer).post(
        reverse("organisations:kpi_result_record", args=[kpi.pk]),
        {
            "period": ended_month().isoformat(),
            "value": "91",
            "commentary": TOO_LONG,
            "public_commentary": TOO_LONG,
        },
    )
    assert response.status_code == 200
    errors = _errors(response.content.decode())
    assert "Internal commentary must be 10,000 characters or fewer" in errors
    assert "Public commentary (optional) must be 10,000 characters or fewer" in errors
    assert not KPIResult.objects.exists()


def test_oversized_risk_description_and_flag_note_are_refused(world):
    response = client_for(world.officer).post(
        reverse("organisations:risk_create"), risk_data(world, description=TOO_LONG)
    )
    assert response.status_code == 200
    assert any("10,000 characters or fewer" in e for e in _errors(response.content.decode()))
    assert not Risk.objects.exists()

    from tests.insights.flag_factories import personal_flag

    flag = personal_flag(world.staff)
    response = client_for(world.manager).post(
        reverse("insights:flag_acknowledge", args=[flag.pk]), {"note": TOO_LONG}
    )
    assert response.status_code == 200
    assert "The note must be 2,000 characters or fewer" in _errors(response.content.decode())
    flag.refresh_from_db()
    assert flag.acknowledged_at is None


def test_import_refuses_oversized_commentary(world):
    KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    text = f"kpi_code,period_end,value,commentary,corrective_action\nHO-01,2025-04-30,91,{TOO_LONG},\n"
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(text.encode()), by=world.officer
    )
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (2, "commentary", "Commentary must be 10,000 characters or fewer")
    ]
    assert not KPIResult.objects.exists()


# --- Hostile input is shown escaped ---------------------------------------------


def _shown_escaped(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert SCRIPT not in html, url
    assert ESCAPED in html, url
    return html


def test_scripts_in_text_fields_are_shown_escaped_not_run(world):
    # A goal title, typed through the form.
    staff = client_for(world.staff)
    response = staff.post(reverse("appraisals:goal_propose"), goal_post(title=SCRIPT))
    assert response.status_code == 302
    goal = Goal.objects.get(title=SCRIPT)  # stored exactly as typed
    _shown_escaped(staff, reverse("appraisals:goal_detail", args=[goal.pk]))
    _shown_escaped(staff, reverse("appraisals:my_goals"))

    # A session discussion, typed through the form and shared.
    manager = client_for(world.manager)
    yesterday = clock.today() - timedelta(days=1)
    response = manager.post(
        create_url(world.staff),
        form_data(
            discussion=SCRIPT, held_on=f"{yesterday.day} {yesterday.month} {yesterday.year}", save="share"
        ),
    )
    assert response.status_code == 302
    session = FeedbackSession.objects.get(discussion=SCRIPT)
    _shown_escaped(manager, reverse("appraisals:session_detail", args=[session.pk]))
    _shown_escaped(staff, reverse("appraisals:session_detail", args=[session.pk]))
    _shown_escaped(manager, reverse("insights:history", args=["appraisals.feedbacksession", session.pk]))

    # A KPI commentary, typed through the form.
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01", name="Prevented")
    officer = client_for(world.officer)
    response = officer.post(
        reverse("organisations:kpi_result_record", args=[kpi.pk]),
        {"period": ended_month().isoformat(), "value": "91", "commentary": SCRIPT},
    )
    assert response.status_code == 302
    assert KPIResult.objects.get(kpi=kpi).commentary == SCRIPT
    _shown_escaped(staff, reverse("organisations:kpi_detail", args=[kpi.pk]))

    # A risk title, typed through the form.
    response = officer.post(reverse("organisations:risk_create"), risk_data(world, title=SCRIPT))
    assert response.status_code == 302
    risk = Risk.objects.get(title=SCRIPT)
    _shown_escaped(staff, reverse("organisations:risk_detail", args=[risk.pk]))
    _shown_escaped(staff, reverse("organisations:risk_register"))


def test_scripts_in_a_form_with_errors_come_back_escaped(world):
    response = client_for(world.staff).post(
        reverse("appraisals:goal_propose"), goal_post(title=SCRIPT, description=TOO_LONG)
    )
    html = response.content.decode()
    assert response.status_code == 200 and SCRIPT not in html and ESCAPED in html


def test_existing_results_and_sessions_with_scripts_render_escaped(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-02", name=SCRIPT)
    KPIResultFactory(kpi=kpi, period_end=ended_month(), commentary=SCRIPT)
    goals_of(world)
    session = FeedbackSessionFactory(employee=world.staff, manager=world.manager, achievements=SCRIPT)
    manager = client_for(world.manager)
    _shown_escaped(manager, reverse("organisations:kpi_list") + "?service=all")
    _shown_escaped(manager, reverse("organisations:kpi_scorecard", args=[world.service.pk]))
    _shown_escaped(manager, reverse("appraisals:session_detail", args=[session.pk]))
    _shown_escaped(manager, reverse("insights:history", args=["organisations.kpi", kpi.pk]))


@pytest.mark.parametrize("text", ["\x00", "a\x00b"])
def test_null_characters_are_refused_not_a_500(world, text):
    before = Goal.objects.filter(owner=world.staff).count()
    response = client_for(world.staff).post(reverse("appraisals:goal_propose"), goal_post(title=text))
    assert response.status_code == 200
    # Counted, not searched for: PostgreSQL refuses NUL even in a query.
    assert Goal.objects.filter(owner=world.staff).count() == before


# --- Hostile query strings on every page ------------------------------------------

QUERY_NAMES = (
    "page",
    "service",
    "year",
    "financial_year",
    "quarter",
    "scope",
    "status",
    "show",
    "q",
    "period",
    "parent",
    "owner",
    "next",
    "inactive",
    "format",
    "back",
    "kind",
    "severity",
    "state",
    "category",
    "band",
    "team",
    "skill",
    "recommendation",
    "essential",
    "title",
    "description",
    "flag",
)
HOSTILE_VALUES = (
    "99999",
    "-1",
    "0",
    "abc",
    "9999-12-31",
    "0001-01-01",
    "1e9",
    "<script>",
    "//evil.example",
    "\x00",
)


def test_hostile_query_strings_never_give_a_500(world):
    """Every page, as a persona who may see it, with every query parameter any
    view reads set to values out of range, malformed or hostile."""
    from urllib.parse import urlencode

    from tests.test_permission_matrix import CASES, _request, _url

    failures = []
    for key, case in sorted(CASES.items()):
        if "GET" not in case.methods:
            continue
        persona = next((p for p in ("officer", "manager", "chief", "staff") if case.expected(p) == 200), None)
        if persona is None:
            continue
        client = client_for(world.persona(persona))
        base = _url(case, world).split("?")[0]
        for value in HOSTILE_VALUES:
            status = _request(client, "GET", f"{base}?{urlencode({n: value for n in QUERY_NAMES})}")
            if status not in (200, 302, 400, 404):
                failures.append(f"{key} as {persona} with {value!r}: {status}")
    assert not failures, "\n".join(failures)
