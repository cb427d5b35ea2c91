"""Each service's own figures, as the last recompute run computed them.

A service's figures "with everything below it" (the share of staff overdue a
session, the interim share of FTE, skills coverage) add up its own figures and
those of every service below it. A full run computes every service's own
figures and stores them here; an incremental run recomputes only the services
a change can affect and adds the stored figures of the others, so its totals
agree with a full run over the same data (``insights.services.scope``).
"""

from django.db import models

from organisations.models import Organisation, Service
from organisations.models.scoping import scoped_manager


class ServiceFigures(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="figures")
    as_of = models.DateField(help_text="The day the figures were computed for")
    computed_at = models.DateTimeField()
    # {"people": n, "overdue": n}: active staff in this service alone, and how many are overdue a session.
    supervision = models.JSONField(default=dict)
    # {"total_fte": "12.50", "contingent_fte": "2.00"}: this service's own FTE (decimals as strings).
    workforce = models.JSONField(default=dict)
    # {skill id: partial coverage}: the people of this service alone whose role requires the skill.
    # {employment type: [headcount, fte, contracts ending within 30 days, within 90, overdue a session]}
    # of this service's active staff: the dashboards' and the report's workforce and
    # supervision figures, read instead of counting everyone (a read model).
    staff = models.JSONField(default=dict)
    # This service's own active KPIs: {"counts": {status: n}, "exceptions": [[kpi id, code,
    # status, worsening], ...]} under the organisation's exception rule (the dashboards'
    # "KPIs by status" and exceptions, read instead of building every KPI's scorecard row).
    kpis = models.JSONField(default=dict)
    # {level: {status: n}}: the service's and its teams' goals (by their service) and
    # its people's objectives (by the owner's service), the dashboards' goals table.
    goals = models.JSONField(default=dict)
    # The people of this service overdue a session whose due date is at or before the
    # 25th earliest: any of the most overdue 25 of a service above is among them.
    overdue = models.JSONField(default=list)
    skills = models.JSONField(default=dict)

    objects = scoped_manager()

    class Meta:
        verbose_name_plural = "service figures"
        indexes = [models.Index(fields=["organisation"])]

    def __str__(self) -> str:
        return f"Figures for service {self.service_id} as of {self.as_of}"


class PendingChange(models.Model):
    """Something a save touched, waiting for the organisation's next recompute run
    (``insights.services.pending``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=20, help_text="employees, services, kpis, risks, goals or everything")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    # No unique constraint: a repeat is a second row (the run takes the distinct
    # values). With one, concurrent saves inserting the same things in different
    # orders would wait on each other's uncommitted rows and could deadlock.

    def __str__(self) -> str:
        return f"{self.what} {self.object_id}"
