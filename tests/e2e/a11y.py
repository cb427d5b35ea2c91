"""Accessibility checks shared by the sweep and the journeys: axe-core (WCAG 2.2
A and AA rules, serious and critical impacts) and the structural rules every
page promises (one <h1>, a <title> naming the page, tables with a caption and
header cells, status tags with words)."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_axe = Axe()

# Every page checked in this test session: the sweep's report counts them.
CHECKED: list[str] = []


def axe_violations(page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def structural_problems(page) -> list[str]:
    problems = []
    h1 = page.locator("h1").count()
    if h1 != 1:
        problems.append(f"{h1} <h1> elements")
    title = page.title().strip()
    if not title or title.startswith("–"):
        problems.append(f"<title> does not name the page: {title!r}")
    tables = page.locator("table")
    for i in range(tables.count()):
        table = tables.nth(i)
        if table.locator("caption").count() == 0:
            problems.append(f"table {i + 1} has no caption")
        if table.locator("th").count() == 0:
            problems.append(f"table {i + 1} has no header cells")
    wordless = page.eval_on_selector_all(".govuk-tag", "els => els.filter(e => !e.textContent.trim()).length")
    if wordless:
        problems.append(f"{wordless} status tags with no words (colour alone)")
    return problems


def check(page) -> dict:
    CHECKED.append(page.url)
    return {"violations": axe_violations(page), "structure": structural_problems(page)}


def assert_accessible(page) -> None:
    found = check(page)
    assert not found["violations"] and not found["structure"], f"{page.url}\n{json.dumps(found, indent=2)}"
