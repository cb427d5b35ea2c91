"""Work a request asks for, done after its response is sent, once for a burst.

Where there is no task queue (the embedded default: SQLite, tasks in-process), a
save's side effects (the outbox: a recompute, an email) would otherwise run in
the request, and the person saving would wait for a whole recompute. Here a
request that asks for such work (:func:`defer`) only notes it; once its response
has gone (Django's ``request_finished``, sent after the last byte is written) a
background thread waits for a short quiet spell, ``QUIET_SECONDS``, and does the
work once, however many requests asked for it meanwhile (a burst of edits is one
run), and never later than ``MAX_WAIT_SECONDS`` after the first ask.

Outside a request (a management command, a shell, a test) or with
``settings.WORK_AFTER_RESPONSE`` off, :func:`defer` says no and the caller does
the work at once, as before. With a task queue (Redis), none of this is used: a
worker does the work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.3
MAX_WAIT_SECONDS = 3.0

_local = threading.local()
_lock = threading.Lock()
_jobs: dict[str, Callable[[], object]] = {}
_first_asked: float | None = None
_timer: threading.Timer | None = None
_running = threading.Lock()  # one drain at a time
done = threading.Event()  # set when nothing is waiting (tests and benchmarks wait on it)
done.set()


def enabled() -> bool:
    return bool(getattr(settings, "WORK_AFTER_RESPONSE", False))


def defer(key: str, job: Callable[[], object]) -> bool:
    """Do ``job`` after this request's response, once per ``key`` for a burst.
    False (the caller does it now) outside a request or when turned off."""
    if not enabled() or not getattr(_local, "in_request", False):
        return False
    global _first_asked
    with _lock:
        _jobs.setdefault(key, job)
        if _first_asked is None:
            _first_asked = time.monotonic()
        done.clear()
    _local.deferred = True
    return True


def _started(**kwargs) -> None:
    _local.in_request = True
    _local.deferred = False


def _finished(**kwargs) -> None:
    _local.in_request = False
    if getattr(_local, "deferred", False):
        _local.deferred = False
        _schedule()


def _schedule() -> None:
    """(Re)start the quiet-spell timer, within the maximum wait."""
    global _timer
    with _lock:
        if not _jobs:
            return
        waited = time.monotonic() - (_first_asked or time.monotonic())
        delay = max(0.0, min(QUIET_SECONDS, MAX_WAIT_SECONDS - waited))
        if _timer is not None:
            _timer.cancel()
        _timer = threading.Timer(delay, _drain)
        _timer.daemon = True
        _timer.start()


def _drain() -> None:
    global _first_asked, _timer
    with _running:
        with _lock:
            jobs = list(_jobs.values())
            _jobs.clear()
            _first_asked = None
            _timer = None
        for job in jobs:
            try:
                job()
            except Exception:
                log.exception("Work deferred after a response failed; the outbox will retry it")
        connections.close_all()  # this thread's connections: not left open
        with _lock:
            if not _jobs:
                done.set()
    if _jobs:
        _schedule()  # asked for again while it ran


def wait(timeout: float = 30.0) -> bool:
    """Until the deferred work is done (True), or ``timeout`` seconds."""
    return done.wait(timeout)


request_started.connect(_started, dispatch_uid="core.after_response.started")
request_finished.connect(_finished, dispatch_uid="core.after_response.finished")
