"""The shared agenda and feedback from colleagues.

The world gets, on first use: a topic ``staff`` put on their agenda, a feedback
request about ``staff`` (asked by staff) that ``peer`` was asked to answer, and
the same in the other organisation. Staff's agenda is for staff, the manager
and the manager's manager (not a persona here); the request is for staff and the
manager; peer's response page is peer's alone."""

from appraisals.services.agenda import agenda_topic_add
from appraisals.services.peer_feedback import feedback_request_create
from tests.url_cases import Case


def _topic(w):
    if getattr(w, "_agenda_topic", None) is None:
        w._agenda_topic = agenda_topic_add(employee=w.staff, text="Agenda topic", by=w.staff)
    return w._agenda_topic


def _other_topic(w):
    if getattr(w, "_other_agenda_topic", None) is None:
        w._other_agenda_topic = agenda_topic_add(employee=w.outsider, text="Other topic", by=w.outsider)
    return w._other_agenda_topic


def _request(w):
    if getattr(w, "_feedback_request", None) is None:
        w._feedback_request = feedback_request_create(
            subject=w.staff, questions=["What went well?"], colleagues=[w.peer], by=w.staff
        )
    return w._feedback_request


def _other_request(w):
    if getattr(w, "_other_feedback_request", None) is None:
        w._other_feedback_request = feedback_request_create(
            subject=w.outsider, questions=["What went well?"], colleagues=[w.outsider_manager], by=w.outsider
        )
    return w._other_feedback_request


CASES = [
    Case(
        "appraisals:agenda",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        methods=("GET", "POST"),
        expect={"staff": 200, "manager": 200},
        default=403,
    ),
    Case(
        "appraisals:agenda_topic_remove",
        kwargs=lambda w: {"pk": _topic(w).pk},
        other_kwargs=lambda w: {"pk": _other_topic(w).pk},
        methods=("POST",),
        # Whoever added it (staff); everyone else who sees it is refused, as is everyone who does not.
        post_expect={"staff": 302},
        post_default=403,
    ),
    Case("appraisals:feedback"),
    Case(
        "appraisals:feedback_ask",
        kwargs=lambda w: {"employee_pk": w.staff.pk},
        other_kwargs=lambda w: {"employee_pk": w.outsider.pk},
        methods=("GET", "POST"),
        expect={"staff": 200, "manager": 200},
        default=403,
    ),
    Case(
        "appraisals:feedback_request",
        kwargs=lambda w: {"pk": _request(w).pk},
        other_kwargs=lambda w: {"pk": _other_request(w).pk},
        expect={"staff": 200, "manager": 200},
        default=403,
    ),
    Case(
        "appraisals:feedback_release",
        kwargs=lambda w: {"pk": _request(w).pk},
        other_kwargs=lambda w: {"pk": _other_request(w).pk},
        methods=("POST",),
        # The line manager: nothing answered yet, so told so and sent back.
        post_expect={"manager": 302},
        post_default=403,
    ),
    Case(
        "appraisals:feedback_answer",
        kwargs=lambda w: {"pk": _request(w).responses.get().pk},
        other_kwargs=lambda w: {"pk": _other_request(w).responses.get().pk},
        methods=("GET", "POST"),
        expect={"peer": 200},
        default=403,
    ),
    Case("organisations:settings_feedback", methods=("GET", "POST"), default=403),
]
