"""Who may change a feedback session; who may see one is decided on the model
(``FeedbackSession.view_level_for`` and ``FeedbackSession.objects.visible_to``).

- CONTENT: a draft's author alone; once shared, its author, the employee's line
  manager and that manager's manager see everything, the private note included.
- EMPLOYEE: the employee sees it once shared, never the private note.
- RESTRICTED: others who may see the person's individual records (heads of
  service for their subtree, performance officers, the chief executive, managers
  further up the line) see only that it happened: date, kind, state, who held it.
- None: everyone else in the organisation (a 403). Another organisation's
  session never gets this far: it is fetched through the viewer's scope (a 404).
"""

from __future__ import annotations

from appraisals.models import Action, FeedbackSession
from appraisals.models.sessions import CONTENT, EMPLOYEE, RESTRICTED, is_line_manager_or_grandmanager
from organisations.access import Viewer
from organisations.models import Employee

__all__ = ["CONTENT", "EMPLOYEE", "RESTRICTED"]


def session_view_level(viewer: Viewer, session: FeedbackSession) -> str | None:
    """The rule lives on the model: :meth:`FeedbackSession.view_level_for`."""
    return session.view_level_for(viewer)


def history_view_level(viewer: Viewer, employee: Employee) -> str | None:
    """A person's session history: CONTENT for their line manager and grandmanager
    (links to every session they may read), EMPLOYEE for themselves (shared
    sessions only), RESTRICTED for others who may see their individual records
    (dates and kinds). Which rows each sees is ``FeedbackSession.objects.visible_to``."""
    if is_line_manager_or_grandmanager(viewer, employee):
        return CONTENT
    if employee.pk == viewer.employee.pk:
        return EMPLOYEE
    if employee.individual_records_visible_to(viewer):
        return RESTRICTED
    return None


def can_log_session_for(viewer: Viewer, employee: Employee) -> bool:
    """A manager logs sessions for anyone below them in line management."""
    return employee.active and viewer.manages(employee)


def can_edit_session(viewer: Viewer, session: FeedbackSession) -> bool:
    """Its author, or the employee's current line manager (when the author has moved
    on; a draft only once its author has gone)."""
    if session.is_draft:
        return session.view_level_for(viewer) == CONTENT
    me = viewer.employee.pk
    return session.manager_id == me or session.employee.line_manager_id == me


def can_complete_action(viewer: Viewer, action: Action) -> bool:
    """The action's owner (once they can see the session) or the session's manager."""
    session = action.session
    me = viewer.employee.pk
    if session.manager_id == me:
        return True
    return action.owner_id == me and session.is_readable_by(viewer)
