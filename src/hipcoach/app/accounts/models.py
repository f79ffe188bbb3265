"""API tokens: a runner's scripts and the CLI call the API with one, never with the password."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hipcoach.app.clock import now


class ApiToken(models.Model):
    """One named token. Only the SHA-256 of the token is stored; the token itself is shown once."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.name} ({'revoked' if self.revoked_at else 'active'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RateLimitEntry(models.Model):
    """A row of the "ratelimit" cache (settings.CACHES): Django's database-cache table, in the schema
    `createcachetable` makes, but made by a migration so `migrate` alone sets it up on SQLite and PostgreSQL, and
    emptied with the other tables by `flush`. Only the cache backend (accounts.ratelimits) reads and writes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "hipcoach_ratelimit"
        verbose_name = "rate-limit counter"

    def __str__(self) -> str:
        return self.cache_key
