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

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from .measure import BENCH_SECRET_KEY, ROOT

CONNECTIONS = 64
WRK_THREADS = 2
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 4
THINK_MS = 10_000  # each connection: a person clicking every 5 to 15 seconds
SESSIONS_PER_PERSONA = 4  # distinct sessions, so 64 connections do not all update one session row
MAX_P99_MS = 250.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _ms(value: str, unit: str) -> float:
    v = float(value)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v


def _parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": int(total.group(1)) if total else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": _ms(*p50.groups()) if p50 else None,
        "p99_ms": _ms(*p99.groups()) if p99 else None,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
    }


@dataclass
class Kind:
    """One kind of request in the mix."""

    label: str
    persona: str | None  # None: anonymous
    path: str
    method: str = "GET"
    body: str = ""
    expect: int = 200  # 302 for a save (it redirects to the saved record)
    weight: int = 2
    sessions: list[str] = field(default_factory=list)  # session keys to rotate through


class _FormFields(HTMLParser):
    """The fields a browser would submit from the page's form that has a
    ``save=draft`` button, as that button submits them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._has_draft = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self.drafts: list[list[tuple[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form, self._has_draft = [], False
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on") or ""))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "button" and name == "save" and a.get("value") == "draft":
            self._has_draft = True

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            name, value = self._form[-1]
            self._form[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            name, value = self._form[-1]
            self._form[-1] = (name, value.removeprefix("\n"))  # as a browser reads <textarea>
            self._textarea = None
        elif tag == "select" and self._select:
            self._form.append((self._select, self._select_value or self._select_first or ""))
            self._select = None
        elif tag == "form":
            if self._has_draft:
                self.drafts.append([*self._form, ("save", "draft")])
            self._form = None


def _kinds() -> list[Kind]:
    """Every persona's main pages, and two saves that can be repeated: a goal
    check-in (the same figures each time: one more check-in row) and "Save
    changes" on a draft session with what it already holds."""
    from django.test import Client
    from django.urls import reverse

    from appraisals.models import FeedbackSession, Goal, GoalStatus, SessionState
    from demo.structure import DEMO_USERNAMES
    from organisations.models import Employee

    personas = {u: Employee.objects.select_related("user").get(user__username=u) for u in DEMO_USERNAMES}
    staff, manager = personas["demo-staff"], personas["demo-manager"]
    director = personas["demo-director"]
    service = director.headed_services.order_by("pk").first()
    kinds = [
        Kind("My page", "demo-staff", reverse("insights:my_page")),
        Kind("My goals", "demo-staff", reverse("appraisals:my_goals")),
        Kind("Team dashboard", "demo-manager", reverse("insights:team_dashboard")),
        Kind("Session form", "demo-manager", reverse("appraisals:session_create", args=[staff.pk])),
        Kind(
            "Service dashboard (directorate)",
            "demo-director",
            reverse("insights:service_dashboard", args=[service.pk]),
        ),
        Kind("Organisation overview", "demo-officer", reverse("insights:org_overview")),
        Kind("KPI scorecard", "demo-director", reverse("organisations:kpi_scorecard", args=[service.pk])),
        Kind(
            "Public performance page",
            None,
            reverse("insights:public_performance", args=[director.organisation.slug]),
        ),
    ]
    goal = (
        Goal.objects.filter(
            owner=staff, status__in=[GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.AGREED]
        )
        .order_by("pk")
        .first()
    )
    if goal is not None:
        kinds.append(
            Kind(
                "Save: goal check-in",
                "demo-staff",
                reverse("appraisals:goal_check_in", args=[goal.pk]),
                method="POST",
                body=urlencode({"progress": goal.progress, "status": "on_track", "comment": "Load test"}),
                expect=302,
                weight=1,
            )
        )
    draft = (
        FeedbackSession.objects.filter(employee__line_manager=manager, state=SessionState.DRAFT)
        .order_by("pk")
        .first()
    )
    if draft is None:
        draft = (
            FeedbackSession.objects.filter(employee=staff, state=SessionState.DRAFT).order_by("pk").first()
        )
    if draft is not None:
        path = reverse("appraisals:session_edit", args=[draft.pk])
        client = Client()
        client.force_login(manager.user)
        parser = _FormFields()
        parser.feed(client.get(path).content.decode())
        if parser.drafts:
            fields = [(k, v) for k, v in parser.drafts[0] if k != "csrfmiddlewaretoken"]
            # Check in-process that the form saves as it is (one more save of the same content).
            if client.post(path, dict(_group(fields)), follow=False).status_code == 302:
                kinds.append(
                    Kind(
                        "Save: session draft",
                        "demo-manager",
                        path,
                        method="POST",
                        body=urlencode(fields),
                        expect=302,
                        weight=1,
                    )
                )
    return kinds


