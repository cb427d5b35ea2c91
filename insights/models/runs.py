"""A record of each recompute run, and the skills gaps it computed."""

from django.db import models
from django.db.models import Q

from organisations.models import Employee, Organisation, Service, Skill
from organisations.models.scoping import ScopedQuerySet, scoped_manager


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted"


class Run(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(
        max_length=30, default="manual", help_text="nightly, data change, manual, command"
    )
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    queries = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who holds the run, to tell when its worker has died: the database session
    # (PostgreSQL ends it as soon as the worker's connection closes) and the lock.
    backend_pid = models.IntegerField(null=True, blank=True, editable=False)
    lock_token = models.CharField(max_length=64, blank=True, editable=False)

    objects = scoped_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organisation", "status", "-started_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} for {self.organisation} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Recommendation(models.TextChoices):
    NONE = "", "None"
    DEVELOP = "develop", "Develop (training, coaching)"
    INTERIM_COVER = "interim_cover", "Interim cover"
    RECRUIT = "recruit", "Recruit"


class SkillGapQuerySet(ScopedQuerySet):
    def visible_to(self, viewer):
        """A service's gaps: everyone in the organisation; one person's: whoever
        sees their individual records (object check: :meth:`SkillGap.is_visible_to`)."""
        from organisations.models.people import individual_records_q

        return self.in_organisation(viewer.organisation).filter(
            Q(employee__isnull=True) | individual_records_q(viewer, "employee")
        )


class SkillGap(models.Model):
    """One row per employee and required skill (``employee`` set), or per service
    (its subtree) and skill (``employee`` empty). Replaced whole by each run
    (``insights/services/skill_gaps.py``), which keeps ``first_seen_on`` from the previous rows.

    A person's row: their role's level, their level, the levels short (``gap``),
    and since when they have been short. A service's row: how many people's roles
    require the skill and how many meet it (``coverage``), the highest level any
    role there requires, the median level (``current_level``), the number of
    people short (``gap``), and since when coverage has been below the
    organisation's threshold (``first_seen_on``: what "a gap that persists" means)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skill_gaps")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="skill_gaps")
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="skill_gaps"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="gaps")
    essential = models.BooleanField(default=True)
    required_level = models.PositiveSmallIntegerField(default=0)
    current_level = models.PositiveSmallIntegerField(default=0)
    gap = models.PositiveSmallIntegerField(default=0)
    people_required = models.PositiveIntegerField(default=0)
    people_meeting = models.PositiveIntegerField(default=0)
    coverage = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    reasons = models.TextField(blank=True, help_text="Why the recommendation, a sentence a line.")
    recovery_on = models.DateField(
        null=True, blank=True, help_text="When planned development is expected to close the gap."
    )
    first_seen_on = models.DateField(null=True, blank=True, help_text="When this gap was first computed.")
    computed_at = models.DateTimeField()

    objects = SkillGapQuerySet.as_manager()

    class Meta:
        ordering = ["-gap", "skill__name"]
        indexes = [
            models.Index(fields=["organisation", "service", "employee"]),
            models.Index(fields=["employee"]),
        ]

    def __str__(self) -> str:
        who = self.employee or self.service
        return f"{who}: {self.skill} {self.current_level}/{self.required_level}"

    def is_visible_to(self, viewer) -> bool:
        if self.organisation_id != viewer.organisation.pk:
            return False
        return self.employee_id is None or self.employee.individual_records_visible_to(viewer)

    @property
    def reason_lines(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]
