"""The data warehouse API and its token pages.

The API answers a token, never a signed-in session: every persona (signed in,
no token) gets 401, and anonymous requests are not sent to the sign-in page
(``public``). Another organisation's objects through a token are a 404:
tests/api/test_isolation.py. The schema and the documentation page need no
token. The token pages are for organisation administrators, and no persona is
one (tests/api/test_token_pages.py signs one in)."""

from tests.url_cases import Case

RESOURCES = ("service", "kpi", "target", "result", "service_figures", "person")


def _token(world, org):
    from api.models import ApiToken
    from core.clock import now

    token, _ = ApiToken.objects.get_or_create(
        organisation=org,
        name=f"Matrix token {org.slug}",
        defaults={"prefix": f"{org.pk:08x}"[-8:], "secret_hash": "0" * 64, "created_at": now()},
    )
    return token


def _any_pk(world):
    return {"pk": world.service.pk}


CASES = [
    Case("api:schema", public=True),
    Case("api:docs", public=True),
    *[Case(f"api:{name}-list", public=True, default=401) for name in RESOURCES],
    *[
        Case(f"api:{name}-detail", kwargs=_any_pk, public=True, default=401, expect={"outsider": 401})
        for name in RESOURCES
    ],
    Case("api:tokens", default=403),
    Case("api:token_create", methods=("GET", "POST"), default=403),
    Case(
        "api:token_revoke",
        kwargs=lambda w: {"pk": _token(w, w.org).pk},
        other_kwargs=lambda w: {"pk": _token(w, w.other_org).pk},
        methods=("GET", "POST"),
        default=403,
    ),
]