def _group(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for k, v in fields:
        grouped.setdefault(k, []).append(v)
    return grouped


def _sign_in(kinds: list[Kind]) -> None:
    from django.test import Client

    from organisations.models import Employee

    sessions: dict[str, list[str]] = {}
    for kind in kinds:
        if kind.persona is None:
            continue
        if kind.persona not in sessions:
            user = Employee.objects.get(user__username=kind.persona).user
            keys = []
            for _ in range(SESSIONS_PER_PERSONA):
                client = Client()
                client.force_login(user)
                keys.append(client.cookies["sessionid"].value)
            sessions[kind.persona] = keys
        kind.sessions = sessions[kind.persona]


def _headers(kind: Kind, session: str | None, csrf: str) -> dict[str, str]:
    cookies = [f"csrftoken={csrf}"]
    if session:
        cookies.append(f"sessionid={session}")
    headers = {"Cookie": "; ".join(cookies)}
    if kind.method == "POST":
        headers |= {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    return headers


def _lua(kinds: list[Kind], csrf: str, think_ms: int, per_thread: int) -> str:
    """A wrk script: each thread walks a shuffled list of requests (each kind
    ``weight`` times per session key), waiting a random think time between them.

    wrk waits ``delay()`` before a connection's first request too, but gunicorn's
    gthread worker gives a thread to a connection as soon as it is accepted, and
    that thread waits for the request: connections opened and left silent for a
    think time would hold every thread. So each connection first sends
    ``/healthz`` at once (as a load balancer's connection is open and in use), and
    only then thinks between requests; the report leaves those out of its counts."""
    entries = []
    for kind in kinds:
        for session in kind.sessions or [None] * SESSIONS_PER_PERSONA:  # anonymous: as often as the others
            for _ in range(kind.weight):
                headers = (
                    "{"
                    + ", ".join(
                        f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in _headers(kind, session, csrf).items()
                    )
                    + "}"
                )
                body = json.dumps(kind.body) if kind.body else "nil"
                entries.append(f"  {{{json.dumps(kind.method)}, {json.dumps(kind.path)}, {headers}, {body}}}")
    return (
        "local specs = {\n" + ",\n".join(entries) + "\n}\n"
        "local reqs = {}\n"
        "local warmup\n"
        "local i = 0\n"
        f"local think = {int(think_ms)}\n"
        f"local first = {int(per_thread)}\n"
        "local delays, requests = 0, 0\n"
        "function init(args)\n"
        "  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))\n"
        "  for n, s in ipairs(specs) do reqs[n] = wrk.format(s[1], s[2], s[3], s[4]) end\n"
        "  for n = #reqs, 2, -1 do local m = math.random(n); reqs[n], reqs[m] = reqs[m], reqs[n] end\n"
        '  warmup = wrk.format("GET", "/healthz")\n'
        "end\n"
        "function request()\n"
        "  requests = requests + 1\n"
        "  if requests <= first then return warmup end\n"
        "  i = i % #reqs + 1\n"
        "  return reqs[i]\n"
        "end\n"
        "function delay()\n"
        "  delays = delays + 1\n"
        "  if think <= 0 or delays <= first then return 0 end\n"
        "  return math.random(math.floor(think / 2), math.floor(think * 3 / 2))\n"
        "end\n"
    )


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _per_kind(kinds: list[Kind], access_log: Path, seconds: int) -> list[dict]:
    """Per kind of request, from gunicorn's access log lines ``METHOD PATH STATUS MICROSECONDS``."""
    by_key = {(k.method, k.path): k for k in kinds}
    times: dict[str, list[float]] = {k.label: [] for k in kinds}
    bad: dict[str, int] = {k.label: 0 for k in kinds}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        method, path, status, micros = parts
        kind = by_key.get((method, path))
        if kind is None:
            continue
        times[kind.label].append(int(micros) / 1000)
        if int(status) != kind.expect:
            bad[kind.label] += 1
    rows = []
    for kind in kinds:
        t = times[kind.label]
        rows.append(
            {
                "page": f"{kind.label} ({kind.method}, {kind.persona or 'anonymous'})",
                "measured": "server",
                "requests": len(t),
                "rps": len(t) / seconds,
                "p50_ms": _percentile(t, 0.50),
                "p99_ms": _percentile(t, 0.99),
                "non2xx": bad[kind.label],
                "socket_errors": 0,
                "errors": bad[kind.label],
            }
        )
    return rows


def _redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    import redis

    port = _free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return proc, url
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def _stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
