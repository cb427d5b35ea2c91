"""Waiting for you: each person's own notifications and settings. The world's
notification is staff's: opening it is staff's alone (a redirect to what it is
about); for everyone else, in the organisation or not, it is not found."""

from organisations.models import Notification
from tests.url_cases import ACTED, Case


def _notification(employee, key: str) -> Notification:
    notification, _ = Notification.objects.get_or_create(
        recipient=employee,
        kind="session_shared",
        key=key,
        defaults={
            "organisation": employee.organisation,
            "text": "A session waits for you",
            "url": "/sessions/",
            "channel": "in_app",
            "created_at": "2026-01-05T09:00:00Z",
        },
    )
    return notification


NOT_STAFFS = {p: 404 for p in ("peer", "manager", "head", "chief", "officer", "outsider")}

CASES = [
    Case("organisations:notifications"),
    Case(
        "organisations:notification_open",
        kwargs=lambda w: {"pk": _notification(w.staff, "matrix:world").pk},
        other_kwargs=lambda w: {"pk": _notification(w.outsider, "matrix:other").pk},
        methods=("GET", "POST"),
        expect={"staff": 302, **NOT_STAFFS},
        post_expect={"staff": 302, **NOT_STAFFS},
    ),
    Case("organisations:notifications_read_all", methods=("POST",), post_default=302),
    Case("organisations:notification_settings", methods=("GET", "POST"), post_default=ACTED),
]
