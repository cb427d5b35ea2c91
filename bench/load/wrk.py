"""wrk: the Lua script that drives the mix, reading wrk's output, and the per-kind figures from gunicorn's access log."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.load.mix import SESSIONS_PER_PERSONA, Kind, _headers


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
