"""What is waiting for a person: in-app notifications, and each person's choice
of channel per kind (the kinds and channels are in organisations.rules.notifications.py)."""

from django.db import models

from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet, scoped_manager
from organisations.models.structure import Organisation
from organisations.rules import notifications as rules

NotificationKind = models.TextChoices("NotificationKind", rules.choices(), module=__name__)
NotificationChannel = models.TextChoices("NotificationChannel", rules.channel_choices(), module=__name__)


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, viewer) -> "NotificationQuerySet":
        """A notification is its recipient's alone."""
        return self.in_organisation(viewer.organisation).filter(recipient=viewer.employee)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing waiting for one person. ``key`` names the event (``session:12``,
    ``registration:7:30``), so the same event notifies a person once however often
    the job that finds it runs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, help_text="A path in this product.")
    channel = models.CharField(
        max_length=10,
        choices=NotificationChannel.choices,
        help_text="The channel chosen when it was made.",
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email carried it: straight away (email) or in a weekly summary (digest).
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once_per_event")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.key}"


class NotificationPreference(models.Model):
    """A person's channel for one kind; no row means the kind's default."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)

    objects = scoped_manager("employee__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "kind"], name="notification_preference_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind}: {self.channel}"
