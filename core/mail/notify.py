"""A Django email backend that sends through GOV.UK Notify's API.

Settings: ``NOTIFY_API_KEY`` (from Notify's API integration page) and
``NOTIFY_TEMPLATE_ID``, a Notify email template whose subject is ``((subject))``
and whose body is ``((body))``. Any failure raises, so the outbox retries it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.request

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notify_token(api_key: str, *, issued_at: int | None = None) -> str:
    """The JWT Notify expects: HS256, issuer the service id, signed with the
    secret. A key is ``{name}-{service id (36)}-{secret (36)}``."""
    service_id, secret = api_key[-73:-37], api_key[-36:]
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = _b64(json.dumps({"iss": service_id, "iat": issued_at or int(time.time())}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64(signature)}"


class NotifyEmailBackend(BaseEmailBackend):
    timeout = 10

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for address in message.to:
                body = json.dumps(
                    {
                        "email_address": address,
                        "template_id": settings.NOTIFY_TEMPLATE_ID,
                        "personalisation": {"subject": message.subject, "body": message.body},
                    }
                ).encode()
                request = urllib.request.Request(
                    getattr(settings, "NOTIFY_URL", NOTIFY_URL),
                    data=body,
                    method="POST",
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {notify_token(settings.NOTIFY_API_KEY)}",
                    },
                )
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
            sent += 1
        return sent
