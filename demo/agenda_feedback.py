"""Demo agenda topics and feedback from colleagues, around demo-staff.

demo-staff has two topics on the agenda of their next one-to-one (one they
added, one demo-manager added, carried over once). demo-manager asked three of
demo-staff's colleagues (teammates first) for feedback a fortnight ago: two
answered (one of them released to demo-staff, anonymously, the organisation's
default), one has not answered yet. demo-staff has been asked for feedback
about a colleague and has not answered. Deterministic: the colleagues are
chosen by the seed's random generator, dates are relative to the demo's today.
"""

from __future__ import annotations

from datetime import timedelta

from appraisals.models import AgendaTopic, FeedbackRequest, FeedbackResponse, ResponseState
from appraisals.rules.peer_feedback import QUESTION_BANK
from demo.structure import DemoContext

ANSWERS = (
    (
        "Always clear with tenants about what happens next, and follows up the same day.",
        "Works well across the team: picks up cases when someone is off without being asked.",
    ),
    (
        "Knows the allocations policy better than anyone; I ask them first.",
        "Sometimes takes on too much: could say no more often and share out casework.",
    ),
)


def seed(ctx: DemoContext) -> None:
    staff = ctx.personas["demo-staff"]
    manager = ctx.personas["demo-manager"]
    now = ctx.now

    def colleague(e) -> bool:
        return e.organisation_id == staff.organisation_id and e.active and e.pk not in (staff.pk, manager.pk)

    # Teammates first; a small team is topped up from the rest of the council.
    teammates = sorted((e for e in ctx.team_members(staff.service_id) if colleague(e)), key=lambda e: e.pk)
    others = sorted((e for e in ctx.employees if colleague(e) and e not in teammates), key=lambda e: e.pk)
    AgendaTopic.objects.bulk_create(
        [
            AgendaTopic(
                organisation=ctx.organisation,
                employee=staff,
                text="Could I shadow the duty manager before the winter rota starts?",
                added_by=staff,
                added_at=now - timedelta(days=2),
            ),
            AgendaTopic(
                organisation=ctx.organisation,
                employee=staff,
                text="Caseload after the move to the new housing register",
                added_by=manager,
                added_at=now - timedelta(days=30),
                times_carried_over=1,
            ),
        ]
    )
    pool = teammates + others[: max(0, 4 - len(teammates))]
    if len(pool) < 4:
        return
    asked = ctx.rng.sample(pool, 4)
    questions = [QUESTION_BANK[0], QUESTION_BANK[1]]
    request = FeedbackRequest.objects.create(
        organisation=ctx.organisation,
        subject=staff,
        requested_by=manager,
        requested_at=now - timedelta(days=14),
        questions=questions,
        message="For the mid-year review. A few lines on each question is plenty.",
    )
    for n, colleague in enumerate(asked[:3]):
        response = FeedbackResponse(
            request=request, respondent=colleague, respondent_name=colleague.full_name
        )
        if n < 2:
            response.state = ResponseState.ANSWERED
            response.answers = list(ANSWERS[n])
            response.answered_at = now - timedelta(days=10 - n)
        if n == 0:
            response.released_at = now - timedelta(days=3)
            response.released_by = manager
        response.save()
    # demo-staff is asked about a teammate, and has not answered yet.
    about = asked[3]
    if about.line_manager_id:
        other = FeedbackRequest.objects.create(
            organisation=ctx.organisation,
            subject=about,
            requested_by=about,
            requested_at=now - timedelta(days=1),
            questions=[QUESTION_BANK[2]],
        )
        FeedbackResponse.objects.create(request=other, respondent=staff, respondent_name=staff.full_name)
