"""A table with two header rows (a group header over its columns) names, for each
data cell, every header that applies to it with ``headers``/``id``: a screen
reader then reads "KPIs by status, Red" and the service, not "Red" alone."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


class _Tables(HTMLParser):
    """Every table on a page: its header rows, its th ids and its td cells; and
    every id on the page."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.ids: list[str] = []
        self._open: list[dict] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "table":
            self._open.append({"header_rows": 0, "th_ids": set(), "cells": []})
        elif not self._open:
            return
        table = self._open[-1] if self._open else None
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._in_head:
            table["header_rows"] += 1
        elif tag == "th" and attrs.get("id"):
            table["th_ids"].add(attrs["id"])
        elif tag == "td":
            table["cells"].append(attrs.get("headers"))

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())


def parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def unheaded_cells(table: dict) -> list:
    """The cells whose ``headers`` is missing or names an id no th of the table has."""
    return [h for h in table["cells"] if not h or not set(h.split()) <= table["th_ids"]]


def test_the_organisation_overview_names_both_headers_of_every_cell(world, scenario):
    response = client_for(world.officer).get(reverse("insights:org_overview"))
    assert response.status_code == 200
    page = parse(response.content.decode())
    two_rows = [t for t in page.tables if t["header_rows"] > 1]
    assert len(two_rows) == 1  # "KPIs by status" over Red, Amber, Green and Grey
    table = two_rows[0]
    assert table["cells"], "the table has data cells to check"
    assert unheaded_cells(table) == []
    # A KPI count is under both its colour and the group header; and the ids are unique.
    assert all(len(h.split()) == 3 for h in table["cells"][:4])
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []


def test_the_check_sees_a_cell_without_its_headers():
    html = (
        "<table><thead><tr><th id='a' rowspan='2'>A</th><th id='g' colspan='2'>G</th></tr>"
        "<tr><th id='b'>B</th><th id='c'>C</th></tr></thead>"
        "<tbody><tr><td headers='a'>1</td><td headers='g b'>2</td><td headers='g x'>3</td><td>4</td></tr>"
        "</tbody></table>"
    )
    (table,) = parse(html).tables
    assert table["header_rows"] == 2
    assert unheaded_cells(table) == ["g x", None]


def test_every_template_table_with_two_header_rows_uses_headers():
    """A new table with a group header row must name its cells' headers too."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for head, body in re.findall(r"<thead\b(.*?)</thead>(.*?)</table>", path.read_text(), flags=re.S):
            if head.count("<tr") > 1 and (" headers=" not in body or " id=" not in head):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
