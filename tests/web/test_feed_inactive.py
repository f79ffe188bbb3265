"""A deactivated account's private calendar address serves nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.training.calendar import new_calendar_secret, settings_for_feed

pytestmark = pytest.mark.django_db


def test_the_feed_of_a_deactivated_account_is_404(alice: User) -> None:
    secret = new_calendar_secret(alice)
    assert Client().get(f"/calendar/{secret}.ics").status_code == 200
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert settings_for_feed(secret) is None
    assert Client().get(f"/calendar/{secret}.ics").status_code == 404
