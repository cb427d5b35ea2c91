"""What the product tells a person is waiting for them: the kinds of
notification, the channels a person can choose for each, and the default.

Pure: no database. The models (``organisations.models.notifications``) and the
service that records and delivers a notification
(``organisations.services.notifications.notify``) take their choices from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# Channels. Every notification is listed on the person's "Waiting for you" page;
# the channel decides what else happens.
EMAIL = "email"  # an email straight away, too
IN_APP = "in_app"  # listed in the product only
DIGEST = "digest"  # in the weekly summary email, too
CHANNELS = (
    (EMAIL, "Email straight away"),
    (DIGEST, "Weekly summary email"),
    (IN_APP, "In the product only"),
)


@dataclass(frozen=True)
class NotificationKind:
    code: str  # the database value; never change an existing one
    label: str  # what the preferences page calls it
    default_channel: str
    # A line every email about it ends with (a session's record stays behind the sign-in).
    email_note: str = ""


KINDS: tuple[NotificationKind, ...] = (
    NotificationKind(
        "session_shared",
        "A feedback session shared for you to acknowledge",
        EMAIL,
        email_note="This email does not contain the record itself, to keep it confidential.",
    ),
    NotificationKind("check_in_due", "A check-in due on one of your goals", DIGEST),
    NotificationKind("result_due", "A KPI result due or late", EMAIL),
    NotificationKind("result_returned", "A KPI result returned to you with a reason", EMAIL),
    NotificationKind("risk_review_due", "A review due on a risk you own", DIGEST),
    NotificationKind("development_due", "A development item due", DIGEST),
    NotificationKind(
        "registration_expiring", "A registration or mandatory training expiring or lapsed", EMAIL
    ),
    NotificationKind("flag_owned", "A new flag for you to act on", DIGEST),
    NotificationKind("feedback_requested", "A colleague asked for your feedback", EMAIL),
    NotificationKind("feedback_released", "Feedback released to you", EMAIL),
)
BY_CODE = {k.code: k for k in KINDS}

# When the daily reminders (appraisals.services.reminders) find something due.
ACKNOWLEDGE_REMINDER_DAYS = 7  # a shared session not acknowledged this many days later
CHECK_IN_INTERVAL_DAYS = 30  # an open objective with no check-in for this long
RISK_REVIEW_NOTICE_DAYS = 7  # a risk whose review is due within this many days (or overdue)
# The in-app list, a page at a time.
PAGE_SIZE = 25


def choices() -> list[tuple[str, tuple[str, str]]]:
    """``NotificationKind``'s members: (NAME, (value, label))."""
    return [(k.code.upper(), (k.code, k.label)) for k in KINDS]


def channel_choices() -> list[tuple[str, tuple[str, str]]]:
    return [(code.upper(), (code, label)) for code, label in CHANNELS]


def channel_for(kind: str, chosen: dict[str, str] | None = None) -> str:
    """The channel for ``kind``: the person's choice if they made one, else the kind's default."""
    if kind not in BY_CODE:
        raise ValueError(f"unknown notification kind {kind!r}")
    if chosen and chosen.get(kind) in {c for c, _ in CHANNELS}:
        return chosen[kind]
    return BY_CODE[kind].default_channel
