"""notify(): once per event, and in the channel the person chose."""

import pytest

from core.models import OutboxMessage
from organisations.models import Notification, NotificationPreference
from organisations.rules import notifications as rules
from organisations.services.notifications import notify
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_an_event_notifies_once_and_emails_when_email_is_chosen():
    person = EmployeeFactory(email="sam@example.org")
    first = notify(person, "session_shared", key="session:1", text="A session was shared", url="/x/")
    again = notify(person, "session_shared", key="session:1", text="A session was shared", url="/x/")
    assert first is not None and again is None
    assert Notification.objects.filter(recipient=person).count() == 1
    emails = [m for m in OutboxMessage.objects.filter(kind="email") if m.payload["to"] == ["sam@example.org"]]
    assert len(emails) == 1 and "/x/" in emails[0].payload["body"]


@pytest.mark.parametrize("channel", [rules.IN_APP, rules.DIGEST])
def test_in_app_and_digest_send_no_email_straight_away(channel):
    person = EmployeeFactory(email="sam@example.org")
    NotificationPreference.objects.create(employee=person, kind="session_shared", channel=channel)
    n = notify(person, "session_shared", key="session:2", text="Shared", url="/x/")
    assert n.channel == channel and n.emailed_at is None
    assert not OutboxMessage.objects.filter(kind="email").exists()


def test_nobody_and_leavers_are_not_notified():
    leaver = EmployeeFactory(active=False)
    assert notify(None, "flag_owned", key="flag:1", text="t", url="/") is None
    assert notify(leaver, "flag_owned", key="flag:1", text="t", url="/") is None
    assert not Notification.objects.exists()
