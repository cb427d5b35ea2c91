import csv
import io
import json
from datetime import date

from django.test import Client

from appraisals.models import Action, FeedbackSession, Goal, GoalCheckIn, SessionState
from tests.conftest import client_for


def _session(world, state=SessionState.SHARED, **kw):
    return FeedbackSession.objects.create(
        organisation=world.org,
        employee=world.staff,
        manager=world.manager,
        held_on=date(2026, 10, 1),
        discussion="Caseload review",
        private_note="SECRET-NOTE",
        state=state,
        **kw,
    )


def test_my_data_json_has_everything_but_private_notes(world):
    shared = _session(world)
    _session(world, state=SessionState.DRAFT, achievements="DRAFT-ONLY")
    Action.objects.create(session=shared, description="Book safeguarding refresher", owner=world.staff)
    goal = Goal.objects.create(
        organisation=world.org,
        level="individual",
        owner=world.staff,
        title="Process applications",
        start_date=date(2026, 4, 1),
        due_date=date(2027, 3, 31),
        status="on_track",
    )
    GoalCheckIn.objects.create(
        goal=goal, author=world.staff, date=date(2026, 9, 1), progress=40, status="on_track"
    )
    response = client_for(world.staff).get("/my-data/?format=json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    data = json.loads(body)
    assert data["profile"]["name"] == "Sol Staff"
    assert [g["title"] for g in data["goals"]] == ["Process applications"]
    assert len(data["goal_check_ins"]) == 1
    assert [s["discussion"] for s in data["feedback_sessions"]] == ["Caseload review"]
    assert data["actions"][0]["description"] == "Book safeguarding refresher"
    assert "SECRET-NOTE" not in body and "private_note" not in body and "DRAFT-ONLY" not in body


def test_my_data_csv(world):
    _session(world)
    response = client_for(world.staff).get("/my-data/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["profile", "", "name", "Sol Staff"] in rows
    assert any(r[0] == "feedback_sessions" and r[3] == "Caseload review" for r in rows)
    assert "SECRET-NOTE" not in response.content.decode()


def test_my_data_is_only_ever_mine(world):
    _session(world)
    body = client_for(world.manager).get("/my-data/?format=json").content.decode()
    assert "Caseload review" not in body  # the manager's own data: sessions about them only
    assert Client().get("/my-data/").status_code == 302


def test_history_shows_who_changed_what(world):
    session = _session(world)
    from simple_history.utils import update_change_reason

    session.discussion = "Caseload review and training"
    session._history_user = world.manager.user
    session.save()
    update_change_reason(session, "Typo fixed after sharing")
    html = (
        client_for(world.manager).get(f"/history/appraisals.feedbacksession/{session.pk}/").content.decode()
    )
    assert "Changed by Mo Manager" in html
    assert "Typo fixed after sharing" in html
    assert (
        "Caseload review and training" in html
        and '<th scope="row" class="govuk-table__header">Discussion</th>' in html
    )


def test_history_follows_object_visibility(world):
    session = _session(world)
    url = f"/history/appraisals.feedbacksession/{session.pk}/"
    assert client_for(world.service_head).get(url).status_code == 200  # manager's manager
    assert client_for(world.staff).get(url).status_code == 403  # would expose the private note
    assert client_for(world.officer).get(url).status_code == 403
    assert client_for(world.peer).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.staff).get(f"/history/auth.user/{world.staff.user.pk}/").status_code == 404


def test_my_data_is_linked_for_every_member_of_staff(world):
    for persona in ("staff", "manager", "officer", "chief"):
        client = client_for(world.persona(persona))
        html = client.get("/me/").content.decode()
        assert 'href="/my-data/"' in html, persona
    privacy = client_for(world.staff).get("/privacy/").content.decode()
    assert 'href="/my-data/"' in privacy


def test_privacy_notice_gives_the_organisations_retention_period(world, settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 180
    world.org.session_retention_years = 4
    world.org.save()
    html = client_for(world.staff).get("/privacy/").content.decode()
    assert "for 4 years after you leave" in html and "Testshire Council" in html
    assert "removed automatically after 180 days" in html
    assert "Flags are reviewed by a person" in html and "article 22" in html
    public = Client().get("/privacy/").content.decode()
    assert "for 6 years after you leave, unless your organisation sets another period" in public


def test_my_data_csv_guards_against_spreadsheet_formulas(world):
    session = _session(world, achievements='=HYPERLINK("http://evil.example","Click")')
    body = client_for(world.staff).get("/my-data/?format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert [
        "feedback_sessions",
        str(session.pk),
        "achievements",
        '\'=HYPERLINK("http://evil.example","Click")',
    ] in rows
    data = json.loads(client_for(world.staff).get("/my-data/?format=json").content)
    assert data["feedback_sessions"][0]["achievements"].startswith("=HYPERLINK")  # the JSON is exact
