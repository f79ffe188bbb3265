"""GET /api/v1/account: who the API token or session belongs to (a check for scripts and the CLI)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from hipcoach.web.accounts.auth import runner_auth
from hipcoach.web.runner import runner_of

router = Router(tags=["account"])


class Account(Schema):
    email: str


@router.get("", response=Account, auth=runner_auth, summary="The signed-in runner (401 without a valid token)")
def account(request: HttpRequest) -> Account:
    return Account(email=runner_of(request).email)
