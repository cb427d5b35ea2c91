"""The client's address, for sign-in lockouts and the sign-in log.

The audit log's sign-in lines record it. Behind ``TRUSTED_PROXY_COUNT`` proxies, each of which appends the address it
received the request from to X-Forwarded-For, the client is the entry that many
places from the right. A client can write anything to the left of that, so
nothing further left is trusted; with no trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    address = remote
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                address = str(ipaddress.ip_address(candidate))
            except ValueError:
                log.warning("sign-in: unreadable X-Forwarded-For entry %r from %s", candidate, remote)
        else:
            log.warning("sign-in: expected %s proxies in X-Forwarded-For, got %r", count, forwarded)
    return address
