"""The shared agenda of a person's next one-to-one: the page listing it, adding a
topic, taking one off. The person, their line manager and that manager's manager
see it (``appraisals.models.agenda``); another organisation's person is a 404,
anyone else in the organisation a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from appraisals.forms.agenda import AgendaTopicForm
from appraisals.models import AgendaTopic
from appraisals.models.agenda import may_see_agenda_of
from appraisals.rules.agenda_access import can_add_topic, can_remove_topic
from appraisals.rules.session_access import can_log_session_for
from appraisals.selectors.peer_feedback import agenda_of
from appraisals.services.agenda import agenda_topic_add, agenda_topic_remove
from core.form_errors import add_service_errors
from core.redirects import next_or
from organisations.access import Viewer, in_organisation, require, viewer_required

NO_ACCESS = "Only the person and their managers can see their agenda."


@require_http_methods(["GET", "POST"])
@viewer_required
def agenda(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    employee = get_object_or_404(viewer.employees().select_related("line_manager"), pk=employee_pk)
    require(may_see_agenda_of(viewer, employee), NO_ACCESS)
    is_me = employee.pk == viewer.employee.pk
    page_url = reverse("appraisals:agenda", args=[employee.pk])
    form = AgendaTopicForm(request.POST or None)
    if request.method == "POST":
        require(can_add_topic(viewer, employee), "This person has left, so their agenda is closed.")
        if form.is_valid():
            try:
                agenda_topic_add(employee=employee, text=form.cleaned_data["text"], by=viewer.employee)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                whose = "your" if is_me else f"{employee.first_name}'s"
                messages.success(request, f"Topic added to {whose} agenda.")
                return redirect(next_or(request, page_url))
    topics = agenda_of(viewer, employee)
    for topic in topics:
        topic.can_remove = can_remove_topic(viewer, topic)
    return render(
        request,
        "appraisals/agenda/agenda.html",
        {
            "employee": employee,
            "is_me": is_me,
            "topics": topics,
            "form": form,
            "can_add": can_add_topic(viewer, employee),
            "log_url": reverse("appraisals:session_create", args=[employee.pk])
            if can_log_session_for(viewer, employee)
            else None,
        },
    )


@require_POST
@viewer_required
def agenda_topic_delete(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    topic = get_object_or_404(
        in_organisation(AgendaTopic, viewer).select_related("employee__line_manager"), pk=pk
    )
    require(topic.is_visible_to(viewer), NO_ACCESS)
    require(
        can_remove_topic(viewer, topic), "Only the person who added an open topic can take it off the agenda."
    )
    try:
        agenda_topic_remove(topic=topic, by=viewer.employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{topic.text}” taken off the agenda.")
    return redirect(next_or(request, reverse("appraisals:agenda", args=[topic.employee_id])))
