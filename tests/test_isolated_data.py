"""The tests keep to a data folder of their own: a runner's own ~/.hipcoach (their database, secret key and a served
copy of the static files) is neither read nor written by a test run."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def test_the_tests_data_folder_is_a_temporary_one_not_the_runners_own() -> None:
    data = Path(settings.STATIC_ROOT).parent
    assert data != Path.home() / ".hipcoach"
