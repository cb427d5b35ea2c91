"""Accessibility sweep: every GET page each persona can reach by following links
from ``/``, checked with axe-core (zero serious or critical violations), with
the structural rules the product promises and for reflow (no sideways scroll at
320 CSS px wide: tests/e2e/a11y.py)."""

import json
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest

from tests.e2e.a11y import check
from tests.e2e.conftest import ARTIFACTS

PERSONAS = ["demo-staff", "demo-manager", "demo-director", "demo-officer", "demo-other-org"]
SKIP_PREFIXES = ("/admin", "/accounts/logout", "/static/", "/healthz")
MAX_PAGES = 250
PER_PATTERN = 2


def pattern(path: str) -> str:
    """Pages of one kind (a person, a KPI) are swept twice, not a thousand times."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def sweep(page, start: str = "/"):
    seen_paths: set[str] = set()
    per_pattern: dict[str, int] = {}
    queue = deque([start])
    report = []
    while queue and len(report) < MAX_PAGES:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        key = pattern(urlparse(path).path)
        if per_pattern.get(key, 0) >= PER_PATTERN:
            continue
        response = page.goto(path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        found = check(page)
        report.append({"path": path, "status": response.status, **found})
        base = page.url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            absolute = urljoin(base, href)
            parsed = urlparse(absolute)
            if parsed.netloc != urlparse(base).netloc or parsed.scheme not in ("http", "https"):
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if parsed.path.startswith(SKIP_PREFIXES) or re.search(r"(csv|xlsx|docx|\.pdf|json|export|download)", target):
                continue
            if target not in seen_paths:
                queue.append(target)
    return report


@pytest.mark.e2e
@pytest.mark.parametrize("username", PERSONAS)
def test_accessibility_sweep(make_page, username):
    page = make_page(username)
    report = sweep(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"a11y-{username}.json").write_text(json.dumps(report, indent=2))
    print(f"{username}: swept {len(report)} pages")
    # A link to a page the persona may not open (403) or that is not there (404) is a fault too.
    failures = [r for r in report if r["violations"] or r["structure"] or r["reflow"] or r["status"] >= 400]
    assert len(report) >= 3
    assert not failures, json.dumps(failures, indent=2)


@pytest.mark.e2e
def test_public_pages_accessible(make_page):
    page = make_page()
    report = sweep(page, "/accounts/login/")
    failures = [r for r in report if r["violations"] or r["structure"] or r["reflow"]]
    assert len(report) >= 3
    assert not failures, json.dumps(failures, indent=2)
