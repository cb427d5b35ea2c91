"""The one write of single sign-on: a person's first sign-in through their
organisation's identity provider gives them an account when they have none."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from organisations.models import Employee

audit_log = logging.getLogger("perfmgmt.audit")


def _free_username(employee: Employee) -> str:
    User = get_user_model()
    wanted = (
        employee.email or ""
    ).lower() or f"{employee.organisation.slug}-{employee.employee_number or employee.pk}"
    wanted = wanted[:140]
    if not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    return f"{wanted}-{employee.pk}"


@transaction.atomic
def sso_account_link(*, employee: Employee):
    """The person's account: their own when they have one, else a new one (named
    after their work email, with no password: they sign in through the identity
    provider) linked to them. Locks the person's row, so two first sign-ins at
    once make one account. Recorded in the audit log."""
    employee = (
        Employee.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=employee.pk)
    )
    if employee.user is not None:
        return employee.user
    user = get_user_model()(
        username=_free_username(employee),
        email=employee.email,
        first_name=employee.first_name[:150],
        last_name=employee.last_name[:150],
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    # The account is not in the person's history (simple-history leaves ``user`` out).
    Employee.objects.filter(pk=employee.pk).update(user=user)
    audit_log.info(
        "single-sign-on account created user=%s subject=%s organisation=%s",
        user.get_username(),
        employee.pk,
        employee.organisation.slug,
    )
    return user
