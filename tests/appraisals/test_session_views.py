"""The session pages: the log-a-session form, editing, sharing, acknowledging,
marking actions done, and who may do each."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from appraisals.models import Action, FeedbackSession, GoalCheckIn, SessionState, SkillRating
from core import clock
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillRequirementFactory,
)
from tests.conftest import client_for


def d(day) -> str:
    return f"{day.day} {day.month} {day.year}"


def form_data(rows: int = 3, **overrides) -> dict:
    today = clock.today()
    data = {
        "held_on": d(today - timedelta(days=1)),
        "kind": "supervision",
        "discussion": "Talked about the caseload",
        "achievements": "Closed 12 cases",
        "development_areas": "Court reports",
        "wellbeing": "",
        "overall_assessment": "achieving",
        "private_note": "Keep an eye on workload",
        "next_session_on": d(today + timedelta(days=27)),
        "new-TOTAL_FORMS": str(rows),
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "50",
        "save": "draft",
    }
    data.update(overrides)
    return data


def create_url(employee) -> str:
    return reverse("appraisals:session_create", args=[employee.pk])


def error_summary_links(html: str) -> list[str]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


# --- log a session ---------------------------------------------------------------------


def test_form_shows_every_section(world, manager_client):
    earlier = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    ActionFactory(session=earlier, description="Read the new policy")
    GoalFactory(owner=world.staff, title="Reduce the backlog")
    SkillRequirementFactory(job_role=world.staff.job_role, skill__name="Case recording")
    response = manager_client.get(create_url(world.staff))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Log a session with Sol Staff",
        "The session",
        "Read the new policy",
        "Reduce the backlog",
        "Case recording",
        "New action 3",
        "Add another action",
        "Overall assessment",
        "Private note",
        "Save as draft",
        "Save and share",
        "For example, 27 3 2026",
    ):
        assert text in html, text
    assert "novalidate" in html and "csrfmiddlewaretoken" in html


def test_log_a_full_session(world, manager_client, django_capture_on_commit_callbacks):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    earlier = FeedbackSessionFactory(
        employee=world.staff, acknowledged=True, held_on=clock.today() - timedelta(40)
    )
    done = ActionFactory(session=earlier)
    carried = ActionFactory(session=earlier)
    goal = GoalFactory(owner=world.staff)
    untouched_goal = GoalFactory(owner=world.staff)
    requirement = SkillRequirementFactory(job_role=world.staff.job_role)
    unrated = SkillRequirementFactory(job_role=world.staff.job_role)
    data = form_data(
        **{
            f"oa-{done.pk}-outcome": "done",
            f"oa-{carried.pk}-outcome": "carry",
            f"goal-{goal.pk}-progress": "60",
            f"goal-{goal.pk}-status": "at_risk",
            f"goal-{goal.pk}-comment": "Waiting for data",
            f"goal-{untouched_goal.pk}-progress": "",
            f"skills-skill_{requirement.skill_id}": "2",
            f"skills-skill_{unrated.skill_id}": "",
            "new-0-description": "Book court skills training",
            "new-0-owner": str(world.staff.pk),
            "new-0-due_on": d(clock.today() + timedelta(days=14)),
            "new-1-description": "",
            "new-1-owner": str(world.staff.pk),
            "new-2-description": "Find a mentor",
            "new-2-owner": str(world.manager.pk),
            "save": "share",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(create_url(world.staff), data)
    session = FeedbackSession.objects.get(
        employee=world.staff, manager=world.manager, state=SessionState.SHARED
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:session_detail", args=[session.pk]
    )
    assert session.kind == "supervision" and session.overall_assessment == "achieving"
    assert session.private_note == "Keep an eye on workload"
    done.refresh_from_db()
    assert done.done_on == session.held_on
    assert sorted(session.actions.values_list("description", flat=True)) == sorted(
        [carried.description, "Book court skills training", "Find a mentor"]
    )
    assert session.actions.get(carried_over_from=carried)
    assert GoalCheckIn.objects.get(session=session).goal == goal
    assert not GoalCheckIn.objects.filter(goal=untouched_goal).exists()
    assert list(SkillRating.objects.values_list("skill_id", "level", "source")) == [
        (requirement.skill_id, 2, "manager")
    ]
    assert len(mail.outbox) == 1 and "Keep an eye on workload" not in mail.outbox[0].body


def test_dates_typed_with_slashes_are_accepted(world, manager_client):
    today = clock.today()
    held = today - timedelta(days=3)
    response = manager_client.post(
        create_url(world.staff),
        form_data(
            held_on=held.strftime("%d/%m/%Y"),
            next_session_on=(today + timedelta(days=9)).strftime("%d/%m/%Y"),
        ),
    )
    assert response.status_code == 302
    assert FeedbackSession.objects.get().held_on == held


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"held_on": ""}, "held_on", "Enter the date the session was held"),
        ({"held_on": "31 2 2026"}, "held_on", "must be a real date"),
        ({"held_on": "not a date"}, "held_on", "must be a real date"),
        ("future", "held_on", "today or in the past"),
        ("next-before", "next_session_on", "must be after the date this one was held"),
    ],
)
def test_session_validation_errors(world, manager_client, overrides, field, message):
    today = clock.today()
    if overrides == "future":
        overrides = {"held_on": d(today + timedelta(days=2)), "next_session_on": ""}
    elif overrides == "next-before":
        overrides = {"held_on": d(today - timedelta(days=1)), "next_session_on": d(today - timedelta(days=5))}
    data = form_data(**overrides)
    data["discussion"] = "Typed text that must survive"
    data["new-0-description"] = "A typed action"
    data["new-0-owner"] = str(world.staff.pk)
    response = manager_client.post(create_url(world.staff), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"id_{field}" in error_summary_links(html)
    assert message in html
    assert re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>[^<]*'
        + re.escape(message),
        html,
    )
    assert "<title>Error: " in html
    # nothing typed is lost
    assert "Typed text that must survive" in html and "A typed action" in html
    assert not FeedbackSession.objects.exists()


def test_goal_row_half_filled_is_an_error_linked_to_its_fields(world, manager_client):
    goal = GoalFactory(owner=world.staff)
    data = form_data(**{f"goal-{goal.pk}-comment": "Some progress"})
    response = manager_client.post(create_url(world.staff), data)
    html = response.content.decode()
    links = error_summary_links(html)
    # "No change" of status is an answer: only the progress is missing.
    assert f"id_goal-{goal.pk}-progress" in links and f"id_goal-{goal.pk}-status" not in links
    assert "Some progress" in html
    assert not GoalCheckIn.objects.exists()


def test_action_due_before_the_session_is_an_error(world, manager_client):
    today = clock.today()
    data = form_data(
        **{
            "new-0-description": "Late already",
            "new-0-owner": str(world.staff.pk),
            "new-0-due_on": d(today - timedelta(days=30)),
        }
    )
    response = manager_client.post(create_url(world.staff), data)
    assert "id_new-0-due_on" in error_summary_links(response.content.decode())
    assert not Action.objects.exists()


def test_add_another_action_keeps_everything_and_saves_nothing(world, manager_client):
    earlier = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    action = ActionFactory(session=earlier)
    data = form_data(
        **{
            "held_on": "not a date yet",  # not validated when adding a row
            "discussion": "Half-way through typing",
            f"oa-{action.pk}-outcome": "carry",
            "new-0-description": "First action",
            "new-0-owner": str(world.manager.pk),
            "new-1-description": "Second action",
            "new-1-owner": str(world.staff.pk),
            "new-2-description": "Third action",
            "new-2-owner": str(world.staff.pk),
            "add_action": "1",
        }
    )
    data.pop("save")
    response = manager_client.post(create_url(world.staff), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" not in html and "govuk-error-message" not in html
    assert 'name="new-TOTAL_FORMS" value="4"' in html
    assert "New action 4" in html
    for typed in (
        "Half-way through typing",
        "First action",
        "Second action",
        "Third action",
        "not a date yet",
    ):
        assert typed in html
    assert re.search(r'value="carry"\s+checked', html) and f'name="oa-{action.pk}-outcome"' in html
    assert re.search(rf'<option value="{world.manager.pk}" selected>', html)
    assert FeedbackSession.objects.count() == 1  # only the earlier one
    # the fourth row is used on the next post
    data.pop("add_action")
    data.update(
        {"new-TOTAL_FORMS": "4", "new-3-description": "Fourth action", "new-3-owner": str(world.staff.pk)}
    )
    data["held_on"] = d(clock.today())
    data["next_session_on"] = ""
    response = manager_client.post(create_url(world.staff), data)
    assert response.status_code == 302
    assert FeedbackSession.objects.exclude(pk=earlier.pk).get().actions.count() == 5  # four new, one carried


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 403), ("peer", 403), ("officer", 403), ("interim", 403), ("outsider", 404)],
)
def test_who_may_not_log_a_session(world, persona, status):
    response = client_for(world.persona(persona)).post(create_url(world.staff), form_data())
    assert response.status_code == status
    assert not FeedbackSession.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "service_head", "head", "chief"])
def test_anyone_above_may_log_a_session(world, persona):
    response = client_for(world.persona(persona)).post(create_url(world.staff), form_data())
    assert response.status_code == 302
    assert FeedbackSession.objects.get().manager == world.persona(persona)


def test_nobody_logs_a_session_for_themselves(world, manager_client):
    assert manager_client.get(create_url(world.manager)).status_code == 403


# --- edit --------------------------------------------------------------------------------


def edit_url(session) -> str:
    return reverse("appraisals:session_edit", args=[session.pk])


def test_edit_form_is_prefilled(world, manager_client):
    session = FeedbackSessionFactory(employee=world.staff, discussion="Original words")
    html = manager_client.get(edit_url(session)).content.decode()
    assert "Original words" in html and d(session.held_on) in html
    assert "Why are you changing this session?" not in html  # a draft needs no reason


def test_edit_after_share_needs_a_reason(world, manager_client):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    data = form_data(discussion="Corrected words")
    response = manager_client.post(edit_url(session), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "id_change_reason" in error_summary_links(html) and "Corrected words" in html
    session.refresh_from_db()
    assert session.discussion != "Corrected words"
    data["change_reason"] = "Wrong date of the case conference"
    response = manager_client.post(edit_url(session), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.discussion == "Corrected words" and session.state == SessionState.SHARED
    assert session.history.latest().history_change_reason == "Wrong date of the case conference"
    detail = manager_client.get(reverse("appraisals:session_detail", args=[session.pk])).content.decode()
    assert "Wrong date of the case conference" in detail and "History of changes" in detail


def test_edit_after_acknowledge_is_refused(world, manager_client):
    session = FeedbackSessionFactory(employee=world.staff, acknowledged=True, discussion="Final")
    response = manager_client.post(edit_url(session), form_data(discussion="Changed", change_reason="x"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.discussion == "Final"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 403),
        ("service_head", 403),
        ("head", 403),
        ("officer", 403),
        ("peer", 403),
        ("outsider", 404),
    ],
)
def test_who_may_not_edit(world, persona, status):
    session = FeedbackSessionFactory(employee=world.staff)
    response = client_for(world.persona(persona)).post(edit_url(session), form_data(discussion="Hijacked"))
    assert response.status_code == status
    session.refresh_from_db()
    assert session.discussion != "Hijacked"


# --- share ---------------------------------------------------------------------------------


def test_share_from_the_detail_page(world, manager_client, django_capture_on_commit_callbacks):
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    session = FeedbackSessionFactory(employee=world.staff)
    url = reverse("appraisals:session_share", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.SHARED
    assert len(mail.outbox) == 1
    # twice: refused with a message, nothing sent again
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url, follow=True)
    assert "already been shared" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 403), ("head", 403), ("officer", 403), ("peer", 403), ("outsider", 404)]
)
def test_who_may_not_share(world, persona, status):
    session = FeedbackSessionFactory(employee=world.staff)
    response = client_for(world.persona(persona)).post(reverse("appraisals:session_share", args=[session.pk]))
    assert response.status_code == status
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT


# --- acknowledge ------------------------------------------------------------------------


def test_employee_acknowledges_with_a_comment(world, staff_client):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    url = reverse("appraisals:session_acknowledge", args=[session.pk])
    html = staff_client.get(url).content.decode()
    assert "Acknowledge your session" in html and session.private_note not in html
    response = staff_client.post(url, {"comment": "Fair summary"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.ACKNOWLEDGED and session.employee_comment == "Fair summary"
    # once more: nothing changes
    response = staff_client.post(url, {"comment": "Changed my mind"})
    session.refresh_from_db()
    assert session.employee_comment == "Fair summary"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 403), ("peer", 403), ("head", 403), ("officer", 403), ("outsider", 404)],
)
def test_only_the_employee_acknowledges(world, persona, status):
    session = FeedbackSessionFactory(employee=world.staff, shared=True)
    response = client_for(world.persona(persona)).post(
        reverse("appraisals:session_acknowledge", args=[session.pk]), {"comment": "x"}
    )
    assert response.status_code == status
    session.refresh_from_db()
    assert session.state == SessionState.SHARED


def test_a_draft_cannot_be_acknowledged(world, staff_client):
    session = FeedbackSessionFactory(employee=world.staff)
    url = reverse("appraisals:session_acknowledge", args=[session.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url).status_code == 403


# --- actions -----------------------------------------------------------------------------


def done_url(action) -> str:
    return reverse("appraisals:action_done", args=[action.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 302),
        ("manager", 302),
        ("peer", 403),
        ("head", 403),
        ("officer", 403),
        ("service_head", 403),
        ("outsider", 404),
    ],
)
def test_who_may_mark_an_action_done(world, persona, status):
    action = ActionFactory(
        session=FeedbackSessionFactory(employee=world.staff, shared=True), owner=world.staff
    )
    response = client_for(world.persona(persona)).post(done_url(action))
    assert response.status_code == status
    action.refresh_from_db()
    assert (action.done_on is not None) == (status == 302)


def test_the_employee_cannot_complete_an_action_of_a_draft(world, staff_client):
    action = ActionFactory(session=FeedbackSessionFactory(employee=world.staff), owner=world.staff)
    assert staff_client.post(done_url(action)).status_code == 403


def test_action_done_returns_to_a_safe_next_page_only(world, staff_client):
    action = ActionFactory(session=FeedbackSessionFactory(employee=world.staff, shared=True))
    response = staff_client.post(done_url(action), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("appraisals:session_detail", args=[action.session_id])
    other = ActionFactory(session=action.session)
    response = staff_client.post(done_url(other), {"next": "/sessions/"})
    assert response["Location"] == "/sessions/"


def test_someone_further_up_does_not_see_the_line_managers_actions(world):
    """The head of the directorate may log a session, but the open actions agreed
    in the line manager's sessions are content they may not read."""
    earlier = FeedbackSessionFactory(employee=world.staff, manager=world.manager, acknowledged=True)
    action = ActionFactory(session=earlier, description="CONFIDENTIAL-ACTION")
    own = FeedbackSessionFactory(employee=world.staff, manager=world.head, acknowledged=True)
    ActionFactory(session=own, description="The head's own action")
    html = client_for(world.head).get(create_url(world.staff)).content.decode()
    assert "CONFIDENTIAL-ACTION" not in html and "The head&#x27;s own action" in html  # escaped
    # the grandmanager sees both
    html = client_for(world.service_head).get(create_url(world.staff)).content.decode()
    assert "CONFIDENTIAL-ACTION" in html
    # and posting a review of it anyway is refused
    response = client_for(world.head).post(
        create_url(world.staff), form_data(**{f"oa-{action.pk}-outcome": "done"})
    )
    assert response.status_code == 302  # the unknown row is ignored, the session saved
    action.refresh_from_db()
    assert action.done_on is None
