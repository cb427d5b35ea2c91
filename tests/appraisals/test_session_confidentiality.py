"""Confidentiality of feedback sessions for every role on every page.

The employee reads their shared sessions but never the private note; the author,
the line manager and that manager's manager read everything; heads of service and
performance officers see only that a session happened (date, kind, state);
everyone else in the organisation gets a 403, another organisation a 404.
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from appraisals.models import SessionState
from appraisals.services.notifications import weekly_digest_messages
from appraisals.services.sessions import feedback_session_share
from core import clock
from tests.appraisals.session_factories import ActionFactory, FeedbackSessionFactory
from tests.conftest import client_for

PRIVATE = "PRIVATE-NOTE-never-for-the-employee"
DISCUSSION = "DISCUSSION-what-was-said"
ASSESSMENT_WORD = "Not yet achieving"
COMMENT = "EMPLOYEE-COMMENT-for-the-chain"


@pytest.fixture
def session(world):
    s = FeedbackSessionFactory(
        employee=world.staff,
        manager=world.manager,
        state=SessionState.ACKNOWLEDGED,
        held_on=date(2026, 3, 2),
        discussion=DISCUSSION,
        private_note=PRIVATE,
        overall_assessment="not_yet",
        employee_comment=COMMENT,
    )
    ActionFactory(session=s, description="ACTION-agreed-in-session")
    return s


def detail(world, persona, session):
    return client_for(world.persona(persona)).get(reverse("appraisals:session_detail", args=[session.pk]))


# (persona, status, sees content, sees private note, sees history)
MATRIX = [
    ("staff", 200, True, False, False),  # the employee
    ("manager", 200, True, True, True),  # author and line manager
    ("service_head", 200, True, True, True),  # the manager's manager
    ("head", 200, False, False, False),  # head of the directorate, three levels up
    ("chief", 200, False, False, False),  # chief executive
    ("officer", 200, False, False, False),  # performance officer
    ("peer", 403, False, False, False),
    ("interim", 403, False, False, False),
    ("outsider", 404, False, False, False),
    ("outsider_manager", 404, False, False, False),
]


@pytest.mark.parametrize(("persona", "status", "content", "private", "history"), MATRIX)
def test_session_detail_for_every_role(world, session, persona, status, content, private, history):
    response = detail(world, persona, session)
    assert response.status_code == status
    html = response.content.decode()
    assert (DISCUSSION in html) == content
    assert ("ACTION-agreed-in-session" in html) == content
    assert (ASSESSMENT_WORD in html) == content
    assert (COMMENT in html) == content
    assert (PRIVATE in html) == private
    assert ("History of changes" in html) == history
    if status == 200:
        # everyone who may reach it sees that it happened
        assert "2 March 2026" in html and "One-to-one" in html and "Acknowledged" in html
    if status == 200 and not content:
        assert "not what was said" in html


def test_the_author_who_has_moved_on_still_reads_their_session(world, session):
    session.manager = world.interim  # held by someone who is not in the line now
    session.save()
    html = detail(world, "interim", session).content.decode()
    assert PRIVATE in html and DISCUSSION in html


def test_the_employee_does_not_see_a_draft(world):
    draft = FeedbackSessionFactory(employee=world.staff, discussion=DISCUSSION, private_note=PRIVATE)
    assert detail(world, "staff", draft).status_code == 403
    html = client_for(world.staff).get(reverse("appraisals:my_sessions")).content.decode()
    assert DISCUSSION not in html and reverse("appraisals:session_detail", args=[draft.pk]) not in html
    html = (
        client_for(world.staff)
        .get(reverse("appraisals:employee_sessions", args=[world.staff.pk]))
        .content.decode()
    )
    assert "No sessions recorded" in html and "Draft" not in html


def test_the_private_note_never_reaches_the_employee(world, session, django_capture_on_commit_callbacks):
    """Every page the employee can open about their sessions, and the emails."""
    world.staff.email = "sol@example.gov.uk"
    world.staff.save()
    world.manager.email = "mo@example.gov.uk"
    world.manager.save()
    shared = FeedbackSessionFactory(employee=world.staff, manager=world.manager, private_note=PRIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_session_share(session=shared, by=world.manager)
    client = client_for(world.staff)
    pages = [
        reverse("appraisals:session_detail", args=[session.pk]),
        reverse("appraisals:session_detail", args=[shared.pk]),
        reverse("appraisals:session_acknowledge", args=[shared.pk]),
        reverse("appraisals:my_sessions"),
        reverse("appraisals:employee_sessions", args=[world.staff.pk]),
        reverse("organisations:person_detail", args=[world.staff.pk]),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert PRIVATE not in response.content.decode(), url
    sent_to_staff = [m for m in mail.outbox if "sol@example.gov.uk" in m.to]
    assert sent_to_staff
    for message in sent_to_staff + weekly_digest_messages(today=clock.today()):
        assert PRIVATE not in message.body and PRIVATE not in message.subject


@pytest.mark.parametrize(
    ("persona", "status", "links"),
    [
        ("staff", 200, True),
        ("manager", 200, True),
        ("service_head", 200, True),
        ("head", 200, False),
        ("officer", 200, False),
        ("chief", 200, False),
        ("peer", 403, False),
        ("interim", 403, False),
        ("outsider", 404, False),
    ],
)
def test_session_history_for_every_role(world, session, persona, status, links):
    response = client_for(world.persona(persona)).get(
        reverse("appraisals:employee_sessions", args=[world.staff.pk])
    )
    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    assert "2 March 2026" in html and "One-to-one" in html
    assert (reverse("appraisals:session_detail", args=[session.pk]) in html) == links
    assert DISCUSSION not in html and PRIVATE not in html


def test_session_history_shows_a_draft_to_its_author_alone(world):
    FeedbackSessionFactory(employee=world.staff, manager=world.manager, held_on=date(2026, 1, 5))
    staff_html = (
        client_for(world.staff)
        .get(reverse("appraisals:employee_sessions", args=[world.staff.pk]))
        .content.decode()
    )
    head_html = (
        client_for(world.head)
        .get(reverse("appraisals:employee_sessions", args=[world.staff.pk]))
        .content.decode()
    )
    manager_html = (
        client_for(world.manager)
        .get(reverse("appraisals:employee_sessions", args=[world.staff.pk]))
        .content.decode()
    )
    # The employee was there, so the cadence may count it; no list shows it but the author's.
    assert "No sessions recorded" in staff_html and "Draft" not in staff_html
    # (The cadence counts it for everyone: that a session was held is not its content.)
    assert "5 January 2026</a>" not in head_html and "Draft" not in head_html
    assert "5 January 2026</a>" in manager_html and "Draft" in manager_html


@pytest.mark.parametrize(
    ("persona", "section", "history_link", "log_link"),
    [
        ("staff", True, True, False),
        ("manager", True, True, True),
        ("head", True, True, True),
        ("officer", True, True, False),
        ("peer", False, False, False),
    ],
)
def test_person_page_section(world, session, persona, section, history_link, log_link):
    html = (
        client_for(world.persona(persona))
        .get(reverse("organisations:person_detail", args=[world.staff.pk]))
        .content.decode()
    )
    assert ("Feedback sessions" in html) == section
    assert ("Last session" in html) == section
    link = (
        reverse("appraisals:my_sessions")
        if persona == "staff"
        else reverse("appraisals:employee_sessions", args=[world.staff.pk])
    )
    assert (link in html) == history_link
    assert (reverse("appraisals:session_create", args=[world.staff.pk]) in html) == log_link
    assert DISCUSSION not in html and PRIVATE not in html


def test_person_page_shows_overdue_days(world, session, manager_client):
    html = manager_client.get(reverse("organisations:person_detail", args=[world.staff.pk])).content.decode()
    assert "2 March 2026" in html
    assert "Overdue by" in html  # a session in March is long past 28 days
