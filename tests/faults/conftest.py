"""Fault tests with the real parts: a Redis of the test's own (started and killed
by the test, never the shared one), real Celery workers (killed with SIGKILL),
PostgreSQL connections ended with pg_terminate_backend.

Locally, tests that need PostgreSQL or redis-server skip with the reason; with
CI=true they fail instead, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.insights.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def need(reason: str | None) -> None:
    """Skip locally, fail in CI, when a real part is missing."""
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    need(
        None
        if connection.vendor == "postgresql"
        else "it needs PostgreSQL (set DATABASE_URL=postgres://...): SQLite has no other sessions to end"
    )


def need_redis_server() -> None:
    need(None if shutil.which("redis-server") else "redis-server is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = WAIT_SECONDS, on_fail=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"waited {timeout}s for {what}\n{on_fail()}")


class OwnRedis:
    """redis-server on a free port, no persistence: killed and restarted at will."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up():
            import redis

            try:
                return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
            except Exception:
                return False

        wait_for(up, f"redis-server on port {self.port}", timeout=20)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def _reset_celery(app) -> None:
    # Celery keeps connection pools once it has published: drop them so the
    # broker in force is the one the test set.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def own_redis(tmp_path, settings):
    """A private Redis as broker and cache for this process; tasks not eager."""
    need_redis_server()
    from core import outbox
    from perfmgmt.celery import app

    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CELERY_BROKER_URL = redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": f"faults-{uuid.uuid4().hex[:6]}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    _reset_celery(app)
    outbox._broker_down_until.clear()
    try:
        yield redis
    finally:
        redis.kill()
        _reset_celery(app)
        outbox._broker_down_until.clear()


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.proc.poll() is None

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def output(self) -> str:
        return self.text()[-4000:]

    def reconnected(self) -> bool:
        return "Connected to" in self.text().split("Connection to broker lost")[-1]

    def kill9(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


@pytest.fixture
def start_worker(tmp_path):
    """Start a real worker process against the test database and the given Redis
    (consuming every queue, or only ``queues``, as ``-Q`` takes them)."""
    workers: list[Worker] = []

    def start(
        redis_url: str, *, pool: str = "solo", extra_env: dict | None = None, queues: str | None = None
    ) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "perfmgmt.settings",
            "CACHE_KEY_PREFIX": "unused",
            **(extra_env or {}),
        }
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "perfmgmt",
                    "worker",
                    f"--pool={pool}",
                    "-c",
                    "1",
                    "--loglevel=INFO",
                    "-n",
                    f"faults-{uuid.uuid4().hex[:8]}@%h",
                    *(["-Q", queues] if queues else []),
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so SIGKILL takes the pool too
            )
        worker = Worker(proc, log)
        workers.append(worker)
        wait_for(
            lambda: " ready." in log.read_text() or not worker.alive(),
            "the worker to start",
            on_fail=worker.output,
        )
        assert worker.alive(), worker.output()
        return worker

    yield start
    for worker in workers:
        if worker.alive():
            os.killpg(worker.proc.pid, signal.SIGTERM)
            try:
                worker.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill9()


def terminate_backends(*, keep_mine: bool = True, only_pid: int | None = None) -> int:
    """End sessions on the test database, as a restart or an idle-connection
    reaper would, from a second connection."""
    import psycopg2

    s = connection.settings_dict
    other = psycopg2.connect(
        dbname=s["NAME"],
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
    )
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            if only_pid is not None:
                cursor.execute("SELECT pg_terminate_backend(%s)", [only_pid])
                return 1
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + (" AND pid <> %s" if keep_mine else ""),
                [my_backend_pid()] if keep_mine else [],
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


def my_backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid
