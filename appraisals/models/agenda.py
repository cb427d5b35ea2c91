"""The shared agenda of a person's next one-to-one: topics the person (or their
manager) adds beforehand. The manager sees them when logging a session and marks
each discussed (it leaves the agenda) or carried over (it stays for the next one).

Who sees a topic: the person, their line manager and that manager's manager, the
people who read the content of the person's sessions; never peers, and not those
who see only that sessions happened (heads of service, performance officers).
The rule is written twice, side by side: ``agenda_q`` for lists and
``AgendaTopic.is_visible_to`` for one topic."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from appraisals.models.sessions import FeedbackSession, is_line_manager_or_grandmanager
from core.clock import now
from organisations.models import Employee, Organisation
from organisations.models.scoping import ScopedQuerySet


def agenda_q(viewer, p: str = "") -> Q:
    """Topics on the agenda of the viewer, their reports and their reports' reports."""
    me = viewer.employee.pk
    return Q(**{f"{p}organisation": viewer.organisation}) & (
        Q(**{f"{p}employee_id": me})
        | Q(**{f"{p}employee__line_manager_id": me})
        | Q(**{f"{p}employee__line_manager__line_manager_id": me})
    )


def may_see_agenda_of(viewer, employee: Employee) -> bool:
    """The object check matching ``agenda_q`` for a person's agenda."""
    if employee.organisation_id != viewer.organisation.pk:
        return False
    return employee.pk == viewer.employee.pk or is_line_manager_or_grandmanager(viewer, employee)


class AgendaTopicQuerySet(ScopedQuerySet):
    def visible_to(self, viewer) -> AgendaTopicQuerySet:
        return self.filter(agenda_q(viewer))

    def open(self) -> AgendaTopicQuerySet:
        """Still on the agenda: not discussed yet (carried-over topics included)."""
        return self.filter(discussed_in__isnull=True)


class AgendaTopic(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="agenda_topics", help_text="Whose one-to-one."
    )
    text = models.CharField("Topic", max_length=500)
    added_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_topics_added"
    )
    added_at = models.DateTimeField(default=now)
    discussed_in = models.ForeignKey(
        FeedbackSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_topics_discussed",
    )
    # The last session that carried it over, so saving that session again does not count twice.
    last_carried_in = models.ForeignKey(
        FeedbackSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    times_carried_over = models.PositiveSmallIntegerField(default=0)

    objects = AgendaTopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["employee", "discussed_in"])]

    def __str__(self) -> str:
        return self.text

    def is_visible_to(self, viewer) -> bool:
        return may_see_agenda_of(viewer, self.employee)

    @property
    def is_open(self) -> bool:
        return self.discussed_in_id is None
