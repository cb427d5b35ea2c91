"""The load test: wrk (a separate process) against gunicorn on loopback, with a
Redis of its own and two Celery workers on separate queues, as deployed.

- gunicorn: ``--worker-class gthread --workers 4 --threads 4`` (16 requests in
  hand at once on 2 cores; the other connections wait in its accept queue);
- Celery: one worker ``-Q recompute`` and one ``-Q email,default`` (one process
  each, at ``nice 10``: deployed, they have hosts of their own), against a
  redis-server the bench starts on a free port, so saves' recomputes run off the
  request path while the load runs (gunicorn uses the same Redis as broker and
  cache);
- wrk: 64 connections, 2 threads, for ``seconds``, through a Lua script that
  rotates through every persona's main pages and saves (a goal check-in and a
  session draft's "Save changes"), each with its own signed-in session cookie and
  CSRF token; each connection waits a random think time (``think_ms``, half to
  one and a half times it; 10 s by default, a person clicking every 5 to 15 s)
  between its requests. ``think_ms=0`` is a closed loop: the capacity.

Figures: wrk's for the whole mix (requests, rate, client-side p50 and p99
including queueing, non-2xx/3xx and socket errors; its percentiles include each
connection's one warm-up ``/healthz``, see ``_lua``), and per kind of request
from gunicorn's access log (count, server-side p50 and p99, statuses other than
the expected 200 or, for a save, 302).
"""

from bench.load.run import load_test

__all__ = ["load_test"]
