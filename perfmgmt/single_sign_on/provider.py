"""An organisation's identity provider as its discovery document describes it
(``<issuer>/.well-known/openid-configuration``), and its signing keys, each
fetched over HTTPS (HTTP on loopback only, for tests) and cached briefly."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import requests
from django.core.cache import cache

DISCOVERY_SECONDS = 300
KEYS_SECONDS = 300
TIMEOUT_SECONDS = 10
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ProviderUnavailable(Exception):
    """The identity provider could not be reached or described itself wrongly."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""


def _checked_url(url: str) -> str:
    parts = urlparse(url or "")
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return url
    raise ProviderUnavailable(f"not an https address: {url!r}")


def _get_json(url: str) -> dict:
    try:
        response = requests.get(_checked_url(url), timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return document


def discover(issuer: str) -> Provider:
    """The provider's endpoints, from its discovery document (cached for five
    minutes). Its ``issuer`` must be the one configured (a trailing slash aside):
    the ID tokens are then checked against the document's own spelling."""
    key = f"oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        cache.set(key, document, DISCOVERY_SECONDS)
    try:
        provider = Provider(
            issuer=document["issuer"],
            authorization_endpoint=_checked_url(document["authorization_endpoint"]),
            token_endpoint=_checked_url(document["token_endpoint"]),
            jwks_uri=_checked_url(document["jwks_uri"]),
            userinfo_endpoint=_checked_url(document["userinfo_endpoint"])
            if document.get("userinfo_endpoint")
            else "",
        )
    except (KeyError, TypeError) as exc:
        raise ProviderUnavailable(f"{issuer}: discovery document lacks {exc}") from exc
    if provider.issuer.rstrip("/") != issuer.rstrip("/"):
        raise ProviderUnavailable(f"{issuer}: the discovery document names issuer {provider.issuer!r}")
    return provider


def signing_keys(provider: Provider, *, fresh: bool = False) -> list[dict]:
    """The provider's public keys (JWKS), cached for five minutes; ``fresh``
    fetches them again (a token signed with a key we have not seen: the provider
    may have rotated its keys)."""
    key = f"oidc:jwks:{provider.jwks_uri}"
    keys = None if fresh else cache.get(key)
    if keys is None:
        keys = _get_json(provider.jwks_uri).get("keys")
        if not isinstance(keys, list):
            raise ProviderUnavailable(f"{provider.jwks_uri}: no keys")
        cache.set(key, keys, KEYS_SECONDS)
    return keys
