"""Feedback from colleagues: asking, answering, declining, releasing; nobody but
the person's line manager reads an answer until it is released; then the person
does, named or anonymous as the organisation's setting says, and My data and the
complete export list it; every step is in the audit trail."""

import json

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from appraisals.models import FeedbackRequest, FeedbackResponse, ResponseState
from appraisals.rules.peer_feedback import QUESTION_BANK
from appraisals.services.peer_feedback import (
    feedback_release,
    feedback_request_create,
    feedback_response_answer,
)
from insights.selectors.mydata import personal_data
from insights.selectors.subject_access import subject_access_items
from organisations.access import Viewer
from organisations.models import AuditEvent, AuditEventKind, Notification
from tests.conftest import client_for
from tests.factories import UserFactory

ANSWER = "PEER-ANSWER: Sol explains the allocations policy clearly"


@pytest.fixture
def emails(world):
    for name in ("peer", "interim", "officer", "staff", "manager", "outsider"):
        person = world.persona(name)
        person.email = f"{name}@example.gov.uk"
        person.save()
    return world


def ask(client, subject, **overrides):
    data = {
        "colleagues": "peer@example.gov.uk\ninterim@example.gov.uk",
        "bank": ["0", "2"],
        "free_1": "Any advice?",
    }
    data.update(overrides)
    return client.post(reverse("appraisals:feedback_ask", args=[subject.pk]), data)


def test_person_asks_colleagues_who_are_notified_and_it_is_audited(emails, staff_client):
    w = emails
    response = ask(staff_client, w.staff)
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert request.questions == [QUESTION_BANK[0], QUESTION_BANK[2], "Any advice?"]
    assert {r.respondent for r in request.responses.all()} == {w.peer, w.interim}
    notes = Notification.objects.filter(kind="feedback_requested")
    assert {n.recipient for n in notes} == {w.peer, w.interim}
    assert all(n.text == "Sol Staff asked for your feedback about Sol Staff" for n in notes)
    event = AuditEvent.objects.get(kind=AuditEventKind.FEEDBACK_REQUESTED)
    assert (event.actor, event.subject) == (w.staff, w.staff)
    assert "2 colleagues" in event.detail


