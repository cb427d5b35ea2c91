"""Writes for feedback from colleagues: ask, answer, decline, release.

Every step is in the audit trail (``AuditEvent``): the request and the release
name the person as subject; an answer or a refusal is recorded without a
subject (the person's name in ``subject_name``), so the person's own audit
records (My data) never say who answered. Colleagues are told through
``notify`` ("feedback_requested"), the person when feedback is released to
them ("feedback_released").
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from appraisals.models import FeedbackRequest, FeedbackResponse, ResponseState
from appraisals.rules import peer_feedback as rules
from core.clock import now
from organisations.models import AuditEventKind, Employee
from organisations.services.audit import audit_event_record
from organisations.services.notifications import notify

QUESTION_LIMIT = 500
ANSWER_LIMIT = 5000


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@transaction.atomic
def feedback_request_create(
    *,
    subject: Employee,
    questions: Sequence[str],
    colleagues: Sequence[Employee],
    by: Employee,
    message: str = "",
) -> FeedbackRequest:
    """Ask ``colleagues`` to answer ``questions`` about ``subject``: by the person
    or their line manager. Each colleague is notified; the answers go to the
    person's line manager."""
    if not rules.may_ask_about(by, subject):
        if subject.line_manager_id is None:
            raise ValidationError("Feedback goes to a line manager first, and this person has none.")
        raise PermissionDenied("Only the person or their line manager can ask for feedback about them.")
    questions = [q.strip() for q in questions if q.strip()]
    errors: dict[str, str] = {}
    if not questions:
        errors["questions"] = "Choose at least one question, or write your own"
    elif len(questions) > rules.MAX_QUESTIONS:
        errors["questions"] = f"Ask at most {rules.MAX_QUESTIONS} questions"
    elif any(len(q) > QUESTION_LIMIT for q in questions):
        errors["questions"] = f"Each question must be {QUESTION_LIMIT} characters or fewer"
    people = {c.pk: c for c in colleagues}
    if not people:
        errors["colleagues"] = "Enter at least one colleague to ask"
    elif len(people) > rules.MAX_COLLEAGUES:
        errors["colleagues"] = f"Ask at most {rules.MAX_COLLEAGUES} colleagues at a time"
    elif subject.pk in people:
        errors["colleagues"] = f"{subject.full_name} cannot be asked for feedback about themselves"
    elif any(c.organisation_id != subject.organisation_id or not c.active for c in people.values()):
        errors["colleagues"] = "Ask only colleagues who work for this organisation"
    if errors:
        raise ValidationError(errors)
    request = FeedbackRequest(
        organisation_id=subject.organisation_id,
        subject=subject,
        requested_by=by,
        requested_at=now(),
        questions=questions,
        message=message.strip(),
    )
    request.full_clean()
    request.save()
    for colleague in sorted(people.values(), key=lambda e: (e.last_name, e.first_name, e.pk)):
        response = FeedbackResponse(
            request=request, respondent=colleague, respondent_name=colleague.full_name
        )
        response.full_clean()
        response.save()
        notify(
            colleague,
            "feedback_requested",
            key=f"feedback-response:{response.pk}",
            text=f"{by.full_name} asked for your feedback about {subject.full_name}",
            url=reverse("appraisals:feedback_answer", args=[response.pk]),
        )
    audit_event_record(
        kind=AuditEventKind.FEEDBACK_REQUESTED,
        actor=by,
        subject=subject,
        detail=f"Feedback request {request.pk}: {_plural(len(people), 'colleague')} asked "
        f"{_plural(len(questions), 'question')}",
    )
    return request


def _lock_awaiting(response: FeedbackResponse, by: Employee) -> FeedbackResponse:
    if response.respondent_id != by.pk:
        raise PermissionDenied("Only the colleague who was asked can answer.")
    locked = (
        FeedbackResponse.objects.select_for_update().select_related("request__subject").get(pk=response.pk)
    )
    if locked.state != ResponseState.AWAITING:
        raise ValidationError(f"You have already {locked.get_state_display().lower()} this request.")
    return locked


@transaction.atomic
def feedback_response_answer(
    *, response: FeedbackResponse, answers: Sequence[str], by: Employee
) -> FeedbackResponse:
    """Send a colleague's answers (one per question, some may be blank) to the person's manager."""
    locked = _lock_awaiting(response, by)
    answers = [a.strip() for a in answers]
    if len(answers) != len(locked.request.questions):
        raise ValidationError("Answer the questions you were asked.")
    if not any(answers):
        raise ValidationError("Answer at least one question, or decline the request")
    if any(len(a) > ANSWER_LIMIT for a in answers):
        raise ValidationError(f"Each answer must be {ANSWER_LIMIT} characters or fewer")
    locked.answers = answers
    locked.state = ResponseState.ANSWERED
    locked.answered_at = now()
    locked.full_clean()
    locked.save()
    subject = locked.request.subject
    audit_event_record(
        kind=AuditEventKind.FEEDBACK_ANSWERED,
        actor=by,
        subject=None,
        subject_name=subject.full_name,
        detail=f"Feedback request {locked.request_id}, response {locked.pk}",
    )
    response.state, response.answered_at = locked.state, locked.answered_at
    return locked


@transaction.atomic
def feedback_response_decline(
    *, response: FeedbackResponse, reason: str = "", by: Employee
) -> FeedbackResponse:
    """A colleague says no; the reason, if given, goes to the person's manager."""
    locked = _lock_awaiting(response, by)
    locked.state = ResponseState.DECLINED
    locked.decline_reason = reason.strip()[:500]
    locked.answered_at = now()
    locked.full_clean()
    locked.save()
    audit_event_record(
        kind=AuditEventKind.FEEDBACK_DECLINED,
        actor=by,
        subject=None,
        subject_name=locked.request.subject.full_name,
        detail=f"Feedback request {locked.request_id}, response {locked.pk}",
    )
    response.state = locked.state
    return locked


@transaction.atomic
def feedback_release(*, request: FeedbackRequest, by: Employee, named: bool | None = None) -> int:
    """Release every answered, unreleased response of ``request`` to the person:
    by their line manager. Named or anonymous as the organisation says (or, where
    it leaves it to the manager, as ``named`` says). Returns how many were released."""
    subject = request.subject
    if subject.line_manager_id != by.pk or request.organisation_id != by.organisation_id:
        raise PermissionDenied("Only the person's line manager can release feedback to them.")
    setting = subject.organisation.feedback_attribution
    if setting == rules.MANAGER_CHOOSES and named is None:
        raise ValidationError({"named": "Choose whether the person sees who wrote each response"})
    with_names = rules.released_named(setting, named)
    pending = list(
        FeedbackResponse.objects.select_for_update()
        .filter(request=request, state=ResponseState.ANSWERED, released_at__isnull=True)
        .order_by("pk")
    )
    if not pending:
        raise ValidationError("There are no answered responses waiting to be released.")
    at = now()
    for response in pending:
        response.released_at = at
        response.released_by = by
        response.released_named = with_names
        response.save(update_fields=["released_at", "released_by", "released_named"])
    how = "with colleagues' names" if with_names else "anonymously"
    audit_event_record(
        kind=AuditEventKind.FEEDBACK_RELEASED,
        actor=by,
        subject=subject,
        detail=f"Feedback request {request.pk}: {_plural(len(pending), 'response')} released {how}",
    )
    notify(
        subject,
        "feedback_released",
        key=f"feedback-released:{request.pk}:{pending[0].pk}",
        text=f"{by.full_name} released feedback from colleagues to you",
        url=reverse("appraisals:feedback_request", args=[request.pk]),
    )
    return len(pending)
