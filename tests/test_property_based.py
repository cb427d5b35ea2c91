"""Property-based tests (hypothesis): random input to the KPI import and to the
log-a-session form never gives a 500 and never half-saves.

- The import: a file of random rows (real and unknown codes, dates in and out of
  range, numbers huge and malformed, unicode, empty cells, extra columns in any
  order) is either imported whole, exactly as the report says, or not at all.
- The session form: random values in every field of the page either create one
  session with every action, check-in and rating the page asked for, or change
  nothing at all.

Each example runs in a savepoint rolled back afterwards, so every example starts
from the same world.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisals.models import Action, FeedbackSession, Goal, GoalCheckIn, SessionState, SkillRating
from core import clock
from organisations.models import KPIResult
from organisations.rules import years as year_rules
from organisations.services import kpi_csv
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillRequirementFactory,
)
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Undo(Exception):
    pass


def _rolled_back(fn):
    """Run ``fn`` in a savepoint that is always rolled back; return its result."""
    box = {}
    try:
        with transaction.atomic():
            box["result"] = fn()
            raise _Undo
    except _Undo:
        pass
    return box["result"]


# --- The KPI import ------------------------------------------------------------

TODAY = clock.today()
MONTHLY_ENDS = []
_end = year_rules.previous_period_end(
    year_rules.period_end_for(TODAY, year_rules.MONTHLY), year_rules.MONTHLY
)
for _ in range(24):
    MONTHLY_ENDS.append(_end)
    _end = year_rules.previous_period_end(_end, year_rules.MONTHLY)
QUARTER_ENDS = sorted({year_rules.period_end_for(d, year_rules.QUARTERLY) for d in MONTHLY_ENDS[2:]})

unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
codes = st.one_of(
    st.sampled_from(["HO-01", "ho-01", " HO-02 ", "HO-02", "HO-03", "RH-01", "XX-99", "", "HO-01\u00a0"]),
    unicode_text,
)
dates = st.one_of(
    st.sampled_from(MONTHLY_ENDS + QUARTER_ENDS).map(lambda d: d.isoformat()),
    st.sampled_from(MONTHLY_ENDS).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.sampled_from(["", "2025-02-29", "31/04/2025", "0000-01-31", "9999-12-31", "tomorrow", "2025-4-30"]),
    unicode_text,
)
values = st.one_of(
    st.decimals(min_value=0, max_value=200, places=2, allow_nan=False).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.sampled_from(
        ["", "91%", "£1,234.50", "1e400", "-0", "NaN", "inf", "9" * 30, "1.23456", "\u2212" + "5"]
    ),
    unicode_text,
)
texts = st.one_of(unicode_text, st.sampled_from(["", '=HYPERLINK("x")', "'=1+1", "<script>x</script>"]))
random_row = st.fixed_dictionaries(
    {"kpi_code": codes, "period_end": dates, "value": values, "commentary": texts, "corrective_action": texts}
)
# Rows the import must accept: a month of HO-01 at or above amber against its 90%
# target, or a quarter of HO-02 (no target: grey), each period once.
valid_monthly = st.tuples(
    st.just("HO-01"),
    st.sampled_from(MONTHLY_ENDS),
    st.decimals(min_value=86, max_value=100000, places=2, allow_nan=False),
)
valid_quarterly = st.tuples(
    st.sampled_from(["HO-02", "ho-02"]),
    st.sampled_from(QUARTER_ENDS),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False),
)


@st.composite
def valid_rows(draw):
    picked = draw(
        st.lists(
            st.one_of(valid_monthly, valid_quarterly),
            min_size=1,
            max_size=5,
            unique_by=lambda r: (r[0].upper(), r[1]),
        )
    )
    return [
        {
            "kpi_code": code,
            "period_end": draw(st.sampled_from([end.isoformat(), end.strftime("%d/%m/%Y")])),
            "value": draw(st.sampled_from([str(value), f"{value}%"])),
            "commentary": draw(texts),
            "corrective_action": draw(texts),
        }
        for code, end, value in picked
    ]


rows_strategy = st.one_of(
    valid_rows(), st.lists(st.one_of(random_row, valid_rows().map(lambda r: r[0])), max_size=6)
)
extra_columns = st.lists(
    st.sampled_from(["kpi_name", "notes", "Target", "status", "x y"]), max_size=3, unique=True
)


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "junk") for c in columns])
    return buffer.getvalue().encode("utf-8")


def _snapshot():
    return set(
        KPIResult.objects.values_list(
            "kpi_id", "period_end", "value", "commentary", "corrective_action", "status"
        )
    )


@pytest.fixture
def import_world(world):
    monthly = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    quarterly = KPIFactory(
        organisation=world.org, service=world.service, code="HO-02", frequency=year_rules.QUARTERLY
    )
    KPIFactory(organisation=world.org, service=world.service, code="HO-03", frequency=year_rules.ANNUAL)
    KPIFactory(organisation=world.other_org, service=world.other_service, code="RH-01")
    for year in {year_rules.financial_year_start(d) for d in MONTHLY_ENDS}:
        KPITargetFactory(kpi=monthly, financial_year=year, target=Decimal("90"))
    KPIResultFactory(kpi=monthly, period_end=MONTHLY_ENDS[3], value=Decimal("95"))
    return {"monthly": monthly, "quarterly": quarterly, "client": client_for(world.officer)}


IMPORTED = re.compile(r"Imported (\d+) results?: (\d+) created, (\d+) updated\.")
REQUIRED = ["kpi_code", "period_end", "value", "commentary", "corrective_action"]


def test_the_import_saves_everything_valid_or_nothing(import_world):
    client = import_world["client"]
    outcomes = []

    @PROPERTY_SETTINGS
    @given(rows=rows_strategy, extras=extra_columns, data=st.data())
    def check(rows, extras, data):
        columns = data.draw(st.permutations([*REQUIRED, *extras]))
        body = _csv(rows, list(columns))

        def attempt():
            before = _snapshot()
            count_before = KPIResult.objects.count()
            response = client.post(
                reverse("organisations:kpi_import"), {"file": SimpleUploadedFile("r.csv", body, "text/csv")}
            )
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 200:
                assert _snapshot() == before, "a refused file changed the results"
                return "refused"
            page = client.get(response["Location"]).content.decode()
            reported = IMPORTED.search(page)
            assert reported, "no import report"
            total, created, updated = (int(g) for g in reported.groups())
            assert total == created + updated
            assert KPIResult.objects.count() == count_before + created
            written = [r for r in rows if any(str(r.get(c, "junk")).strip() for c in columns)]
            assert total == len(written), "some rows were left out"
            for row in written:  # each row is stored as written
                stored = KPIResult.objects.get(
                    kpi__organisation=import_world["monthly"].organisation,
                    kpi__code=row["kpi_code"].strip().upper(),
                    period_end=kpi_csv.parse_date(row["period_end"]),
                )
                assert stored.value == kpi_csv.parse_value(row["value"])[0]
            return "imported"

        outcomes.append(_rolled_back(attempt))

    check()
    assert {"imported", "refused"} <= set(outcomes), outcomes


# --- The log-a-session form ------------------------------------------------------


def _d(day: date) -> str:
    return f"{day.day} {day.month} {day.year}"


@pytest.fixture
def session_world(world):
    earlier = FeedbackSessionFactory(
        employee=world.staff,
        manager=world.manager,
        state=SessionState.ACKNOWLEDGED,
        held_on=TODAY - timedelta(days=60),
    )
    action = ActionFactory(session=earlier, description="Read the policy")
    goal = GoalFactory(owner=world.staff, title="Clear the backlog", progress=10)
    requirement = SkillRequirementFactory(job_role=world.staff.job_role)
    return {
        "world": world,
        "action": action,
        "goal": goal,
        "skill": requirement.skill_id,
        "client": client_for(world.manager),
        "url": reverse("appraisals:session_create", args=[world.staff.pk]),
    }


date_text = st.one_of(
    st.integers(min_value=0, max_value=400).map(lambda n: _d(TODAY - timedelta(days=n))),
    st.integers(min_value=1, max_value=400).map(lambda n: _d(TODAY + timedelta(days=n))),
    st.dates().map(_d),
    st.sampled_from(["", "31 2 2026", "0 0 0", "1 1 1899", "32 1 2026", "yesterday", "2026-13-01"]),
    unicode_text,
)
long_text = st.one_of(unicode_text, st.just("z" * 20_001), st.just("<script>alert(1)</script>"))


def _valid_post(ids: dict) -> dict:
    """A page the form accepts: a session held yesterday with every section used."""
    return {
        "held_on": _d(TODAY - timedelta(days=1)),
        "kind": "supervision",
        "discussion": "Caseload",
        "achievements": "",
        "development_areas": "",
        "wellbeing": "",
        "overall_assessment": "achieving",
        "private_note": "",
        "next_session_on": _d(TODAY + timedelta(days=27)),
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "50",
        "save": "draft",
        f"oa-{ids['action']}-outcome": "leave",
        f"goal-{ids['goal']}-progress": "",
        f"goal-{ids['goal']}-status": "",
        f"goal-{ids['goal']}-comment": "",
        f"skills-skill_{ids['skill']}": "",
        **{f"new-{i}-{name}": "" for i in range(3) for name in ("description", "owner", "due_on")},
    }


@st.composite
def session_posts(draw, ids):
    """A valid page with some of its fields (none, a few or all) given random values."""
    staff, manager, peer = ids["staff"], ids["manager"], ids["peer"]
    choices = {
        "held_on": date_text,
        "kind": st.sampled_from(["supervision", "one_to_one", "", "bogus", "appraisal"]),
        "discussion": long_text,
        "achievements": unicode_text,
        "development_areas": unicode_text,
        "wellbeing": unicode_text,
        "overall_assessment": st.sampled_from(["", "achieving", "developing", "bogus"]),
        "private_note": long_text,
        "next_session_on": date_text,
        "new-TOTAL_FORMS": st.sampled_from(["0", "1", "3", "abc", "-1", "1000", ""]),
        "new-INITIAL_FORMS": st.sampled_from(["0", "2", "x"]),
        "save": st.sampled_from(["draft", "share", "", "bogus"]),
        f"oa-{ids['action']}-outcome": st.sampled_from(["leave", "done", "carry", "", "bogus"]),
        f"goal-{ids['goal']}-progress": st.one_of(
            st.integers(min_value=-10, max_value=150).map(str), st.sampled_from(["", "x", "50.5"])
        ),
        f"goal-{ids['goal']}-status": st.sampled_from(["", "on_track", "at_risk", "achieved", "bogus"]),
        f"goal-{ids['goal']}-comment": unicode_text,
        f"skills-skill_{ids['skill']}": st.sampled_from(["", "0", "2", "4", "9", "x"]),
    }
    for i in range(3):
        choices[f"new-{i}-description"] = st.one_of(unicode_text, st.just("q" * 501))
        choices[f"new-{i}-owner"] = st.sampled_from([str(staff), str(manager), str(peer), "", "x"])
        choices[f"new-{i}-due_on"] = date_text
    data = _valid_post(ids)
    changed = draw(
        st.one_of(
            st.sets(st.sampled_from(sorted(choices)), max_size=3),  # mostly valid
            st.sets(st.sampled_from(sorted(choices)), max_size=3),
            st.just(set(choices)),  # everything random
        )
    )
    for name in sorted(changed):
        data[name] = draw(choices[name])
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        data["add_action"] = "1"  # "add another action": shown again, nothing saved
    return data


def _session_counts():
    return (
        FeedbackSession.objects.count(),
        Action.objects.count(),
        GoalCheckIn.objects.count(),
        SkillRating.objects.count(),
        tuple(Goal.objects.order_by("pk").values_list("progress", "status")),
        tuple(Action.objects.order_by("pk").values_list("done_on", flat=True)),
    )


def _expected_rows(data: dict, ids: dict) -> tuple[int, int, int]:
    """What a successful save must have created: new actions, check-ins, ratings."""
    try:
        rows = min(max(int(data["new-TOTAL_FORMS"]), 0), 50)
    except ValueError:
        rows = 0
    new_actions = sum(1 for i in range(min(rows, 3)) if data.get(f"new-{i}-description", "").strip())
    carried = 1 if data[f"oa-{ids['action']}-outcome"] == "carry" else 0
    check_ins = 1 if data[f"goal-{ids['goal']}-progress"].strip() else 0
    ratings = 1 if data[f"skills-skill_{ids['skill']}"] else 0
    return new_actions + carried, check_ins, ratings


def test_the_session_form_saves_a_whole_session_or_nothing(session_world):
    w = session_world["world"]
    ids = {
        "staff": w.staff.pk,
        "manager": w.manager.pk,
        "peer": w.peer.pk,
        "action": session_world["action"].pk,
        "goal": session_world["goal"].pk,
        "skill": session_world["skill"],
    }
    client, url = session_world["client"], session_world["url"]
    outcomes = []

    @PROPERTY_SETTINGS
    @given(data=session_posts(ids))
    def check(data):
        def attempt():
            before = _session_counts()
            response = client.post(url, data)
            assert response.status_code in (200, 302), response.status_code
            after = _session_counts()
            if response.status_code == 200:
                assert after == before, "a refused form saved something"
                return "refused"
            session = FeedbackSession.objects.order_by("-pk").first()
            assert response["Location"] == reverse("appraisals:session_detail", args=[session.pk])
            assert after[0] == before[0] + 1
            actions, check_ins, ratings = _expected_rows(data, ids)
            assert session.actions.count() == actions
            assert GoalCheckIn.objects.filter(session=session).count() == check_ins
            assert SkillRating.objects.filter(session=session).count() == ratings
            assert session.discussion == data["discussion"].strip()
            expected_state = SessionState.SHARED if data["save"] == "share" else SessionState.DRAFT
            assert session.state == expected_state
            return "saved"

        outcomes.append(_rolled_back(attempt))

    check()
    assert {"saved", "refused"} <= set(outcomes), outcomes


@pytest.mark.parametrize("period", ["9999-12-31", "0001-01-31", "31/12/9999", "1899-03-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_500(import_world, period):
    """Found by the property above: an annual KPI's year around 31/12/9999 ends in
    year 10000, which Python cannot hold."""
    body = _csv([{"kpi_code": "HO-03", "period_end": period, "value": "5"}], REQUIRED)
    response = import_world["client"].post(
        reverse("organisations:kpi_import"), {"file": SimpleUploadedFile("r.csv", body, "text/csv")}
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert not KPIResult.objects.filter(kpi__code="HO-03").exists()
