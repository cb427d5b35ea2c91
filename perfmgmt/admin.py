"""The Django admin, for superusers only.

Django lets any ``is_staff`` account into the admin and then limits it by model
permissions. Here the admin holds every organisation's records, with no
organisation scoping, so ``is_staff`` alone is not enough: only superusers get
in. Everyone else uses the product's own pages, which apply the access rules.
The site is installed by ``perfmgmt.apps.SuperuserAdminConfig``.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Performance management administration"
    site_title = "Performance management administration"
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_superuser
