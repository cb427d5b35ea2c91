"""Front-end weight of a few pages, measured in Chromium against a running server.

For each page: the number of DOM elements once loaded, the bytes transferred
(HTML, CSS, JavaScript; as sent over the wire, headers included, with the
browser's cache off), the CSS and JavaScript bytes downloaded but never used
(Chromium's coverage, read through a CDP session: ``CSS.startRuleUsageTracking``
and ``Profiler.startPreciseCoverage``) and the cumulative layout shift (the
largest session window of ``layout-shift`` entries without recent input, as
web-vitals counts it, read one second after the load event).

Usage, against a server with the demo data (``manage.py seed_demo``)::

    .venv/bin/python -m bench.frontend --base-url http://127.0.0.1:8000

prints a Markdown table (``--phone`` for a 390 px screen, ``--cpu-slowdown 4``
to slow the CPU as Lighthouse does, ``--shifts`` to list each layout shift's
elements). The pages' addresses are read from the demo database through
Django's settings, so run it with the same ``DJANGO_*`` environment as the
server (with ``DJANGO_DEBUG=0`` the server needs ``collectstatic`` first, and
then serves compressed CSS and JavaScript as in production).
``measure_frontend(base_url, pages)`` does the work
for other callers: each page is ``(label, path, username or None)``; a page with
a username is measured signed in as that person (password ``demo-password``,
or ``$DEMO_PASSWORD``) through the sign-in form at ``/accounts/login/``.

Chromium is Debian's (``apt-get install -y chromium``), at /usr/bin/chromium,
at a laptop's 1366 x 768.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")
LOGIN_PATH = "/accounts/login/"
VIEWPORT = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SETTLE_MS = 1000

# Sums layout shifts into session windows (gaps under 1 s, windows up to 5 s)
# and keeps the largest: the definition of CLS that web-vitals uses.
CLS_SCRIPT = """
(() => {
  window.__cls = { value: 0, entries: [] };
  let windowValue = 0, first = 0, last = 0;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        if (windowValue && entry.startTime - last < 1000 && entry.startTime - first < 5000) {
          windowValue += entry.value;
        } else {
          windowValue = entry.value;
          first = entry.startTime;
        }
        last = entry.startTime;
        window.__cls.value = Math.max(window.__cls.value, windowValue);
        window.__cls.entries.push({
          value: entry.value,
          time: entry.startTime,
          sources: (entry.sources || []).map((s) => {
            const n = s.node;
            if (!n || !n.nodeName) return "?";
            const el = n.nodeType === 1 ? n : n.parentElement;
            if (!el) return n.nodeName;
            return el.nodeName.toLowerCase() + (el.id ? "#" + el.id : "") +
              (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
          }),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  } catch (e) {}
})();
"""

KINDS = {"Document": "html", "Stylesheet": "css", "Script": "js"}


def _used_bytes(length: int, ranges: list[tuple[int, int, bool]]) -> int:
    """Bytes of a text of ``length`` covered by used ranges. Ranges are painted
    outermost first, so a nested range (an unused branch inside a used
    function, or the reverse) overrides the one around it."""
    painted = bytearray(length)
    for start, end, used in sorted(ranges, key=lambda r: (r[0], -r[1])):
        start, end = max(0, start), min(length, end)
        if end > start:
            painted[start:end] = (b"\x01" if used else b"\x00") * (end - start)
    return sum(painted)


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(urljoin(base_url, LOGIN_PATH))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(f'form[action="{LOGIN_PATH}"] button')
    if urlparse(page.url).path.startswith(LOGIN_PATH):
        raise RuntimeError(f"Could not sign in as {username}")


def _measure_page(context, base_url: str, path: str, cpu_slowdown: float = 1) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    origin = "{0.scheme}://{0.netloc}".format(urlparse(base_url))

    requests: dict[str, str] = {}
    transferred = {"html": 0, "css": 0, "js": 0, "other": 0}
    encodings: dict[str, set[str]] = {"html": set(), "css": set(), "js": set()}
    sheets: dict[str, int] = {}
    scripts: dict[str, tuple[str, int]] = {}

    def on_response(event):
        kind = KINDS.get(event.get("type"), "other")
        requests[event["requestId"]] = kind
        if kind in encodings:
            headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
            encodings[kind].add(headers.get("content-encoding", "none"))

    def on_finished(event):
        kind = requests.get(event["requestId"])
        if kind:
            transferred[kind] += int(event.get("encodedDataLength", 0))

    def on_sheet(event):
        header = event["header"]
        if header.get("sourceURL", "").startswith(origin) and not header.get("isInline"):
            sheets[header["styleSheetId"]] = int(header.get("length", 0))

    def on_script(event):
        if event.get("url", "").startswith(origin):
            scripts[event["scriptId"]] = (event["url"], int(event.get("length") or event.get("endOffset", 0)))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("CSS.styleSheetAdded", on_sheet)
    cdp.on("Debugger.scriptParsed", on_script)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if cpu_slowdown > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("CSS.startRuleUsageTracking")
    cdp.send("Debugger.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.startPreciseCoverage", {"callCount": False, "detailed": True})

    response = page.goto(urljoin(base_url, path), wait_until="load")
    page.wait_for_timeout(SETTLE_MS)

    elements = page.evaluate("document.getElementsByTagName('*').length")
    cls = page.evaluate("window.__cls || {value: 0, entries: []}")

    css_total = css_unused = 0
    usage = cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]
    by_sheet: dict[str, list[tuple[int, int, bool]]] = {}
    for rule in usage:
        by_sheet.setdefault(rule["styleSheetId"], []).append(
            (int(rule["startOffset"]), int(rule["endOffset"]), bool(rule["used"]))
        )
    for sheet_id, length in sheets.items():
        used = _used_bytes(length, [r for r in by_sheet.get(sheet_id, []) if r[2]])
        css_total += length
        css_unused += length - used

    js_total = js_unused = 0
    coverage = cdp.send("Profiler.takePreciseCoverage")["result"]
    covered = {entry["scriptId"]: entry for entry in coverage}
    for script_id, (_url, length) in scripts.items():
        ranges = []
        for function in covered.get(script_id, {}).get("functions", []):
            for r in function["ranges"]:
                ranges.append((int(r["startOffset"]), int(r["endOffset"]), r["count"] > 0))
        js_total += length
        js_unused += length - _used_bytes(length, ranges)
    cdp.send("Profiler.stopPreciseCoverage")

    result = {
        "url": page.url,
        "status": response.status if response else None,
        "elements": elements,
        "html_bytes": transferred["html"],
        "css_bytes": transferred["css"],
        "js_bytes": transferred["js"],
        "transferred_bytes": transferred["html"] + transferred["css"] + transferred["js"],
        "css_size": css_total,
        "css_unused_bytes": css_unused,
        "js_size": js_total,
        "js_unused_bytes": js_unused,
        "cls": round(float(cls["value"]), 4),
        "shifts": cls["entries"],
        "encodings": {k: sorted(v) for k, v in encodings.items()},
    }
    cdp.detach()
    page.close()
    return result


def measure_frontend(
    base_url: str,
    pages: list[tuple[str, str, str | None]],
    *,
    cpu_slowdown: float = 1,
    viewport: dict | None = None,
) -> list[dict]:
    """Measure each ``(label, path, username or None)`` page; one dict a page,
    with the label and path, in the order given. ``cpu_slowdown`` above 1 slows
    the page's CPU that many times (as Lighthouse does, 4 for a mid-range
    phone), which shows layout shifts a fast machine paints too soon to see."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, path, username in pages:
                context = browser.new_context(viewport=viewport or VIEWPORT)
                context.add_init_script(CLS_SCRIPT)
                try:
                    if username:
                        signing_in = context.new_page()
                        _sign_in(signing_in, base_url, username)
                        signing_in.close()
                    results.append(
                        {
                            "label": label,
                            "path": path,
                            "username": username,
                            **_measure_page(context, base_url, path, cpu_slowdown),
                        }
                    )
                finally:
                    context.close()
        finally:
            browser.close()
    return results


def markdown_table(results: list[dict]) -> str:
    kib = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    lines = [
        "| Page | DOM elements | HTML KiB | CSS KiB | JS KiB | Total KiB | Unused CSS KiB | Unused JS KiB | CLS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['elements']:,} | {kib(r['html_bytes'])} | {kib(r['css_bytes'])} | "
            f"{kib(r['js_bytes'])} | {kib(r['transferred_bytes'])} | {kib(r['css_unused_bytes'])} | "
            f"{kib(r['js_unused_bytes'])} | {r['cls']:.3f} |"
        )
    return "\n".join(lines)


def default_pages() -> list[tuple[str, str, str | None]]:
    """The demo's pages: each persona's home (``/`` redirects to it) and the
    manager's form for a new session with one of their staff. Reads the demo
    database (Django settings from the environment) for the organisation's slug
    and the staff member's id."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    import django

    django.setup()
    from organisations.models import Employee

    director = Employee.objects.select_related("organisation").get(user__username="demo-director")
    staff = Employee.objects.get(user__username="demo-staff")
    return [
        ("Public performance page", f"/public/{director.organisation.slug}/", None),
        ("Director: service dashboard", "/", "demo-director"),
        ("Manager: team page", "/team/", "demo-manager"),
        ("Staff: My page", "/me/", "demo-staff"),
        ("Officer: organisation overview", "/dashboards/organisation/", "demo-officer"),
        ("Manager: session form", f"/people/{staff.pk}/sessions/new/", "demo-manager"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--cpu-slowdown", type=float, default=1, help="CPU throttling rate, e.g. 4")
    parser.add_argument("--phone", action="store_true", help="a phone's 390 x 844 instead of 1366 x 768")
    parser.add_argument("--shifts", action="store_true", help="also list each layout shift's sources")
    args = parser.parse_args(argv)
    results = measure_frontend(
        args.base_url,
        default_pages(),
        cpu_slowdown=args.cpu_slowdown,
        viewport=PHONE if args.phone else VIEWPORT,
    )
    print(markdown_table(results))
    for r in results:
        if r["status"] != 200:
            print(f"\nNote: {r['label']} answered {r['status']} at {r['url']}")
        if args.shifts and r["shifts"]:
            print(f"\n{r['label']} ({r['url']}):")
            for s in r["shifts"]:
                print(f"  {s['value']:.4f} at {s['time']:.0f} ms: {', '.join(s['sources'])}")
    print(
        "\nContent-Encoding seen: "
        + "; ".join(
            f"{r['label']}: " + ", ".join(f"{k} {'/'.join(v)}" for k, v in r["encodings"].items())
            for r in results
        )
    )


if __name__ == "__main__":
    main()
