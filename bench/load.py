"""The load test: wrk (a separate process) against gunicorn with 2 workers on loopback."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .measure import BENCH_SECRET_KEY, ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p99_ms = None
    if p99:
        value, unit = float(p99.group(1)), p99.group(2)
        p99_ms = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return {
        "requests": int(total.group(1)) if total else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p99_ms": p99_ms,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
    }


def load_test(database_url: str, seconds: int) -> list[dict]:
    """wrk against gunicorn with 2 workers on loopback, 16 connections, 2 threads."""
    from django.test import Client
    from django.urls import reverse

    from organisations.models import Employee

    if not shutil.which("wrk"):
        return [{"page": "all", "error": "wrk is not installed (apt-get install wrk)"}]
    targets = [
        ("Team dashboard", reverse("insights:team_dashboard"), "demo-manager"),
        ("My goals", reverse("appraisals:my_goals"), "demo-staff"),
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "perfmgmt.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        results = []
        opener = urllib.request.build_opener(_NoRedirect)
        for label, path, username in targets:
            client = Client()
            client.force_login(Employee.objects.get(user__username=username).user)
            cookie = f"sessionid={client.cookies['sessionid'].value}"
            # wrk counts a redirect (to the sign-in page) as a success: check first
            # that the session cookie gets the page itself.
            try:
                status = opener.open(urllib.request.Request(base + path, headers={"Cookie": cookie})).status
            except urllib.error.HTTPError as e:
                status = e.code
            if status != 200:
                results.append({"page": label, "error": f"gunicorn answered {status}, not 200"})
                continue
            out = subprocess.run(
                ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "--latency", "-H", f"Cookie: {cookie}"]
                + [base + path],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            ).stdout
            figures = _parse_wrk(out)
            figures["errors"] = figures["non2xx"] + figures["socket_errors"]
            results.append({"page": label, **figures})
            print(
                f"  {label}: {figures['rps']:.1f} requests/s, p99 {figures['p99_ms']} ms, "
                f"{figures['errors']} errors",
                flush=True,
            )
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# -- report ------------------------------------------------------------------------------
