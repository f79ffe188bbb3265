"""The terminal against a hipcoach server: a thin, typed client of ``/api/v1``, and the outbox.

``hipcoach play --server URL --token TOKEN`` and ``hipcoach history --server ...`` go through :class:`Server`;
the commands (play.py) turn its answers into text and its errors into exit codes. A token the server
refuses is a :class:`TokenRefusedError`; a server that cannot be reached (or fails with a 5xx) is a
:class:`UnreachableError`; an answer the server refuses (409, 422) is a :class:`RefusedError`.

**Saving a session.** The client key is made once per session, so :meth:`Server.save_log` may retry a save whose
answer was lost and the server still stores one log. When every attempt fails, the log goes to the
:class:`Outbox` (a folder of JSON files, one per log, under the data directory) and is sent on the next run.

Nothing here imports Django: the domain core's models (``Session``, ``Referral``) are the only shared types.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from hipcoach import __version__
from hipcoach.core.planner import Context, Referral, Session

API_PREFIX = "/api/v1"
TOKENS_PAGE = "/settings/tokens/"
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# A save is tried once and then again after each of these pauses (seconds): about five seconds in all.
RETRY_DELAYS: Sequence[float] = (0.5, 1.5, 3.0)
# Answers that say "try again later" rather than "this request is wrong".
TRANSIENT_STATUSES = frozenset({502, 503, 504})
LOG_PAGE_SIZE = 100  # the API's largest page (GET /api/v1/logs)


class RemoteError(Exception):
    """Something went wrong talking to the server; the message says what, for the runner."""


class TokenRefusedError(RemoteError):
    def __init__(self, server: str) -> None:
        self.server = server
        super().__init__(
            f"the server refused the token: it is wrong or was revoked. Create one in Settings → API tokens "
            f"({server}{TOKENS_PAGE}), then pass it with --token or HIPCOACH_TOKEN"
        )


class UnreachableError(RemoteError):
    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(f"cannot reach the hipcoach server at {server} ({reason})")


class RefusedError(RemoteError):
    """The server understood the request and refused it (409, 422, or an answer the client did not expect)."""

    def __init__(self, server: str, status: int, problems: list[str]) -> None:
        self.server = server
        self.status = status
        self.problems = problems
        super().__init__(f"the server at {server} refused it ({status}): " + "; ".join(problems))

    @property
    def by_input(self) -> bool:
        """Refused for what was sent (a redirect to another address, a conflict, an invalid field): sending the
        same again will not help."""
        return 300 <= self.status < 400 or self.refuses_what_was_sent

    @property
    def refuses_what_was_sent(self) -> bool:
        """409 or 422: the body itself is refused (a log saved again would be refused again)."""
        return self.status in (409, 422)


def server_url(value: str) -> str:
    """``https://hipcoach.example.org/`` -> ``https://hipcoach.example.org``; ValueError when it is no web address."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not a server address; write it like https://hipcoach.example.org")
    return url.removesuffix(API_PREFIX)


def problems_of(response: httpx.Response) -> list[str]:
    """The messages of an error answer: ``detail`` as text, or one entry per field (``msg``)."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        return [detail]
    if isinstance(detail, list) and detail:
        return [str(entry.get("msg", entry)) if isinstance(entry, dict) else str(entry) for entry in detail]
    return [f"HTTP {response.status_code} {response.reason_phrase}".strip()]


# --------------------------------------------------------------------------------------------------
# Today, as the API gives it
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSession:
    context: Context
    minutes: float
    reason: str
    done: bool
    session: Session


@dataclass(frozen=True)
class Today:
    day: date
    sessions: list[PlannedSession]
    referral: Referral | None
    profile_source: str
    notes: list[str]


def session_from(data: dict[str, Any]) -> Session:
    """A session as the API sends it; its computed fields (``total_seconds``) are the core's to compute."""
    return Session.model_validate({k: v for k, v in data.items() if k not in Session.model_computed_fields})


def composed_from(data: dict[str, Any]) -> Composed:
    """A session composed on the server, or the referral that came instead."""
    return Composed(
        session=None if data.get("session") is None else session_from(data["session"]),
        referral=None if data.get("referral") is None else Referral.model_validate(data["referral"]),
        profile_source=str(data.get("profile_source", "")),
        notes=[str(note) for note in data.get("notes", [])],
    )


def today_from(data: dict[str, Any]) -> Today:
    return Today(
        day=date.fromisoformat(data["date"]),
        sessions=[
            PlannedSession(
                context=Context(entry["context"]),
                minutes=float(entry["minutes"]),
                reason=str(entry["reason"]),
                done=bool(entry["done"]),
                session=session_from(entry["session"]),
            )
            for entry in data["sessions"]
        ],
        referral=None if data.get("referral") is None else Referral.model_validate(data["referral"]),
        profile_source=str(data.get("profile_source", "")),
        notes=[str(note) for note in data.get("notes", [])],
    )


@dataclass(frozen=True)
class Composed:
    session: Session | None
    referral: Referral | None
    profile_source: str
    notes: list[str]


# --------------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------------