def test_asking_form_errors_keep_what_was_typed(emails, staff_client):
    response = ask(
        staff_client, emails.staff, colleagues="nobody@example.gov.uk\nnot-an-email", bank=[], free_1=""
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "not-an-email is not one" in html
    assert "Choose at least one question, or write your own" in html
    assert "nobody@example.gov.uk" in html  # nothing typed is lost
    response = ask(staff_client, emails.staff, colleagues="outsider@example.gov.uk")
    assert "Nobody working here has the email address outsider@example.gov.uk" in response.content.decode()
    response = ask(staff_client, emails.staff, colleagues="staff@example.gov.uk")
    assert "cannot be asked for feedback about themselves" in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_the_line_manager_may_ask_and_nobody_else(emails):
    w = emails
    assert ask(client_for(w.manager), w.staff).status_code == 302
    for persona in ("peer", "head", "chief", "officer", "service_head"):
        assert ask(client_for(w.persona(persona)), w.staff).status_code == 403, persona
    assert ask(client_for(w.outsider), w.staff).status_code == 404


def _answered(w) -> FeedbackResponse:
    request = feedback_request_create(
        subject=w.staff,
        questions=[QUESTION_BANK[0], "Own question"],
        colleagues=[w.peer, w.interim],
        by=w.staff,
    )
    response = request.responses.get(respondent=w.peer)
    feedback_response_answer(response=response, answers=[ANSWER, ""], by=w.peer)
    return response


def test_colleague_answers_on_their_page_and_cannot_read_it_again(emails):
    w = emails
    request = feedback_request_create(
        subject=w.staff, questions=["Q1", "Q2"], colleagues=[w.peer], by=w.staff
    )
    response = request.responses.get()
    peer = client_for(w.peer)
    url = reverse("appraisals:feedback_answer", args=[response.pk])
    page = peer.get(url).content.decode()
    assert "Feedback about Sol Staff" in page and "Q1" in page and "Decline" in page
    refused = peer.post(url, {"answer_0": "", "answer_1": "  "})
    assert "Answer at least one question, or decline the request" in refused.content.decode()
    assert peer.post(url, {"answer_0": ANSWER, "answer_1": ""}).status_code == 302
    response.refresh_from_db()
    assert response.state == ResponseState.ANSWERED and response.answers == [ANSWER, ""]
    assert ANSWER not in peer.get(url).content.decode()
    event = AuditEvent.objects.get(kind=AuditEventKind.FEEDBACK_ANSWERED)
    assert (event.actor, event.subject, event.subject_name) == (w.peer, None, "Sol Staff")
    # Nobody else may open the colleague's answer page.
    for persona in ("staff", "manager", "interim", "chief"):
        assert client_for(w.persona(persona)).get(url).status_code == 403, persona
    assert client_for(w.outsider).get(url).status_code == 404


def test_colleague_declines_with_a_reason_for_the_manager(emails, manager_client):
    w = emails
    request = feedback_request_create(subject=w.staff, questions=["Q1"], colleagues=[w.peer], by=w.manager)
    response = request.responses.get()
    client_for(w.peer).post(
        reverse("appraisals:feedback_answer", args=[response.pk]),
        {"decline": "1", "decline-reason": "New here"},
    )
    response.refresh_from_db()
    assert response.state == ResponseState.DECLINED
    assert AuditEvent.objects.filter(kind=AuditEventKind.FEEDBACK_DECLINED, actor=w.peer).exists()
    page = manager_client.get(reverse("appraisals:feedback_request", args=[request.pk])).content.decode()
    assert "Pat Peer: declined" in page and "New here" in page


# Every persona of the world, and the people beside it: who reads the answer
# before release (the manager alone) and after (the manager and the person).
PERSONAS = [
    "staff",
    "peer",
    "interim",
    "manager",
    "service_head",
    "head",
    "chief",
    "officer",
    "outsider",
    "outsider_manager",
    "hr",
    "dpo",
    "admin_person",
]


def _people(w):
    from tests.factories import EmployeeFactory

    extra = {
        "hr": {"is_hr_officer": True},
        "dpo": {"is_data_protection_officer": True},
        "admin_person": {"is_organisation_admin": True},
    }
    people = {name: w.persona(name) for name in PERSONAS if name not in extra}
    for name, flags in extra.items():
        people[name] = EmployeeFactory(
            organisation=w.org,
            service=w.corporate,
            user=UserFactory(username=name),
            line_manager=w.chief,
            **flags,
        )
    return people


def _reads(client, request) -> bool:
    """Whether any page the person may open shows the answer."""
    pages = [
        reverse("appraisals:feedback"),
        reverse("appraisals:feedback_request", args=[request.pk]),
        reverse("appraisals:my_sessions"),
        reverse("insights:my_data") + "?format=json",
    ]
    for response in request.responses.all():
        pages.append(reverse("appraisals:feedback_answer", args=[response.pk]))
    return any(ANSWER in client.get(url).content.decode() for url in pages)


def test_an_answer_is_read_by_the_manager_alone_until_released(emails):
    w = emails
    response = _answered(w)
    request = response.request
    people = _people(w)
    for name, person in people.items():
        viewer = Viewer(person)
        readable = FeedbackResponse.objects.visible_to(viewer).filter(pk=response.pk).exists()
        expected = name == "manager"
        assert readable is expected, name
        assert response.answers_readable_by(viewer) is expected, name
        assert _reads(client_for(person), request) is expected, name

    feedback_release(request=request, by=w.manager)
    response.refresh_from_db()
    for name, person in people.items():
        viewer = Viewer(person)
        expected = name in ("manager", "staff")
        assert FeedbackResponse.objects.visible_to(viewer).filter(pk=response.pk).exists() is expected, name
        assert response.answers_readable_by(viewer) is expected, name
        assert _reads(client_for(person), request) is expected, name


def test_the_request_page_is_for_the_person_and_their_manager(emails):
    w = emails
    request = _answered(w).request
    url = reverse("appraisals:feedback_request", args=[request.pk])
    people = _people(w)
    for name, person in people.items():
        expected = {"staff": 200, "manager": 200, "outsider": 404, "outsider_manager": 404}.get(name, 403)
        assert client_for(person).get(url).status_code == expected, name


def test_superusers_admin_never_shows_answers(emails):
    w = emails
    response = _answered(w)
    assert FeedbackResponse not in admin.site._registry
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    for url in (
        "/admin/appraisals/feedbackrequest/",
        f"/admin/appraisals/feedbackrequest/{response.request_id}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert ANSWER not in page.content.decode()
    assert client.get(f"/admin/appraisals/feedbackresponse/{response.pk}/change/").status_code == 404


@pytest.mark.parametrize(
    ("setting", "choice", "shown"),
    [
        ("anonymous", None, "A colleague"),
        ("named", None, "Pat Peer"),
        ("manager_chooses", "yes", "Pat Peer"),
        ("manager_chooses", "no", "A colleague"),
    ],
)
def test_release_is_named_or_anonymous_as_the_organisation_says(
    emails, manager_client, staff_client, setting, choice, shown
):
    w = emails
    w.org.feedback_attribution = setting
    w.org.save()
    response = _answered(w)
    request = response.request
    url = reverse("appraisals:feedback_release", args=[request.pk])
    page = manager_client.get(reverse("appraisals:feedback_request", args=[request.pk])).content.decode()
    assert "Release to Sol" in page and ANSWER in page and "Pat Peer" in page
    if setting == "manager_chooses":
        refused = manager_client.post(url, {})
        assert "Choose whether the person sees who wrote each response" in refused.content.decode()
    assert manager_client.post(url, {"named": choice} if choice else {}).status_code == 302
    response.refresh_from_db()
    assert response.released_at is not None and response.from_words == shown

    page = staff_client.get(reverse("appraisals:feedback_request", args=[request.pk])).content.decode()
    assert ANSWER in page
    assert ("Pat Peer" in page) is (shown == "Pat Peer")
    assert "Ira Interim" not in page  # who else was asked is the manager's to know

    released = personal_data(w.staff)["feedback_from_colleagues"]
    assert [(r["from"], r["answers"][0]["answer"]) for r in released] == [(shown, ANSWER)]
    assert (
        "Pat Peer" in json.dumps(released) if shown == "Pat Peer" else "Pat Peer" not in json.dumps(released)
    )
    items = [i for i in subject_access_items(w.staff) if i.section == "Feedback from colleagues"]
    assert [i.value for i in items] == [ANSWER]
    assert f"from {shown}" in items[0].source

    events = AuditEvent.objects.filter(kind=AuditEventKind.FEEDBACK_RELEASED, subject=w.staff)
    assert events.count() == 1
    assert Notification.objects.filter(kind="feedback_released", recipient=w.staff).exists()
    # The person's own audit records never name who answered.
    mine = json.dumps(personal_data(w.staff)["subject_access_exports_about_me"])
    assert "Pat Peer" not in mine


def test_nothing_unreleased_reaches_my_data(emails):
    w = emails
    _answered(w)
    assert personal_data(w.staff)["feedback_from_colleagues"] == []
    assert not [i for i in subject_access_items(w.staff) if i.section == "Feedback from colleagues"]


def test_only_the_line_manager_releases(emails):
    w = emails
    request = _answered(w).request
    url = reverse("appraisals:feedback_release", args=[request.pk])
    for persona in ("staff", "peer", "service_head", "chief", "officer"):
        assert client_for(w.persona(persona)).post(url).status_code == 403, persona
    assert client_for(w.outsider).post(url).status_code == 404
    assert not FeedbackResponse.objects.released().exists()


def test_settings_area_sets_the_attribution_and_audits_it(emails):
    w = emails
    admin_person = _people(w)["admin_person"]
    client = client_for(admin_person)
    url = reverse("organisations:settings_feedback")
    assert "How do people see feedback from colleagues?" in client.get(url).content.decode()
    assert client.post(url, {"feedback_attribution": "named"}).status_code == 302
    w.org.refresh_from_db()
    assert w.org.feedback_attribution == "named"
    event = AuditEvent.objects.get(kind=AuditEventKind.SETTINGS_CHANGED)
    assert "How feedback from colleagues is released" in event.detail


def test_overview_lists_what_waits_for_each(emails, staff_client, manager_client):
    w = emails
    _answered(w)
    interim = client_for(w.interim).get(reverse("appraisals:feedback")).content.decode()
    assert "Waiting for your answer" in interim and "Feedback about Sol Staff" in interim
    mine = staff_client.get(reverse("appraisals:feedback")).content.decode()
    assert "1 of 2 answered, 0 released to you" in mine
    manager = manager_client.get(reverse("appraisals:feedback")).content.decode()
    assert "Sol Staff, asked on" in manager and "Ask for feedback about Pat Peer" in manager
