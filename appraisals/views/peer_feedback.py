"""Feedback from colleagues: the overview, asking, answering or declining, and
the request page where the person's line manager reads the answers and releases
them. Answers are read only through ``visible(FeedbackResponse, viewer)`` (the
manager; the person once released). Another organisation's request or
response is a 404; anyone else in the organisation gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appraisals.forms.peer_feedback import DeclineForm, FeedbackAnswerForm, FeedbackRequestForm, ReleaseForm
from appraisals.models import FeedbackRequest, FeedbackResponse, ResponseState
from appraisals.rules import peer_feedback as rules
from appraisals.selectors.peer_feedback import colleagues_by_email, feedback_overview
from appraisals.services.peer_feedback import (
    feedback_release,
    feedback_request_create,
    feedback_response_answer,
    feedback_response_decline,
)
from core.form_errors import add_service_errors
from organisations.access import Viewer, in_organisation, require, viewer_required, visible

DECLINE = "decline"


@require_GET
@viewer_required
def feedback_home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    context = feedback_overview(viewer)
    me = viewer.employee
    context["can_ask_for_me"] = rules.may_ask_about(me, me)
    return render(request, "appraisals/feedback/home.html", context)


@require_http_methods(["GET", "POST"])
@viewer_required
def feedback_ask(request: HttpRequest, viewer: Viewer, employee_pk: int) -> HttpResponse:
    subject = get_object_or_404(viewer.employees().select_related("line_manager"), pk=employee_pk)
    is_me = subject.pk == viewer.employee.pk
    require(
        is_me or subject.line_manager_id == viewer.employee.pk,
        "Only the person or their line manager can ask for feedback about them.",
    )
    require(
        rules.may_ask_about(viewer.employee, subject),
        "Feedback goes to a line manager first: this person has none, or has left.",
    )
    form = FeedbackRequestForm(
        request.POST or None,
        subject=subject,
        lookup=lambda emails: colleagues_by_email(viewer.organisation, emails),
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback_request = feedback_request_create(
                subject=subject,
                questions=form.questions(),
                colleagues=form.cleaned_data["colleagues"],
                message=form.cleaned_data["message"],
                by=viewer.employee,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            asked = len(form.cleaned_data["colleagues"])
            manager = "you" if not is_me else subject.line_manager.full_name
            messages.success(
                request,
                f"Feedback asked of {asked} colleague{'s' if asked != 1 else ''}. Their answers go to {manager}.",
            )
            return redirect("appraisals:feedback_request", pk=feedback_request.pk)
    return render(
        request,
        "appraisals/feedback/ask.html",
        {"form": form, "subject": subject, "is_me": is_me, "max_colleagues": rules.MAX_COLLEAGUES},
    )


def _request_for(viewer: Viewer, pk: int) -> FeedbackRequest:
    feedback_request = get_object_or_404(
        in_organisation(FeedbackRequest, viewer).select_related(
            "subject__line_manager", "subject__organisation", "requested_by"
        ),
        pk=pk,
    )
    require(
        feedback_request.is_visible_to(viewer), "Only the person and their line manager can see this request."
    )
    return feedback_request


def _request_page(request: HttpRequest, viewer: Viewer, feedback_request: FeedbackRequest, release_form=None):
    manages = feedback_request.is_managed_by(viewer)
    states = list(feedback_request.responses.values_list("state", "released_at"))
    readable = list(visible(FeedbackResponse, viewer).filter(request=feedback_request).order_by("pk"))
    for response in readable:
        response.request = feedback_request
    setting = feedback_request.subject.organisation.feedback_attribution
    waiting = sum(1 for state, released in states if state == ResponseState.ANSWERED and released is None)
    if manages and release_form is None and waiting:
        release_form = ReleaseForm(choose=setting == rules.MANAGER_CHOOSES)
    return render(
        request,
        "appraisals/feedback/request.html",
        {
            "feedback_request": feedback_request,
            "subject": feedback_request.subject,
            "is_subject": feedback_request.subject_id == viewer.employee.pk,
            "manages": manages,
            "asked": len(states),
            "answered": sum(1 for state, _ in states if state == ResponseState.ANSWERED),
            "declined": sum(1 for state, _ in states if state == ResponseState.DECLINED),
            "waiting_release": waiting,
            "responses": readable,
            # The manager sees every colleague's state; the person never learns who answered.
            "all_responses": list(feedback_request.responses.order_by("pk")) if manages else [],
            "release_form": release_form if manages and waiting else None,
            "attribution": setting,
        },
    )


@require_GET
@viewer_required
def feedback_request_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    return _request_page(request, viewer, _request_for(viewer, pk))


@require_POST
@viewer_required
def feedback_request_release(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    feedback_request = _request_for(viewer, pk)
    require(
        feedback_request.is_managed_by(viewer), "Only the person's line manager can release feedback to them."
    )
    setting = feedback_request.subject.organisation.feedback_attribution
    form = ReleaseForm(request.POST, choose=setting == rules.MANAGER_CHOOSES)
    if form.is_valid():
        try:
            count = feedback_release(request=feedback_request, by=viewer.employee, named=form.named_choice())
        except ValidationError as exc:  # nothing left to release (another tab released it)
            messages.error(request, " ".join(exc.messages))
            return redirect("appraisals:feedback_request", pk=feedback_request.pk)
        else:
            messages.success(
                request,
                f"{count} response{'s' if count != 1 else ''} released to {feedback_request.subject.full_name}.",
            )
            return redirect("appraisals:feedback_request", pk=feedback_request.pk)
    return _request_page(request, viewer, feedback_request, release_form=form)


@require_http_methods(["GET", "POST"])
@viewer_required
def feedback_answer(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    response = get_object_or_404(
        in_organisation(FeedbackResponse, viewer).select_related("request__subject", "request__requested_by"),
        pk=pk,
    )
    require(response.respondent_id == viewer.employee.pk, "Only the colleague who was asked can answer.")
    feedback_request = response.request
    awaiting = response.state == ResponseState.AWAITING
    declining = request.method == "POST" and DECLINE in request.POST
    answer_form = FeedbackAnswerForm(
        request.POST if request.method == "POST" and not declining else None,
        questions=feedback_request.questions,
    )
    decline_form = DeclineForm(request.POST if declining else None, prefix=DECLINE)
    if request.method == "POST" and awaiting:
        form = decline_form if declining else answer_form
        if form.is_valid():
            try:
                if declining:
                    feedback_response_decline(
                        response=response, reason=form.cleaned_data["reason"], by=viewer.employee
                    )
                else:
                    feedback_response_answer(response=response, answers=form.answers(), by=viewer.employee)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "You declined the request." if declining else "Thank you: your feedback has been sent.",
                )
                return redirect("appraisals:feedback")
    elif request.method == "POST":
        messages.info(request, f"You have already {response.get_state_display().lower()} this request.")
        return redirect("appraisals:feedback_answer", pk=response.pk)
    return render(
        request,
        "appraisals/feedback/answer.html",
        {
            "response": response,
            "feedback_request": feedback_request,
            "subject": feedback_request.subject,
            "awaiting": awaiting,
            "answer_form": answer_form,
            "decline_form": decline_form,
            "has_errors": bool(answer_form.errors or decline_form.errors),
        },
    )
