"""The load test itself: gunicorn, two Celery workers and wrk, started, measured and stopped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.load.mix import _headers, _kinds, _NoRedirect, _sign_in
from bench.load.processes import _free_port, _redis, _stop
from bench.load.wrk import _lua, _parse_wrk, _per_kind
from bench.measure import BENCH_SECRET_KEY, ROOT

CONNECTIONS = 64
WRK_THREADS = 2
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 4
THINK_MS = 10_000  # each connection: a person clicking every 5 to 15 seconds
MAX_P99_MS = 250.0


def load_test(
    database_url: str, seconds: int, connections: int = CONNECTIONS, think_ms: int = THINK_MS
) -> list[dict]:
    """The mixed load (see the module's docstring). The first row is wrk's, for
    the whole mix; then one row per kind of request, server-side."""
    from insights.models import Run

    missing = [tool for tool in ("wrk", "redis-server") if not shutil.which(tool)]
    if missing:
        return [
            {"page": "all", "error": f"{', '.join(missing)} not installed (apt-get install wrk redis-server)"}
        ]
    kinds = _kinds()
    _sign_in(kinds)
    from django.middleware.csrf import _get_new_csrf_string

    csrf = _get_new_csrf_string()
    port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="perfmgmt-load-"))
    redis_proc, redis_url = _redis(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "load",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    access_log = tmp / "access.log"
    bin_dir = Path(sys.executable).parent
    procs: list[subprocess.Popen] = []
    workers = {}
    for name, queues in (("recompute", "recompute"), ("email", "email,default")):
        log = tmp / f"worker-{name}.log"
        with open(log, "w") as out:
            procs.append(
                subprocess.Popen(
                    # Niced: deployed, they run on worker hosts of their own
                    # (docs/DEPLOYMENT.md); here they share the web's 2 cores.
                    ["nice", "-n", "10", str(bin_dir / "celery"), "-A", "perfmgmt", "worker", "-Q", queues]
                    + ["-c", "1"]
                    + ["--loglevel=INFO", "-n", f"load-{name}@%h", "--without-gossip", "--without-mingle"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        workers[name] = log
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "perfmgmt.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            str(GUNICORN_WORKERS),
            "--threads",
            str(GUNICORN_THREADS),
            "--backlog",
            "2048",
            # Longer than any think time: an idle connection is kept, as a load
            # balancer keeps its connections to the web hosts open.
            "--keep-alive",
            "75",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
    )
    procs.append(server)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        for _ in range(150):  # both workers ready
            if all(" ready." in log.read_text() for log in workers.values()):
                break
            time.sleep(0.2)
        # wrk counts a redirect (to the sign-in page) as a success: check first that
        # each request gets what it should (a page, or a save's redirect).
        opener = urllib.request.build_opener(_NoRedirect)
        for kind in kinds:
            session = kind.sessions[0] if kind.sessions else None
            request = urllib.request.Request(
                base + kind.path,
                data=kind.body.encode() if kind.method == "POST" else None,
                headers=_headers(kind, session, csrf),
                method=kind.method,
            )
            try:
                status = opener.open(request).status
            except urllib.error.HTTPError as e:
                status = e.code
            if status != kind.expect:
                return [{"page": kind.label, "error": f"gunicorn answered {status}, not {kind.expect}"}]
        access_log.write_text("")  # only the load itself is counted
        script = tmp / "mix.lua"
        script.write_text(_lua(kinds, csrf, think_ms, connections // WRK_THREADS))
        runs_before = Run.objects.count()
        started = time.monotonic()
        cmd = ["wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
        cmd += ["--timeout", "10s", "-s", str(script), base + "/"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
        elapsed = time.monotonic() - started
        time.sleep(1)  # the access log's last lines
        (tmp / "wrk.out").write_text(out)
        if os.environ.get("BENCH_LOAD_VERBOSE"):
            print(out, flush=True)
        figures = _parse_wrk(out)
        figures["requests"] = max(figures["requests"] - connections, 0)  # not the warm-up /healthz
        figures["rps"] = figures["requests"] / seconds
        figures["errors"] = figures["non2xx"] + figures["socket_errors"]
        runs = Run.objects.count() - runs_before
        recompute_log = workers["recompute"].read_text()
        email_log = workers["email"].read_text()
        mix = {
            "page": f"All requests (the mix, {connections} connections, think time {think_ms} ms)",
            "measured": "client",
            **figures,
            "recompute_runs": runs,
            "recomputes_on_recompute_worker": len(
                re.findall(r"recompute_organisation\[[^\]]+\] succeeded", recompute_log)
            ),
            "outbox_deliveries_on_email_worker": len(
                re.findall(r"core\.tasks\.deliver_outbox\[[^\]]+\] succeeded", email_log)
            ),
            "seconds": round(elapsed, 1),
        }
        rows = [mix, *_per_kind(kinds, access_log, seconds)]
        print(
            f"  mix: {figures['requests']:,} requests, {figures['rps']:.1f}/s, p50 {figures['p50_ms']} ms, "
            f"p99 {figures['p99_ms']} ms, {figures['errors']} errors; {runs} recompute runs by the "
            f"recompute worker during the load",
            flush=True,
        )
        for r in rows[1:]:
            print(
                f"  {r['page']}: {r['requests']:,} requests, server p50 {r['p50_ms']} ms, "
                f"p99 {r['p99_ms']} ms, {r['errors']} unexpected statuses",
                flush=True,
            )
        return rows
    finally:
        for proc in reversed(procs):
            _stop(proc)
        _stop(redis_proc, 10)
        shutil.rmtree(tmp, ignore_errors=True)
