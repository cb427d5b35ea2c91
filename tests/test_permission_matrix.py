"""Every URL in the URL conf, for every persona and method.

anonymous -> sign-in (unless public); another organisation's object -> 404;
each persona -> the status its case expects; a method the view does not
accept -> 405.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.url_cases import DEFAULT_PERSONAS, all_cases

CASES = all_cases()
OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns == "admin":
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from url_names(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_has_a_case():
    missing = sorted(set(url_names()) - set(CASES))
    assert not missing, f"URLs with no permission-matrix case: {missing}"


def _url(case, world, which="kwargs"):
    builder = getattr(case, which)
    url = reverse(case.name, kwargs=builder(world) if builder else None)
    return url + (f"?{case.query}" if case.query else "")


@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous(name, world, client):
    case = CASES[name]
    response = client.get(_url(case, world)) if "GET" in case.methods else client.post(_url(case, world))
    if case.public:
        assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), (
            name,
            response.status_code,
        )


@pytest.mark.parametrize("name", sorted(CASES))
def test_personas(name, world):
    case = CASES[name]
    if "GET" not in case.methods:
        pytest.skip(f"{name} takes no GET; its POST is tested with its feature")
    url = _url(case, world)
    got = {}
    for persona in DEFAULT_PERSONAS:
        got[persona] = client_for(world.persona(persona)).get(url).status_code
    expected = {p: case.expected(p) for p in DEFAULT_PERSONAS}
    assert got == expected


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.other_kwargs))
def test_other_organisation_object_is_404(name, world):
    case = CASES[name]
    url = _url(case, world, "other_kwargs")
    for persona in ("staff", "manager", "head", "officer", "chief"):
        client = client_for(world.persona(persona))
        for method in case.methods:
            response = client.generic(method, url)
            assert response.status_code == 404, (persona, method, response.status_code)


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_methods_are_405(name, world):
    case = CASES[name]
    if case.public:
        from django.test import Client

        client = Client()
    else:
        client = client_for(world.staff if case.expected("staff") != 404 else world.officer)
    url = _url(case, world)
    for method in OTHER_METHODS:
        if method in case.methods:
            continue
        response = client.generic(method, url)
        assert response.status_code == 405, (method, response.status_code)


def test_admin_is_for_superusers_only(world):
    for persona in ("staff", "manager", "head", "officer"):
        response = client_for(world.persona(persona)).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
