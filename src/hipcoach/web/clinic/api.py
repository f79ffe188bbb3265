"""The clinic's API, for its clinicians: one Router mounted once under /api/v1/clinic (hipcoach.web.api). Its
operations are written in the modules below, which add themselves to it."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["clinic"])


def _add_operations() -> None:
    from hipcoach.web.clinic import api_sharing  # noqa: F401  (importing adds its operations)


_add_operations()
