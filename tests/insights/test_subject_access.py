"""Subject access: My data for the person (never a draft, never a private note),
and the complete export for the data protection officer, itself audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse
from django.utils import timezone

from appraisals.models import Action, FeedbackSession, GoalCheckIn, RatingSource, SessionState, SkillRating
from organisations.models import AuditEvent
from tests.appraisals.factories import GoalFactory
from tests.conftest import client_for
from tests.factories import EmployeeFactory, UserFactory
from tests.insights.factories import SkillGapFactory
from tests.insights.flag_factories import personal_flag
from tests.insights.test_dashboards import text
from tests.organisations.skill_factories import SkillFactory


@pytest.fixture
def held(world):
    """What is held about staff: a shared session (with a manager's action and a
    change reason), a draft with an action, a check-in and a rating entered in
    it, a computed skills gap, a flag, sign-in records and a change to their record."""
    s = world
    shared = FeedbackSession.objects.create(
        organisation=s.org,
        employee=s.staff,
        manager=s.manager,
        held_on=date(2026, 10, 1),
        discussion="SHARED-DISCUSSION",
        private_note="PRIVATE-NOTE",
        change_reason="MANAGER-CHANGE-REASON",
        state=SessionState.SHARED,
    )
    Action.objects.create(session=shared, description="MANAGER-OWNED-ACTION", owner=s.manager)
    draft = FeedbackSession.objects.create(
        organisation=s.org,
        employee=s.staff,
        manager=s.manager,
        held_on=date(2026, 11, 1),
        discussion="DRAFT-DISCUSSION",
        private_note="DRAFT-PRIVATE-NOTE",
        state=SessionState.DRAFT,
    )
    Action.objects.create(session=draft, description="DRAFT-ACTION", owner=s.staff)
    goal = GoalFactory(owner=s.staff, organisation=s.org, service=s.staff.service, title="Clear the backlog")
    GoalCheckIn.objects.create(
        goal=goal,
        author=s.manager,
        date=date(2026, 11, 1),
        progress=30,
        status="on_track",
        comment="DRAFT-CHECK-IN",
        session=draft,
    )
    GoalCheckIn.objects.create(
        goal=goal,
        author=s.staff,
        date=date(2026, 9, 1),
        progress=20,
        status="on_track",
        comment="OWN-CHECK-IN",
    )
    skill = SkillFactory(organisation=s.org, name="Case recording")
    SkillRating.objects.create(
        employee=s.staff,
        skill=skill,
        level=1,
        source=RatingSource.MANAGER,
        rated_by=s.manager,
        rated_on=date(2026, 11, 1),
        session=draft,
    )
    SkillRating.objects.create(
        employee=s.staff,
        skill=skill,
        level=2,
        source=RatingSource.SELF,
        rated_by=s.staff,
        rated_on=date(2026, 9, 1),
    )
    SkillGapFactory(
        service=s.team,
        employee=s.staff,
        skill=skill,
        required_level=3,
        current_level=2,
        gap=1,
        recommendation="develop",
    )
    personal_flag(s.staff, title="FLAG-ABOUT-STAFF")
    AccessLog.objects.create(
        username="staff", ip_address="10.0.0.7", user_agent="Firefox", attempt_time=timezone.now()
    )
    AccessAttempt.objects.create(
        username="staff",
        ip_address="10.0.0.8",
        user_agent="Chrome",
        attempt_time=timezone.now(),
        failures_since_start=2,
        get_data="",
        post_data="",
    )
    s.staff.fte = "0.80"
    s.staff._change_reason = "Went part-time"
    s.staff.save()
    return shared, draft


def dpo(world):
    """A data protection officer: a new employee, so no persona's roles change."""
    return EmployeeFactory(
        organisation=world.org,
        service=world.corporate,
        user=UserFactory(username="dpo"),
        first_name="Dee",
        last_name="Protection",
        is_data_protection_officer=True,
    )


# --- My data -----------------------------------------------------------------


def my_data(world):
    return json.loads(client_for(world.staff).get("/my-data/?format=json").content)


def test_my_data_adds_gaps_sign_ins_manager_actions_change_reasons_and_record_history(world, held):
    client = client_for(world.staff)  # signing in clears the account's failed attempts (axes)
    AccessAttempt.objects.create(
        username="staff",
        ip_address="10.0.0.8",
        user_agent="Chrome",
        attempt_time=timezone.now(),
        failures_since_start=2,
        get_data="",
        post_data="",
    )
    data = json.loads(client.get("/my-data/?format=json").content)
    gap = data["skill_gaps"][0]
    assert (gap["skill__name"], gap["gap"], gap["recommendation"]) == ("Case recording", 1, "develop")
    assert data["skill_gaps_how_computed"].startswith("Computed, not written by a person")
    assert "10.0.0.7" in [r["ip_address"] for r in data["sign_ins"]]  # with this sign-in
    assert [r["failures_since_start"] for r in data["failed_sign_in_attempts"]] == [2]
    assert [a["description"] for a in data["actions"]] == ["MANAGER-OWNED-ACTION"]
    assert data["feedback_sessions"][0]["change_reason"] == "MANAGER-CHANGE-REASON"
    fte_change = next(c for c in data["employee_record_history"] if c["reason"] == "Went part-time")
    assert {"field": "FTE", "from": "1.00", "to": "0.80"} in fte_change["fields"]


