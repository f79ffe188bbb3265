"""Named runners for the web tests, each with an account and a password: alice and bob, who have answered the
safety questions (so their pages plan), carol, who starts empty (an account to import into), and dave, who never
answered them (no plan until he does)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import create_runner


def runner_named(name: str, password: str) -> User:
    user = create_runner(f"{name}@example.org", password)
    assert isinstance(user, User)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    """The named runners' password: long enough and uncommon enough for the validators."""
    return "hip-opener-42-lunge"


@pytest.fixture
def alice(db: Any, password: str, answer_safety_questions: Any) -> User:
    user = runner_named("alice", password)
    answer_safety_questions(user)
    return user


@pytest.fixture
def bob(db: Any, password: str, answer_safety_questions: Any) -> User:
    user = runner_named("bob", password)
    answer_safety_questions(user)
    return user


@pytest.fixture
def carol(db: Any, password: str) -> User:
    return runner_named("carol", password)


@pytest.fixture
def dave(db: Any, password: str) -> User:
    return runner_named("dave", password)


@pytest.fixture
def dave_client(dave: User) -> Client:
    return logged_in(dave)


@pytest.fixture
def alice_client(alice: User) -> Client:
    return logged_in(alice)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return logged_in(bob)


@pytest.fixture
def carol_client(carol: User) -> Client:
    return logged_in(carol)
