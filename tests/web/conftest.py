"""Named runners for the web tests: alice and bob, each with an account and a password."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.web.accounts.services import create_runner


@pytest.fixture
def password() -> str:
    """The named runners' password: long enough and uncommon enough for the validators."""
    return "hip-opener-42-lunge"


@pytest.fixture
def alice(db: Any, password: str) -> User:
    user = create_runner("alice@example.org", password)
    assert isinstance(user, User)
    return user


@pytest.fixture
def bob(db: Any, password: str) -> User:
    user = create_runner("bob@example.org", password)
    assert isinstance(user, User)
    return user


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client
