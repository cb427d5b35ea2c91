"""The shared agenda of the next one-to-one: the person adds a topic, the manager
sees it in the session form and marks it discussed or carried over; who sees it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import AgendaTopic, SessionState
from appraisals.services.agenda import agenda_topic_add
from organisations.access import Viewer
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.appraisals.test_session_views import create_url, form_data
from tests.conftest import client_for

TOPIC = "AGENDA-TOPIC: moving to the duty rota"


def agenda_url(employee) -> str:
    return reverse("appraisals:agenda", args=[employee.pk])


def test_person_adds_a_topic_from_my_sessions_and_manager_sees_it_in_the_form(
    world, staff_client, manager_client
):
    page = staff_client.get(reverse("appraisals:my_sessions")).content.decode()
    assert "Your agenda for the next one-to-one" in page
    response = staff_client.post(
        agenda_url(world.staff), {"text": TOPIC, "next": reverse("appraisals:my_sessions")}
    )
    assert response.status_code == 302 and response.url == reverse("appraisals:my_sessions")
    topic = AgendaTopic.objects.get()
    assert (topic.employee, topic.added_by, topic.is_open) == (world.staff, world.staff, True)
    assert TOPIC in staff_client.get(reverse("appraisals:my_sessions")).content.decode()

    form = manager_client.get(create_url(world.staff)).content.decode()
    assert TOPIC in form
    assert f'name="topic-{topic.pk}-outcome"' in form
    assert "Carry over to the next session" in form


def test_marking_discussed_takes_it_off_and_carried_over_stays(world, manager_client):
    discussed = agenda_topic_add(employee=world.staff, text="Discuss training", by=world.staff)
    carried = agenda_topic_add(employee=world.staff, text="Discuss leave", by=world.manager)
    data = form_data(**{f"topic-{discussed.pk}-outcome": "discussed", f"topic-{carried.pk}-outcome": "carry"})
    response = manager_client.post(create_url(world.staff), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = world.staff.feedback_sessions.get()
    discussed.refresh_from_db()
    carried.refresh_from_db()
    assert discussed.discussed_in == session
    assert carried.is_open and carried.times_carried_over == 1 and carried.last_carried_in == session

    # Changing the draft again neither counts the carry twice nor loses the mark.
    edit = reverse("appraisals:session_edit", args=[session.pk])
    form = manager_client.get(edit).content.decode()
    assert "Discuss training" in form and "Discuss leave" in form
    manager_client.post(edit, data)
    carried.refresh_from_db()
    assert carried.times_carried_over == 1

    # The next session lists the carried-over topic only, and says it was carried over.
    session.state = SessionState.SHARED
    session.save()
    form = manager_client.get(create_url(world.staff)).content.decode()
    assert "Discuss leave" in form and "Carried over once" in form
    assert "Discuss training" not in form


def test_an_empty_topic_is_refused_next_to_the_field(world, staff_client):
    response = staff_client.post(agenda_url(world.staff), {"text": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter the topic you want to talk about" in html
    assert not AgendaTopic.objects.exists()


# Who sees staff's agenda (page and topic), and may add to it.
AGENDA_MATRIX = [
    ("staff", 200),
    ("manager", 200),
    ("service_head", 200),  # the manager's manager
    ("head", 403),
    ("chief", 403),
    ("officer", 403),
    ("peer", 403),
    ("interim", 403),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "status"), AGENDA_MATRIX)
def test_agenda_visibility_for_every_persona(world, persona, status):
    topic = agenda_topic_add(employee=world.staff, text=TOPIC, by=world.staff)
    viewer = world.persona(persona)
    client = client_for(viewer)
    response = client.get(agenda_url(world.staff))
    assert response.status_code == status
    assert (TOPIC in response.content.decode()) is (status == 200)
    v = Viewer(viewer)
    assert AgendaTopic.objects.visible_to(v).filter(pk=topic.pk).exists() is (status == 200)
    assert topic.is_visible_to(v) is (status == 200)
    # Nor is it on any sessions page they can open.
    sessions_page = client.get(reverse("appraisals:employee_sessions", args=[world.staff.pk]))
    assert (TOPIC in sessions_page.content.decode()) is (status == 200)


def test_a_head_logging_a_session_does_not_see_the_agenda(world, head_client):
    agenda_topic_add(employee=world.staff, text=TOPIC, by=world.staff)
    form = head_client.get(create_url(world.staff)).content.decode()
    assert TOPIC not in form


def test_only_the_author_takes_a_topic_off(world, staff_client, manager_client):
    topic = agenda_topic_add(employee=world.staff, text=TOPIC, by=world.staff)
    url = reverse("appraisals:agenda_topic_remove", args=[topic.pk])
    assert manager_client.post(url).status_code == 403
    assert staff_client.post(url).status_code == 302
    assert not AgendaTopic.objects.exists()


def test_a_discussed_topic_cannot_be_taken_off(world, staff_client):
    topic = agenda_topic_add(employee=world.staff, text=TOPIC, by=world.staff)
    topic.discussed_in = FeedbackSessionFactory(employee=world.staff, manager=world.manager)
    topic.save()
    assert staff_client.post(reverse("appraisals:agenda_topic_remove", args=[topic.pk])).status_code == 403
    assert AgendaTopic.objects.filter(pk=topic.pk).exists()


def test_session_form_queries_do_not_grow_with_topics(world, manager_client, django_assert_max_num_queries):
    for n in range(2):
        agenda_topic_add(employee=world.staff, text=f"Topic {n}", by=world.staff)
    manager_client.get(create_url(world.staff))
    with CaptureQueriesContext(connection) as few:
        manager_client.get(create_url(world.staff))
    for n in range(2, 12):
        agenda_topic_add(employee=world.staff, text=f"Topic {n}", by=world.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(create_url(world.staff))
