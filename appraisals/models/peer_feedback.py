"""Feedback from colleagues (peer and 360 feedback).

A person or their line manager asks named colleagues of the same organisation
(``FeedbackRequest``) to answer chosen questions; each colleague has a
``FeedbackResponse`` to answer or decline. What a colleague wrote goes to the
person's line manager alone, who releases it to the person when they choose,
named or anonymous as the organisation's setting says
(``Organisation.feedback_attribution``). Nobody else reads the answers: not
the respondent once sent, not HR or performance officers, not the chief
executive, not the respondent's own manager, not the data protection role, and
the Django admin does not show them.

The rule is written twice, side by side: ``answers_readable_q`` for lists and
``FeedbackResponse.answers_readable_by`` for one response.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.clock import now
from organisations.models import Employee, Organisation
from organisations.models.scoping import ScopedQuerySet


def request_visible_q(viewer, p: str = "") -> Q:
    """Requests the viewer may open: about them, or about someone they line manage."""
    me = viewer.employee.pk
    return Q(**{f"{p}organisation": viewer.organisation}) & (
        Q(**{f"{p}subject_id": me}) | Q(**{f"{p}subject__line_manager_id": me})
    )


def answers_readable_q(viewer, p: str = "") -> Q:
    """Responses whose answers the viewer may read: the person's line manager
    always; the person once released."""
    me = viewer.employee.pk
    return Q(**{f"{p}request__organisation": viewer.organisation}) & (
        Q(**{f"{p}request__subject__line_manager_id": me})
        | (Q(**{f"{p}request__subject_id": me}) & Q(**{f"{p}released_at__isnull": False}))
    )


class FeedbackRequestQuerySet(ScopedQuerySet):
    def visible_to(self, viewer) -> FeedbackRequestQuerySet:
        return self.filter(request_visible_q(viewer))


class FeedbackRequest(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="feedback_requests_about",
        help_text="Who it is about.",
    )
    requested_by = models.ForeignKey(
        Employee, null=True, on_delete=models.SET_NULL, related_name="feedback_requests_made"
    )
    requested_at = models.DateTimeField(default=now)
    questions = models.JSONField(default=list, help_text="The questions asked, in order.")
    message = models.TextField("Message to colleagues", blank=True)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Feedback about {self.subject} asked on {self.requested_at:%d/%m/%Y}"

    def is_visible_to(self, viewer) -> bool:
        if self.organisation_id != viewer.organisation.pk:
            return False
        me = viewer.employee.pk
        return self.subject_id == me or self.subject.line_manager_id == me

    def is_managed_by(self, viewer) -> bool:
        """The person's current line manager: who receives the answers and releases them."""
        return (
            self.organisation_id == viewer.organisation.pk
            and self.subject.line_manager_id == viewer.employee.pk
        )


class ResponseState(models.TextChoices):
    AWAITING = "awaiting", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class FeedbackResponseQuerySet(ScopedQuerySet):
    organisation_path = "request__organisation"

    def visible_to(self, viewer) -> FeedbackResponseQuerySet:
        """Responses whose answers the viewer may read (see ``answers_readable_q``)."""
        return self.filter(answers_readable_q(viewer))

    def asked_of(self, viewer) -> FeedbackResponseQuerySet:
        """What the viewer was asked to answer: the request, never another's answers."""
        return self.in_organisation(viewer.organisation).filter(respondent=viewer.employee)

    def released(self) -> FeedbackResponseQuerySet:
        return self.filter(released_at__isnull=False)


class FeedbackResponse(models.Model):
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        Employee, null=True, on_delete=models.SET_NULL, related_name="feedback_responses_given"
    )
    # Kept as written, so an attributed response still reads after the respondent's record goes.
    respondent_name = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=ResponseState.choices, default=ResponseState.AWAITING)
    answers = models.JSONField(default=list, blank=True, help_text="One answer per question, in order.")
    decline_reason = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_named = models.BooleanField(
        default=False, help_text="Released with the colleague's name (else as from a colleague)."
    )

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "respondent"], name="one_response_per_colleague")
        ]
        indexes = [models.Index(fields=["respondent", "state"])]

    def __str__(self) -> str:
        return f"Response {self.pk} to feedback request {self.request_id} ({self.get_state_display()})"

    def answers_readable_by(self, viewer) -> bool:
        """The object check matching ``answers_readable_q``."""
        request = self.request
        if request.organisation_id != viewer.organisation.pk:
            return False
        me = viewer.employee.pk
        if request.subject.line_manager_id == me:
            return True
        return request.subject_id == me and self.released_at is not None

    @property
    def from_words(self) -> str:
        """Who it is from, as the person is shown it once released."""
        return self.respondent_name if self.released_named else "A colleague"

    def question_answers(self) -> list[tuple[str, str]]:
        questions = self.request.questions
        answers = list(self.answers) + [""] * (len(questions) - len(self.answers))
        return list(zip(questions, answers, strict=False))
