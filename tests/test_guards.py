"""Project-wide guards: migrations complete; one <h1> and a <title> on every page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import client_for
from tests.url_cases import PERSONAS, all_cases


def test_no_missing_migrations(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")


def _pages(world):
    for name, case in sorted(all_cases().items()):
        if "GET" not in case.methods:
            continue
        url = reverse(case.name, kwargs=case.kwargs(world) if case.kwargs else None)
        yield name, url + (f"?{case.query}" if case.query else ""), case


def test_every_page_has_one_h1_and_a_title(world, client):
    checked = 0
    for name, url, case in _pages(world):
        for persona in PERSONAS:
            if case.expected(persona) != 200:
                continue
            response = client_for(world.persona(persona)).get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            assert len(re.findall(r"<h1[\s>]", html)) == 1, f"{name} as {persona}: not exactly one <h1>"
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            assert title and title.group(1).strip(), f"{name} as {persona}: no <title>"
            assert 'lang="en-GB"' in html
            checked += 1
        if case.public:
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1, name
    assert checked > 10