class Server:
    """A hipcoach server, called with a runner's API token. Use it as a context manager."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        retry_delays: Sequence[float] | None = None,
    ) -> None:
        self.url = server_url(url)
        self.retry_delays = RETRY_DELAYS if retry_delays is None else retry_delays
        self._client = httpx.Client(
            base_url=self.url + API_PREFIX,
            headers={
                "Authorization": f"Bearer {token.strip()}",
                "Accept": "application/json",
                "User-Agent": f"hipcoach-cli/{__version__}",
            },
            timeout=TIMEOUT,
            transport=transport,
        )

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self._client.close()

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self._client.request(method, path, **options)
        except httpx.TransportError as error:
            raise UnreachableError(self.url, str(error) or type(error).__name__) from error
        if response.status_code == 401:
            raise TokenRefusedError(self.url)
        if response.status_code in TRANSIENT_STATUSES:
            raise UnreachableError(self.url, f"it answered {response.status_code} {response.reason_phrase}")
        if response.is_redirect:  # not followed: the token is for this address only
            where = response.headers.get("Location", "another address")
            raise RefusedError(self.url, response.status_code, [f"it redirects to {where}: give that as --server"])
        return response

    def _answer(self, response: httpx.Response, *ok: int) -> Any:
        """The JSON of an expected answer; any other is a :class:`RefusedError` with the server's words."""
        if response.status_code not in ok:
            raise RefusedError(self.url, response.status_code, problems_of(response))
        try:
            return response.json()
        except ValueError:
            raise RefusedError(
                self.url, response.status_code, [f"{response.url} did not answer JSON: is this a hipcoach server?"]
            ) from None

    def _get(self, path: str, **params: Any) -> Any:
        return self._answer(self._send("GET", path, params=params or None), 200)

    def account(self) -> str:
        """The e-mail of the token's owner (GET /api/v1/account): checks the address and the token."""
        return str(self._get("/account")["email"])

    def today(self) -> Today:
        return today_from(self._get("/today"))

    def settings(self) -> dict[str, Any]:
        data: dict[str, Any] = self._get("/me/settings")
        return data

    def logs(self, limit: int) -> list[dict[str, Any]]:
        """The runner's latest ``limit`` logs, newest first (as many pages as it takes)."""
        logs: list[dict[str, Any]] = []
        while len(logs) < limit:
            page = self._get("/logs", limit=min(LOG_PAGE_SIZE, limit - len(logs)), offset=len(logs))
            logs.extend(page["items"])
            if not page["items"] or len(logs) >= page["count"]:
                break
        return logs

    def save_screen(self, answers: Any) -> dict[str, Any]:
        """Score and save screen answers (the safety answers alone are enough) with POST /api/v1/screens."""
        saved: dict[str, Any] = self._answer(self._send("POST", "/screens", json=answers), 200, 201)
        return saved

    def once(self, body: dict[str, Any]) -> Composed:
        """A session now, composed as the web's one-off is (POST /api/v1/today/once), or the referral instead."""
        return composed_from(self._answer(self._send("POST", "/today/once", json=body), 200))

    def compose(self, body: dict[str, Any]) -> Composed:
        """One session for a screen or level of the runner's choosing (POST /api/v1/sessions/compose)."""
        return composed_from(self._answer(self._send("POST", "/sessions/compose", json=body), 200))

    def save_log(self, payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """POST /api/v1/logs, retried while the server cannot be reached. Returns the log and whether this
        call stored it (False: it was stored before, by an earlier run's save whose answer was lost)."""
        pauses = [*self.retry_delays, None]
        for attempt, pause in enumerate(pauses):
            try:
                response = self._send("POST", "/logs", json=payload)
            except UnreachableError:
                if pause is None:
                    raise
                time.sleep(pause)
                continue
            log: dict[str, Any] = self._answer(response, 201, 200)
            # 200 on a retry: an earlier attempt of this call stored it and its answer was lost.
            return log, response.status_code == 201 or attempt > 0
        raise AssertionError("not reached: the last attempt returns or raises")  # pragma: no cover


# --------------------------------------------------------------------------------------------------
# The outbox: sessions played whose log the server has not got yet
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    """A log waiting in the outbox for its server and account."""

    path: Path
    server: str
    account: str
    payload: dict[str, Any]


class Outbox:
    """A folder of JSON files, one per log, named by its client key; a refused log is set aside, never resent."""

    WAITING = ".json"
    REFUSED = ".refused"  # not *.json: never picked up again

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, server: str, account: str, payload: dict[str, Any]) -> Path:
        """Write the log down (atomically: a crash leaves the old file or the new, never half of one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{payload['client_key']}{self.WAITING}"
        partial = path.with_suffix(".partial")
        record = {"server": server, "account": account, "payload": payload}
        partial.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
        return path

    def waiting(self, server: str, account: str) -> list[Kept]:
        """The logs kept for this server and account, oldest first."""
        if not self.folder.is_dir():
            return []
        kept = []
        for path in self.folder.glob(f"*{self.WAITING}"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # not one of ours, or being written: left alone
            if not isinstance(record, dict) or not isinstance(record.get("payload"), dict):
                continue
            if (record.get("server"), record.get("account")) == (server, account):
                kept.append(Kept(path, server, account, record["payload"]))
        return sorted(kept, key=lambda entry: (str(entry.payload.get("finished_at", "")), entry.path.name))

    def sent(self, entry: Kept) -> None:
        entry.path.unlink(missing_ok=True)

    def set_aside(self, entry: Kept) -> Path:
        """Keep a log the server refused (to read or send by hand) out of the next runs' way."""
        refused = entry.path.with_suffix(self.REFUSED)
        entry.path.replace(refused)
        return refused
