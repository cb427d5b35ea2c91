"""Each kind of notification reaches the person in the channel they chose, once:
an email straight away, the weekly summary, or the product only, for every kind
in the registry, whether one event is notified (``notify``) or many at once
(``notify_many``, the recompute and the daily reminders)."""

from datetime import timedelta

import pytest
import time_machine

from appraisals.services.notifications import weekly_digests_send
from core import clock
from core.models import OutboxMessage
from organisations.models import Notification, NotificationPreference
from organisations.rules import notifications as rules
from organisations.services.notifications import Pending, notify, notify_many
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ADDRESS = "sam@example.org"
CHANNELS = [code for code, _ in rules.CHANNELS]


def emails_to(address: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.filter(kind="email") if m.payload["to"] == [address]]


def send(how: str, person, kind: str, key: str) -> None:
    text, url = f"Something of kind {kind} waits", f"/somewhere/{key}/"
    if how == "one":
        notify(person, kind, key=key, text=text, url=url)
    else:
        notify_many([Pending(recipient_id=person.pk, kind=kind, key=key, text=text, url=url)])


@pytest.mark.parametrize("how", ["one", "many"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", [k.code for k in rules.KINDS])
def test_each_kind_reaches_the_person_in_their_channel_once(kind, channel, how):
    person = EmployeeFactory(email=ADDRESS)
    NotificationPreference.objects.create(employee=person, kind=kind, channel=channel)
    for _ in range(3):  # the job that finds the event runs again: still once
        send(how, person, kind, "event:1")
    [notification] = Notification.objects.filter(recipient=person)
    assert notification.kind == kind and notification.channel == channel and notification.read_at is None

    now_emails = emails_to(ADDRESS)
    if channel == rules.EMAIL:
        assert len(now_emails) == 1 and notification.emailed_at is not None
        assert "/somewhere/event:1/" in now_emails[0].payload["body"]
    else:
        assert now_emails == [] and notification.emailed_at is None

    # The weekly summary carries it if, and only if, the person chose it; and once.
    with time_machine.travel(clock.now() + timedelta(days=2)):
        weekly_digests_send(today=clock.today(), now=clock.now())
        weekly_digests_send(today=clock.today(), now=clock.now())
    summary = [m for m in emails_to(ADDRESS) if m not in now_emails]
    notification.refresh_from_db()
    if channel == rules.DIGEST:
        assert len(summary) == 1 and notification.emailed_at is not None
        assert f"Something of kind {kind} waits" in summary[0].payload["body"]
        assert "/somewhere/event:1/" in summary[0].payload["body"]
    else:
        assert summary == []
    assert Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.parametrize("kind", [k.code for k in rules.KINDS])
def test_without_a_choice_each_kind_takes_its_default(kind):
    person = EmployeeFactory(email=ADDRESS)
    notification = notify(person, kind, key="k", text="t", url="/")
    assert notification.channel == rules.BY_CODE[kind].default_channel
    assert bool(emails_to(ADDRESS)) == (notification.channel == rules.EMAIL)


def test_notify_many_honours_each_persons_choice_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    people = [EmployeeFactory(email=f"p{i}@example.org") for i in range(6)]
    for i, person in enumerate(people):
        NotificationPreference.objects.create(employee=person, kind="flag_owned", channel=CHANNELS[i % 3])
    events = [
        Pending(recipient_id=p.pk, kind="flag_owned", key=f"flag:{n}", text="A flag", url="/flags/")
        for p in people
        for n in range(3)
    ]
    with django_assert_max_num_queries(5):
        made = notify_many(events)
    assert len(made) == 18
    by_channel = {c: Notification.objects.filter(channel=c).count() for c in CHANNELS}
    assert by_channel == {c: 6 for c in CHANNELS}
    assert OutboxMessage.objects.filter(kind="email").count() == 6  # the two who chose email, 3 each
    with django_assert_max_num_queries(3):
        assert notify_many(events) == []  # already notified: nothing new


def test_a_person_without_an_address_gets_no_email_but_the_list_has_it():
    person = EmployeeFactory(email="")
    notify_many([Pending(recipient_id=person.pk, kind="result_due", key="r", text="Due", url="/")])
    assert Notification.objects.get(recipient=person).emailed_at is None
    assert not OutboxMessage.objects.filter(kind="email").exists()


def test_leavers_and_unknown_kinds():
    leaver = EmployeeFactory(active=False)
    assert notify_many([Pending(recipient_id=leaver.pk, kind="flag_owned", key="f", text="t", url="/")]) == []
    with pytest.raises(ValueError):
        notify_many([Pending(recipient_id=leaver.pk, kind="nonsense", key="f", text="t", url="/")])
