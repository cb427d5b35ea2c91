"""Rates per token (and, for the schema, per address), from the settings
``API_THROTTLE_RATES`` (docs/API.md, "Throttling"). Read on every request, so a
changed setting takes effect without a restart of the class."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from core.client_ip import client_ip


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        # The rate is read per request, not once when the class is created.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenBurstThrottle(_SettingsRate):
    scope = "burst"

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": f"api_{self.scope}", "ident": token.pk}


class TokenSustainedThrottle(TokenBurstThrottle):
    scope = "sustained"


class AnonymousThrottle(_SettingsRate):
    """The schema, which needs no token: per client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": "api_burst", "ident": request.auth.pk}
        return self.cache_format % {"scope": "api_anonymous", "ident": client_ip(request) or "unknown"}
