"""Tell the user, in plain words, when their change was saved but what follows
from it (emails, flag updates) waits for the task queue to come back."""

from __future__ import annotations

from django.contrib import messages

from .outbox import delivery_delayed

DELAYED_NOTICE = (
    "Your change has been saved. Email notifications and flag updates are delayed: "
    "they will be sent automatically when the background service is available again."
)


class OutboxNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = delivery_delayed.set(False)
        try:
            response = self.get_response(request)
            if delivery_delayed.get() and hasattr(request, "_messages"):
                messages.warning(request, DELAYED_NOTICE)
        finally:
            delivery_delayed.reset(token)
        return response
