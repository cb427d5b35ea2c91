"""The demo shows the shared agenda and feedback from colleagues around demo-staff."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from appraisals.models import AgendaTopic, FeedbackResponse, ResponseState
from organisations.models import Employee
from tests.conftest import client_for


def test_demo_staff_has_an_agenda_released_feedback_and_a_request_waiting(db):
    call_command("seed_demo", employees=100, seed=3, force=True, password="pw", stdout=StringIO())
    staff = Employee.objects.get(user__username="demo-staff")
    manager = Employee.objects.get(user__username="demo-manager")
    assert AgendaTopic.objects.filter(employee=staff).open().count() == 2
    about_staff = FeedbackResponse.objects.filter(request__subject=staff)
    assert about_staff.filter(state=ResponseState.ANSWERED).count() == 2
    assert about_staff.released().count() == 1 and about_staff.released().get().from_words == "A colleague"
    assert FeedbackResponse.objects.filter(respondent=staff, state=ResponseState.AWAITING).count() == 1

    page = client_for(manager).get(reverse("appraisals:session_create", args=[staff.pk])).content.decode()
    assert "Could I shadow the duty manager" in page
    mine = client_for(staff).get(reverse("appraisals:feedback")).content.decode()
    assert "Waiting for your answer" in mine and "1 released to you" in mine
