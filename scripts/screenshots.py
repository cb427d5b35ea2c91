"""Screenshots of each demo persona's home page at a laptop's and a phone's width,
with the figures the dashboards are held to: ``make screenshots``.

Starts ``manage.py runserver`` on a free port against the demo database (seed it
first: ``make screenshots`` does), signs in as each persona in Debian's Chromium,
and for each persona's home page writes ``docs/screenshots/<persona>-<width>.png``
(the whole page) and prints its height and whether it scrolls sideways. It also
prints the open flags per organisation and each persona's "needs your attention"
count, from the same selectors the pages use.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PERSONAS = ["demo-director", "demo-manager", "demo-staff", "demo-officer", "demo-other-org"]
WIDTHS = {"1366": (1366, 768), "390": (390, 844)}
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}")


def figures() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from insights.models import Flag
    from organisations.access import Viewer
    from organisations.models import Employee, Organisation

    for org in Organisation.objects.order_by("name"):
        staff = Employee.objects.filter(organisation=org, active=True).count()
        flags = Flag.objects.filter(organisation=org).needing_attention().count()
        print(f"{org.name}: {flags} open flags for {staff} staff ({flags * 100 / max(staff, 1):.1f} per 100)")
    for username in PERSONAS:
        employee = Employee.objects.filter(user__username=username).first()
        if employee is None:
            continue
        viewer = Viewer(employee)
        attention = Flag.objects.for_attention(viewer).needing_attention().count()
        below = Flag.objects.held_below(viewer).needing_attention().count()
        print(f"{username}: {attention} needing their attention, {below} for the people they manage")


def main() -> None:
    from playwright.sync_api import sync_playwright

    figures()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"{base}/healthz")
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for username in PERSONAS:
                for name, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.get_by_label("Username").fill(username)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_load_state("networkidle")
                    size = page.evaluate(
                        "() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth,"
                        " document.documentElement.clientWidth]"
                    )
                    path = OUT / f"{username}-{name}.png"
                    page.screenshot(path=str(path), full_page=True)
                    sideways = "scrolls sideways" if size[1] > size[2] else "no sideways scroll"
                    print(
                        f"{username} at {width} px: {page.url.replace(base, '')} is {size[0]} px tall, {sideways} -> {path.relative_to(ROOT)}"
                    )
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
