"""The training area's API: today and a session now, the settings, the logs and the morning check, and the runner's
data. One Router, for a signed-in runner, mounted once under /api/v1 (hipcoach.web.api); its operations are written
in api_today, api_logs and api_data, which add themselves to it.
"""

from __future__ import annotations

from ninja import Router

from hipcoach.web.accounts.auth import runner_auth

router = Router(auth=runner_auth)


def _add_operations() -> None:
    from hipcoach.web.training import api_data, api_logs, api_today  # noqa: F401  (importing adds their operations)


_add_operations()
