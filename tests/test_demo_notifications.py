"""The demo's people find something waiting for them: demo-staff the session
demo-manager shared, demo-manager their flags; a handful unread, not hundreds."""

import pytest
from django.test import Client
from django.urls import reverse

from insights.models import Flag
from organisations.models import Employee, Notification
from tests.test_seed_demo import seed


@pytest.mark.django_db
def test_demo_personas_have_unread_notifications():
    seed(employees=300, password="pw")
    staff = Employee.objects.get(user__username="demo-staff")
    manager = Employee.objects.get(user__username="demo-manager")
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.filter(recipient=staff, kind="session_shared").count() == 1
    assert unread.filter(recipient=manager, kind="flag_owned").exists()
    # Each told at its flag's own opening; a handful unread, not hundreds.
    assert unread.filter(recipient=manager).count() <= 10
    for n in Notification.objects.filter(kind="flag_owned", recipient=manager):
        flag = Flag.objects.get(pk=int(n.key.split(":")[1]))
        assert n.created_at == flag.opened_at and flag.owner_id == manager.pk
    client = Client()
    client.force_login(staff.user)
    html = client.get(reverse("organisations:notifications")).content.decode()
    assert "has shared a record of your" in html and "Waiting for you (1" in html
