"""Error pages are the product's own: one <h1>, a title, words a person can act on."""

import re

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.conftest import client_for


def h1s(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def test_missing_page_is_a_govuk_page_not_found(world):
    response = client_for(world.staff).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert h1s(html) == ["Page not found"]
    assert "<title>Page not found" in html and 'id="main-content"' in html


def test_forbidden_page_says_why(world):
    response = client_for(world.staff).get(reverse("insights:run_list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert h1s(html) == ["You cannot see this page"]
    assert "Only performance officers" in html


def test_server_error_page_needs_no_context():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert h1s(html) == ["Sorry, there is a problem with the service"]
