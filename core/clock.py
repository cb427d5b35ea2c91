"""Where "today" and "now" come from: one place, so the demo, the jobs and the
pages agree, and tests can move the whole product to any date (time-machine
patches the calls below)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """Today's date in the project's time zone."""
    return timezone.localdate()


def now() -> datetime:
    """The current moment, time-zone aware."""
    return timezone.now()
