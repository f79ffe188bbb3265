from django.contrib import admin

from hipcoach.app.accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    list_display = ("name", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "owner__username")
    readonly_fields = ("token_hash", "created_at", "last_used_at")
