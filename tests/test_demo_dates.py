"""The demo is placed around one date, ``seed_demo --today`` (default: the
clock's today), and is sensible on any date: nothing happened after its present
moment, nothing ends before it starts, and the stories the demo tells are there."""

import ast
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from appraisals.models import FeedbackSession, Goal, SessionState
from core import clock
from demo.structure import demo_now
from insights.models import Flag
from organisations.models import KPI, Employee, KPIResult, KPITarget, Organisation
from organisations.rules import years as year_rules

DEMO = Path(__file__).resolve().parent.parent / "demo"
PRODUCT_APPS = ["organisations", "appraisals", "insights"]
# Fields a seed fills with dates to come.
FUTURE_FIELDS = {"due_date", "due_on", "due", "review_due", "end_date", "next_session_on", "expires_on"} | {
    "mid_year_opens",
    "mid_year_closes",
    "year_end_opens",
    "year_end_closes",
    # Development planned: its dates, and when it is expected to close a gap.
    "starts_on",
    "ends_on",
    "recovery_on",
}


def seed(**kw):
    call_command("seed_demo", employees=100, seed=3, force=True, stdout=StringIO(), **kw)


def dated_fields():
    for app in PRODUCT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for f in model._meta.concrete_fields:
                if isinstance(f, models.DateField) and f.name not in FUTURE_FIELDS:
                    yield model, f


def assert_sensible(today: date) -> None:
    now = demo_now(today)
    later = []
    for model, f in dated_fields():
        bound = now if isinstance(f, models.DateTimeField) else today
        n = model._base_manager.filter(**{f"{f.name}__gt": bound}).count()
        if n:
            later.append(f"{model.__name__}.{f.name}: {n}")
    assert later == [], f"after the demo's present ({now:%Y-%m-%d %H:%M}): {later}"

    assert not Employee.objects.filter(end_date__lt=models.F("start_date")).exists()
    assert not Goal.objects.filter(due_date__lt=models.F("start_date")).exists()
    council = Organisation.objects.get(slug="northshire")
    # Every KPI reports into this financial year's target, or last year's if none has ended.
    fy = year_rules.financial_year_start(today, council.financial_year_start_month)
    assert KPITarget.objects.filter(kpi__organisation=council, financial_year=fy).exists()
    assert (
        KPIResult.objects.filter(kpi__organisation=council).count()
        >= KPI.objects.filter(organisation=council).count()
    )
    # The stories: a session shared with demo-staff this week, someone overdue, new flags.
    staff = Employee.objects.get(user__username="demo-staff")
    latest = FeedbackSession.objects.filter(employee=staff).latest("held_on")
    assert latest.state == SessionState.SHARED and today - latest.held_on <= timedelta(days=7)
    assert FeedbackSession.objects.filter(held_on__lt=today - timedelta(days=60)).exists()
    assert Flag.objects.filter(organisation=council, opened_at__gt=now - timedelta(days=7)).exists()


@pytest.mark.django_db
@pytest.mark.any_date
def test_the_demo_is_sensible_on_any_date():
    seed()
    assert_sensible(clock.today())


@pytest.mark.django_db
def test_seed_demo_places_everything_around_its_today_option():
    seed(today="2028-02-29")
    assert_sensible(date(2028, 2, 29))
    staff = Employee.objects.get(user__username="demo-staff")
    latest = FeedbackSession.objects.filter(employee=staff).latest("held_on")
    assert latest.held_on == date(2028, 2, 26)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("seed_demo", "--today", "29/02/2028", "--replace", "--force", stdout=StringIO())


CLOCK_CALLS = {("date", "today"), ("timezone", "now"), ("timezone", "localdate"), ("datetime", "now")}


def test_no_demo_module_reads_the_clock_but_through_its_today():
    """Only the context's ``today`` (from ``seed_demo``) says when the demo is."""
    calls = []
    for path in sorted(DEMO.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in CLOCK_CALLS
            ):
                calls.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert calls == []