def test_my_data_never_holds_a_draft_or_a_private_note(world, held):
    for fmt in ("json", "csv"):
        body = client_for(world.staff).get(f"/my-data/?format={fmt}").content.decode()
        for secret in ("DRAFT-DISCUSSION", "DRAFT-ACTION", "DRAFT-CHECK-IN", "PRIVATE-NOTE"):
            assert secret not in body, (fmt, secret)
    data = my_data(world)
    assert [c["comment"] for c in data["goal_check_ins"]] == ["OWN-CHECK-IN"]
    assert [r["level"] for r in data["skill_ratings"]] == [2]  # not the rating entered in the draft


def test_my_data_page_says_what_is_included(world):
    page = text(client_for(world.staff).get("/my-data/"))
    for words in ("skills gaps", "computed", "sign-in records", "who changed your employee record"):
        assert words in page, words
    assert "drafts" in page and "private notes" in page


# --- The complete export -----------------------------------------------------


def url(person) -> str:
    return reverse("insights:subject_access", args=[person.pk])


def test_the_start_page_says_what_the_export_contains(world, held):
    response = client_for(dpo(world)).get(url(world.staff))
    assert response.status_code == 200
    page = text(response)
    assert "Subject access export" in page and "managers' private notes" in page
    assert "recorded in the audit trail" in page
    assert not AuditEvent.objects.exists()  # only producing it is recorded


def test_the_readable_export_holds_everything_labelled_and_is_audited(world, held):
    shared, draft = held
    officer = dpo(world)
    response = client_for(officer).post(url(world.staff), {"export_format": "html", "reference": "SAR-42"})
    assert response.status_code == 200
    page = text(response)
    for held_text in (
        "SHARED-DISCUSSION",
        "PRIVATE-NOTE",
        "DRAFT-DISCUSSION",
        "DRAFT-PRIVATE-NOTE",
        "DRAFT-ACTION",
        "DRAFT-CHECK-IN",
        "MANAGER-OWNED-ACTION",
        "MANAGER-CHANGE-REASON",
        "FLAG-ABOUT-STAFF",
        "10.0.0.7",
        "Went part-time",
    ):
        assert held_text in page, held_text
    assert (
        f"Feedback session {draft.pk} (One-to-one, held 1 November 2026, draft), Private manager note, "
        "written by Mo Manager on 1 November 2026"
    ) in page
    assert "Skills gap" in page and "recommendation: Develop" in page
    event = AuditEvent.objects.get()
    assert (event.actor, event.subject, event.organisation) == (officer, world.staff, world.org)
    assert event.detail == "Format: HTML; request reference: SAR-42"


def test_json_and_csv_exports(world, held):
    client = client_for(dpo(world))
    response = client.post(url(world.staff), {"export_format": "json"})
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    notes = [i for i in data["items"] if i["field"] == "private_note"]
    assert {i["value"] for i in notes} == {"PRIVATE-NOTE", "DRAFT-PRIVATE-NOTE"}
    assert all(
        i["model"] == "appraisals.FeedbackSession" and "written by Mo Manager" in i["source"] for i in notes
    )
    # Everything My data holds is in it too.
    assert {"Sign-in records", "Skills gaps (computed)", "Changes to the employee record"} <= {
        i["section"] for i in data["items"]
    }
    response = client.post(url(world.staff), {"export_format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "source", "model", "record", "field", "value"]
    assert any(r[4] == "private_note" and r[5] == "DRAFT-PRIVATE-NOTE" for r in rows)
    assert AuditEvent.objects.count() == 2


def test_no_format_is_an_error_next_to_the_field(world):
    response = client_for(dpo(world)).post(url(world.staff), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Subject access export" in html
    assert '<a href="#id_export_format_1">Choose a format for the export.</a>' in html
    assert 'id="export_format-error"' in html or "govuk-error-message" in html
    assert not AuditEvent.objects.exists()


def test_producing_it_shows_on_the_persons_history(world, held):
    dpo_ = dpo(world)
    client_for(dpo_).post(url(world.staff), {"export_format": "json", "reference": "SAR-7"})
    history = reverse("insights:history", args=["organisations.employee", world.staff.pk])
    for viewer in (world.staff, dpo_):
        page = text(client_for(viewer).get(history))
        assert "Subject access export produced by Dee Protection" in page
        assert "Format: JSON; request reference: SAR-7" in page
    # A request is confidential: the line manager sees the record's changes, not the request.
    page = text(client_for(world.manager).get(history))
    assert "FTE" in page and "Subject access" not in page and "SAR-7" not in page


@pytest.mark.parametrize("persona", ["staff", "manager", "head", "chief", "officer"])
def test_other_roles_are_refused(world, persona):
    client = client_for(world.persona(persona))
    assert client.get(url(world.peer)).status_code == 403
    assert client.post(url(world.peer), {"export_format": "json"}).status_code == 403
    assert not AuditEvent.objects.exists()


def test_performance_officers_may_when_the_organisation_allows_it(world):
    world.org.officers_may_export_subject_access = True
    world.org.save()
    client = client_for(world.officer)
    assert client.get(url(world.peer)).status_code == 200
    assert client.post(url(world.peer), {"export_format": "json"}).status_code == 200
    assert AuditEvent.objects.get().actor == world.officer


def test_another_organisations_person_is_404(world):
    assert client_for(dpo(world)).get(url(world.outsider)).status_code == 404


def test_the_person_page_links_to_it_for_the_data_protection_officer_only(world):
    person_page = reverse("organisations:person_detail", args=[world.staff.pk])
    assert url(world.staff) in client_for(dpo(world)).get(person_page).content.decode()
    assert url(world.staff) not in client_for(world.manager).get(person_page).content.decode()
