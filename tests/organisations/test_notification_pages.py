"""Waiting for you: the header's count, the list, opening one, marking all as
read, and the notification settings."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from organisations.models import Notification, NotificationPreference
from organisations.rules import notifications as rules
from organisations.services.notifications import notify
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:notifications")


def checked(html: str, name: str) -> list[str]:
    """The values of the radios named ``name`` that are checked."""
    inputs = re.findall(r"<input[^>]*>", html)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if f'name="{name}"' in tag and "checked" in tag
    ]


def waiting(person, n: int, *, read: int = 0) -> list[Notification]:
    made = []
    for i in range(n):
        made.append(
            notify(person, "check_in_due", key=f"goal:{i}", text=f"Check-in {i} due", url=f"/goals/{i}/")
        )
    for notification in made[:read]:
        Notification.objects.filter(pk=notification.pk).update(read_at=clock.now())
    return made


def test_the_header_says_how_many_wait_in_words(world):
    waiting(world.staff, 3, read=1)
    html = client_for(world.staff).get(reverse("appraisals:my_goals")).content.decode()
    assert f'href="{LIST}">Waiting for you (2<span class="govuk-visually-hidden"> unread</span>)</a>' in html
    html = client_for(world.manager).get(reverse("appraisals:my_goals")).content.decode()
    assert "Waiting for you (0" in html


def test_the_count_costs_no_query_of_its_own(world, django_assert_max_num_queries):
    client = client_for(world.staff)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("appraisals:my_goals"))
    assert "notification" in before.captured_queries[2]["sql"].lower()  # with the viewer's own row
    waiting(world.staff, 5)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("appraisals:my_goals"))
    assert "Waiting for you (5" in response.content.decode()


def test_the_list_shows_unread_first_each_with_its_link(world, django_assert_max_num_queries):
    made = waiting(world.staff, 4)
    Notification.objects.filter(pk=made[3].pk).update(read_at=clock.now())  # the newest, read
    client = client_for(world.staff)
    client.get(LIST)
    # The signed-in page's 4 (session, user, viewer with the count, services), the
    # navigation's 1, the page's count and rows 2, the session's save 3.
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<title>Waiting for you" in html
    order = [html.index(f"Check-in {i} due") for i in (2, 1, 0, 3)]
    assert order == sorted(order)
    assert reverse("organisations:notification_open", args=[made[0].pk]) in html
    assert html.count("<strong>Unread</strong>") == 3 and "Read " in html
    assert "Mark all as read" in html


def test_the_list_is_paginated(world):
    waiting(world.staff, rules.PAGE_SIZE + 2)
    client = client_for(world.staff)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count("Check-in ") == rules.PAGE_SIZE and 'rel="next"' in first
    assert second.count("Check-in ") == 2


def test_another_persons_list_shows_nothing_of_theirs(world):
    waiting(world.staff, 2)
    html = client_for(world.peer).get(LIST).content.decode()
    assert "Check-in" not in html and "Nothing is waiting for you." in html


def test_opening_marks_it_read_and_goes_to_it(world):
    [notification] = waiting(world.staff, 1)
    response = client_for(world.staff).get(reverse("organisations:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/goals/0/"
    notification.refresh_from_db()
    first = notification.read_at
    assert first is not None
    client_for(world.staff).post(reverse("organisations:notification_open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first  # the first opening counts


@pytest.mark.parametrize("persona", ["peer", "manager", "officer", "outsider"])
def test_another_persons_notification_is_not_found(world, persona):
    [notification] = waiting(world.staff, 1)
    url = reverse("organisations:notification_open", args=[notification.pk])
    client = client_for(world.persona(persona))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_that_leaves_the_site_is_not_followed(world):
    notification = notify(world.staff, "flag_owned", key="x", text="t", url="//evil.example/")
    response = client_for(world.staff).get(reverse("organisations:notification_open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_mark_all_as_read_is_the_persons_own(world):
    waiting(world.staff, 3)
    waiting(world.peer, 2)
    client = client_for(world.staff)
    assert client.get(reverse("organisations:notifications_read_all")).status_code == 405
    response = client.post(reverse("organisations:notifications_read_all"), follow=True)
    assert "3 marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=world.staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.peer, read_at__isnull=True).count() == 2


def test_settings_show_each_kind_with_its_current_channel(world):
    NotificationPreference.objects.create(employee=world.staff, kind="flag_owned", channel=rules.IN_APP)
    html = client_for(world.staff).get(reverse("organisations:notification_settings")).content.decode()
    assert html.count("<h1") == 1
    for kind in rules.KINDS:
        assert kind.label in html
    assert checked(html, "flag_owned") == [rules.IN_APP]
    assert checked(html, "session_shared") == [rules.EMAIL]  # its default


def test_settings_save_each_choice_and_keep_defaults_as_no_row(world):
    choices = {k.code: k.default_channel for k in rules.KINDS}
    choices["session_shared"] = rules.DIGEST
    choices["flag_owned"] = rules.EMAIL
    client = client_for(world.staff)
    response = client.post(reverse("organisations:notification_settings"), choices, follow=True)
    assert "Notification settings saved." in response.content.decode()
    stored = dict(NotificationPreference.objects.filter(employee=world.staff).values_list("kind", "channel"))
    assert stored == {"session_shared": rules.DIGEST, "flag_owned": rules.EMAIL}
    notification = notify(world.staff, "session_shared", key="s", text="t", url="/")
    assert notification.channel == rules.DIGEST
    response = client.post(reverse("organisations:notification_settings"), choices, follow=True)
    assert "Nothing changed" in response.content.decode()


def test_a_missing_or_wrong_answer_is_shown_next_to_it_and_the_rest_kept(world):
    choices = {k.code: rules.IN_APP for k in rules.KINDS}
    del choices["result_due"]
    choices["flag_owned"] = "carrier-pigeon"
    response = client_for(world.staff).post(reverse("organisations:notification_settings"), choices)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "<title>Error: " in html
    assert '<a href="#id_result_due_1">Choose how you hear about a KPI result due or late</a>' in html
    assert '<a href="#id_flag_owned_1">Choose how you hear about a new flag for you to act on</a>' in html
    assert html.count('class="govuk-error-message"') == 2
    assert checked(html, "session_shared") == [rules.IN_APP]  # what was chosen is kept
    assert checked(html, "result_due") == []
    assert not NotificationPreference.objects.filter(employee=world.staff).exists()


def test_a_leaver_of_last_week_is_not_told_anything(world):
    world.staff.active = False
    world.staff.left_on = clock.today() - timedelta(days=7)
    world.staff.save()
    assert notify(world.staff, "flag_owned", key="k", text="t", url="/") is None
