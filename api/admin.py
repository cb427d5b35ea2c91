from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked on the settings pages, audited."""

    list_display = ("name", "organisation", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organisation",)
    exclude = ("secret_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
