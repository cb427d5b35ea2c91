"""Accessibility checks shared by the sweep and the journeys: axe-core (WCAG 2.2
A and AA rules, serious and critical impacts), the structural rules every
page promises (one <h1>, a <title> naming the page, tables with a caption and
header cells, status tags with words) and reflow (WCAG 1.4.10: nothing scrolls
sideways at 320 CSS px; a wide table scrolls inside its own region)."""

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


REFLOW_WIDTH = 320

# The elements that start an overflow: their right edge is past the viewport's but
# their parent's is not (or they are positioned out of their parent's flow), and
# they are not clipped by a scrolling ancestor. The widest come first.
_OVERFLOWING = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const past = (el) => el.getBoundingClientRect().right > width + 0.5;
  const positioned = (el) => ["absolute", "fixed"].includes(getComputedStyle(el).position);
  const scrolled = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!past(el) || (el.parentElement && past(el.parentElement) && !positioned(el))) continue;
    if (scrolled(el) && !positioned(el)) continue;
    const box = el.getBoundingClientRect();
    found.push({
      element: name(el),
      right: Math.round(box.right),
      width: Math.round(box.width),
      text: el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
    });
  }
  found.sort((a, b) => b.right - a.right);
  return { scrollWidth: root.scrollWidth, clientWidth: width, widest: found.slice(0, 5) };
}"""


def reflow_problems(page) -> list[str]:
    """At REFLOW_WIDTH CSS px wide the page must not scroll sideways; the viewport
    is put back as it was afterwards."""
    before = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": before["height"] if before else 900})
    try:
        # Let what redraws on a resize (charts.js's canvases) settle first.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        found = page.evaluate(_OVERFLOWING)
    finally:
        if before:
            page.set_viewport_size(before)
    if found is None:
        return []
    return [
        f"scrolls sideways at {REFLOW_WIDTH} px: {found['scrollWidth']} px wide "
        f"for a {found['clientWidth']} px viewport; widest: {json.dumps(found['widest'])}"
    ]


def check(page) -> dict:
    CHECKED.append(page.url)
    return {
        "violations": axe_violations(page),
        "structure": structural_problems(page),
        "reflow": reflow_problems(page),
    }


def assert_accessible(page) -> None:
    found = check(page)
    assert not any(found.values()), f"{page.url}\n{json.dumps(found, indent=2)}"
