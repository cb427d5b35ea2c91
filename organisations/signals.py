"""Sign-ins and failed sign-ins go to the audit log (django-axes also keeps them
in the database: AccessLog and AccessAttempt, visible in the admin)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from core.client_ip import client_ip

audit = logging.getLogger("perfmgmt.audit")


def _ip(request) -> str:
    if request is None:
        return "-"
    # The client behind the trusted proxies, as the lockout counts it.
    return client_ip(request) or "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    audit.info("sign-in user=%s ip=%s", user.get_username(), _ip(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    audit.info("sign-out user=%s ip=%s", user.get_username() if user else "-", _ip(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit.warning("failed sign-in user=%s ip=%s", credentials.get("username", "-"), _ip(request))


# Sent by the people import, inside its transaction, with the ids of the people it
# has just marked as leavers (``organisation_id``, ``employee_ids``, ``reason``).
# Apps above this one connect to it (insights closes the flags about them), so
# this app never imports them.
people_left = Signal()
