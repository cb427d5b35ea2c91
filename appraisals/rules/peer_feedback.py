"""Feedback from colleagues: the question bank, the limits, and who may do what.
Who may read the answers is decided on the model
(``appraisals.models.peer_feedback``: ``answers_readable_q`` and its object check)."""

from __future__ import annotations

from organisations.models import Employee

# The small bank a request picks from; free questions may be added beside them.
QUESTION_BANK: tuple[str, ...] = (
    "What does this person do well that they should keep doing?",
    "What could they do differently to be more effective?",
    "How well do they work with you and your team?",
    "How well do they communicate, in writing and in person?",
    "How do they handle pressure and changing priorities?",
    "What one thing would help them most in the next six months?",
)
FREE_QUESTIONS = 3  # free questions a request may add
MAX_COLLEAGUES = 10  # colleagues one request may ask
MAX_QUESTIONS = len(QUESTION_BANK) + FREE_QUESTIONS

ANONYMOUS = "anonymous"
NAMED = "named"
MANAGER_CHOOSES = "manager_chooses"


def may_ask_about(asker: Employee, subject: Employee) -> bool:
    """The person themselves or their line manager, while the person works here and
    has a line manager to receive the answers."""
    if not subject.active or subject.line_manager_id is None:
        return False
    if asker.organisation_id != subject.organisation_id:
        return False
    return asker.pk == subject.pk or subject.line_manager_id == asker.pk


def released_named(setting: str, manager_choice: bool | None) -> bool:
    """Whether released feedback names the colleague: the organisation's setting,
    or, where it leaves it to the manager, their choice (anonymous if none)."""
    if setting == NAMED:
        return True
    if setting == MANAGER_CHOOSES:
        return bool(manager_choice)
    return False
