"""Run a ``manage.py`` command with the whole process living on another date.

    python -m tests.e2e.serve_at 2028-02-29 runserver 127.0.0.1:8001
    python -m tests.e2e.serve_at 2028-02-29 shell -c "..."

The clock starts at 10:00 (the project's time zone) on the date and ticks on, so
pages, jobs and sessions all see that day. ``runserver`` always gets
``--noreload``: the autoreloader's child process would start on the real date.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit("usage: python -m tests.e2e.serve_at YYYY-MM-DD <manage.py command> [args...]")
    day = date.fromisoformat(argv[0])
    command = argv[1:]
    if command[0] == "runserver" and "--noreload" not in command:
        command.append("--noreload")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")

    import time_machine
    from django.conf import settings
    from django.core.management import execute_from_command_line

    moment = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        execute_from_command_line(["manage.py", *command])


if __name__ == "__main__":
    main(sys.argv[1:])
