from django.contrib import admin
from django.db import models

from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.clinic.models import Clinic, Clinician


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    list_display = ("name", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "owner__username")
    readonly_fields = ("token_hash", "created_at", "last_used_at")


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    """The clinic, set up here or with `hipcoach clinic setup`: what every referral page shows of it."""

    list_display = ("name", "phone", "email", "booking_url")
    search_fields = ("name",)
    readonly_fields = ("created_at",)
    # A booking link typed without its scheme is a secure one (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012 - the admin reads it as is


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    """Who works at the clinic; the clinic's admin adds and removes them from its staff page too."""

    list_display = ("user", "clinic", "is_admin", "added_at")
    list_filter = ("clinic", "is_admin")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("added_at",)
