"""`hipcoach backup` and `hipcoach restore`: the whole server, backed up while it serves, restored elsewhere.

Everything runs as a runner's server administrator would run it: `hipcoach serve` in a process of its own on a data
folder, the commands in processes of their own on that folder, and the data made through the server's pages and API.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

EXAMPLE = json.loads((Path(__file__).resolve().parent / "data" / "screen_example.json").read_text())
PASSWORDS = {"ada@example.org": "hip-opener-42-lunge", "ben@example.org": "glute-bridge-17-march"}
WRITER = ("cy@example.org", "crab-walk-23-strides")
DATABASE = "hipcoach.sqlite3"
SERVER_START_SECONDS = 60


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server administrator's shell: the data folder, the embedded database (whatever the
    test run itself uses), and nothing of the test run's Django set-up."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "HIPCOACH_")) and name not in {"DATABASE_URL", "SECRET_KEY"}
    }
    return {**inherited, "HIPCOACH_DATA_DIR": str(data_dir), **extra}


def hipcoach(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hipcoach", *args],
        env=environment(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def altered_copy(backup: Path, copy: Path, *statements: str) -> Path:
    """A copy of ``backup`` changed by SQL statements, as a damaged or foreign file would be."""
    copy.write_bytes(backup.read_bytes())
    with closing(sqlite3.connect(copy)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return copy


def flat(text: str) -> str:
    return " ".join(text.split())


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Where each running server's console output goes, by its address.
CONSOLES: dict[str, Path] = {}


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """`hipcoach serve` on ``data_dir``, as `make run` starts it; yields its address and stops it after."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    address = f"http://127.0.0.1:{port}"
    # With no mail server set, the server prints its e-mails (the sign-up links) on its console.
    console = CONSOLES[address] = data_dir.parent / f"{data_dir.name}-console.txt"
    with console.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "hipcoach", "serve", "--port", str(port), "--workers", "2"],
            env=environment(data_dir),
            stdout=output,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(server, address)
            yield address
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(server: subprocess.Popen[bytes], address: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "hipcoach serve stopped while starting"
        try:
            if httpx.get(address + "/api/v1/drills", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"hipcoach serve did not answer at {address}")


# ---- a runner's account, made through the server -------------------------------------------------------------


def form_post(browser: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    """A form sent from the page it is on, with the CSRF token that page set."""
    browser.get(path)
    return browser.post(path, data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], **data})


def sign_up(address: str, email: str, password: str) -> httpx.Client:
    """Sign up, then finish with the link the server e-mailed (printed on its console), in the same browser."""
    browser = httpx.Client(base_url=address, timeout=30)
    response = form_post(browser, "/accounts/signup/", {"email": email, "password1": password, "password2": password})
    assert response.status_code == 302, response.text
    links = re.findall(r"https?://\S+(/accounts/signup/confirm/\S+/)", CONSOLES[address].read_text(errors="replace"))
    assert links, "no sign-up link on the server's console"
    response = form_post(browser, links[-1], {})
    assert response.status_code == 302, response.text
    return browser


def make_token(browser: httpx.Client) -> str:
    response = form_post(browser, "/settings/tokens/", {"name": "laptop"})
    found = re.search(r'id="new-token"[^>]*>(hc_[^<]+)<', response.text)
    assert found, response.text
    return found.group(1)


def make_calendar_link(browser: httpx.Client) -> str:
    browser.get("/settings/")
    response = browser.post("/settings/calendar/link/", data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]})
    assert response.status_code == 302
    found = re.search(r'id="calendar-feed">[^<]*?(/calendar/[^<]+\.ics)<', browser.get("/settings/").text)
    assert found
    return found.group(1)


def api(address: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=address, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def log_body(key: str, *, rating: str = "easy", pain: int = 0) -> dict[str, Any]:
    drills = [
        {
            "drill_id": "clamshell",
            "amount": 15,
            "sets": 2,
            "sides_done": ["left", "right"],
            "rating": rating,
            "pain": pain,
        },
        {"drill_id": "glute-bridge", "amount": 15, "sets": 2, "sides_done": ["both"], "rating": rating, "pain": pain},
    ]
    session = {"items": [{"drill_id": d["drill_id"]} for d in drills], "timeline": []}
    return {"client_key": key, "context": "strength", "drills": drills, "session": session, "notes": f"{key} ✓"}


def runner_with_everything(address: str, email: str, password: str) -> dict[str, str]:
    """A runner as the issue lists them: an account, an API token, a calendar link, settings, a screen, logs and
    the progression they move."""
    browser = sign_up(address, email, password)
    token = make_token(browser)
    feed = make_calendar_link(browser)
    with api(address, token) as client:
        week = {"runs": ["mon:easy:40", "wed:intervals:50", "sat:long:100"], "level": 2, "equipment": ["band"]}
        assert client.put("/api/v1/me/settings", json=week).status_code == 200
        assert client.post("/api/v1/screens", json=EXAMPLE).status_code == 201
        name = email.split("@", maxsplit=1)[0]
        sessions = [log_body(f"{name}-easy-session-{number}") for number in range(4)]  # 3 easy in a row move on
        sessions.append(log_body(f"{name}-hard-session", rating="hard", pain=6))  # pain above 5 steps back
        for session in sessions:
            response = client.post("/api/v1/logs", json=session)
            assert response.status_code == 201, response.text
    return {"email": email, "password": password, "token": token, "feed": feed}


def export(address: str, token: str) -> dict[str, Any]:
    with api(address, token) as client:
        response = client.get("/api/v1/me/export")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    document.pop("exported_at")
    return document


class Writer(threading.Thread):
    """A runner logging sessions one after another, as fast as the server takes them, until told to stop."""

    def __init__(self, address: str, token: str) -> None:
        super().__init__(daemon=True)
        self.client = api(address, token)
        self.sent: list[str] = []  # in the order sent: each was stored before the next was sent
        self.stored = 0
        self.failures: list[str] = []
        self.warmed_up = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        with self.client:
            while not self.stop.is_set():
                key = f"writer-session-{len(self.sent):05d}"
                self.sent.append(key)
                response = self.client.post("/api/v1/logs", json=log_body(key, rating="ok"))
                if response.status_code != 201:
                    self.failures.append(f"{key}: {response.status_code} {response.text}")
                    break
                self.stored += 1
                if self.stored >= 3:
                    self.warmed_up.set()


# ---- the whole server, backed up while it serves and writes -------------------------------------------------


def test_a_backup_taken_while_the_server_writes_restores_every_runner_elsewhere(tmp_path: Path) -> None:
    original, restored = tmp_path / "original", tmp_path / "restored"
    backup = tmp_path / "backups" / "hipcoach.sqlite3"
    backup.parent.mkdir()
    with serving(original) as address:
        runners = [runner_with_everything(address, email, password) for email, password in PASSWORDS.items()]
        writer_account = runner_with_everything(address, *WRITER)
        writer = Writer(address, writer_account["token"])
        writer.start()
        assert writer.warmed_up.wait(timeout=120)
        stored_before = writer.stored
        made = hipcoach(original, "backup", str(backup))
        writer.stop.set()
        writer.join(timeout=120)
        assert writer.failures == []
        before = {runner["email"]: export(address, runner["token"]) for runner in [*runners, writer_account]}
    assert made.returncode == 0, made.stderr
    assert f"Backed up 3 runners to {backup}" in flat(made.stdout)

    with closing(sqlite3.connect(backup)) as copy:  # one whole, sound SQLite file, nothing beside it
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(path.name for path in backup.parent.iterdir()) == [backup.name]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    put_back = hipcoach(restored, "restore", str(backup))
    assert put_back.returncode == 0, put_back.stderr
    assert f"Restored 3 runners from {backup}" in flat(put_back.stdout)

    with serving(restored) as address:
        for runner in runners:
            assert export(address, runner["token"]) == before[runner["email"]]
            assert signs_in(address, runner["email"], runner["password"]) == runner["email"]
            with api(address, runner["token"]) as client:
                assert client.get("/api/v1/account").json()["email"] == runner["email"]
            feed = httpx.get(address + runner["feed"])
            assert feed.status_code == 200
            assert feed.text.startswith("BEGIN:VCALENDAR")
        writer_after = export(address, writer_account["token"])

    # The writer's sessions: a snapshot of one instant, so the first so many of them, each whole.
    keys = [log["client_key"] for log in writer_after["logs"] if log["client_key"].startswith("writer-")]
    assert len(keys) >= stored_before
    assert keys == writer.sent[: len(keys)]
    logs_then = {log["client_key"]: log for log in before[WRITER[0]]["logs"]}
    for log in writer_after["logs"]:
        assert log == logs_then[log["client_key"]]


def signs_in(address: str, email: str, password: str) -> str:
    """Log in through the login form; returns the account the session then belongs to."""
    with httpx.Client(base_url=address, timeout=30) as browser:
        response = form_post(browser, "/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, response.text
        return str(browser.get("/api/v1/account").json()["email"])


# ---- what the commands refuse, and restoring over a database ---------------------------------------------------


def in_django(data_dir: Path, code: str) -> str:
    """Run ``code`` with the web app set up on ``data_dir`` (as `hipcoach serve` would, migrate first); its output."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n" + code
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(data_dir, DJANGO_SETTINGS_MODULE="hipcoach.settings"),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def with_runner(data_dir: Path, email: str) -> str:
    """A data folder whose database has one runner; returns the runner's API token."""
    return in_django(
        data_dir,
        "from hipcoach.app.accounts.accounts import create_runner, issue_token\n"
        f"print(issue_token(create_runner({email!r}, {PASSWORDS['ada@example.org']!r}), 'cli')[1])",
    )


def emails_in(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT email FROM auth_user ORDER BY email")]


@pytest.fixture(scope="module")
def ada_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of a server with one runner, ada@example.org."""
    folder = tmp_path_factory.mktemp("ada-server")
    with_runner(folder, "ada@example.org")
    file = tmp_path_factory.mktemp("ada-backup") / "ada.sqlite3"
    assert hipcoach(folder, "backup", str(file)).returncode == 0
    return file


def test_backup_never_replaces_a_file_unless_forced(tmp_path: Path) -> None:
    with_runner(tmp_path / "data", "ada@example.org")
    file = tmp_path / "keep.sqlite3"
    file.write_text("last month's backup")
    refused = hipcoach(tmp_path / "data", "backup", str(file))
    assert refused.returncode == 2
    assert f"FILE: {file} already exists; choose another name, or add --force to replace it" in flat(refused.stderr)
    assert file.read_text() == "last month's backup"
    assert [path.name for path in tmp_path.iterdir() if path.name != "data"] == [file.name]  # no temporary left

    forced = hipcoach(tmp_path / "data", "backup", "--force", str(file))
    assert forced.returncode == 0, forced.stderr
    assert emails_in(file) == ["ada@example.org"]


def test_backup_with_no_database_says_there_is_nothing_to_back_up(tmp_path: Path) -> None:
    result = hipcoach(tmp_path, "backup", str(tmp_path / "backup.sqlite3"))
    assert result.returncode == 2
    assert f"there is no database at {tmp_path / DATABASE}: nothing to back up" in flat(result.stderr)
    assert not (tmp_path / "backup.sqlite3").exists()


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database, just a runner's notes.\n" * 100)
    result = hipcoach(tmp_path / "data", "restore", str(notes))
    assert result.returncode == 2
    assert f"FILE: {notes} is not a SQLite database, so not a hipcoach backup" in flat(result.stderr)
    assert not (tmp_path / "data" / DATABASE).exists()


def test_restore_refuses_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()
    result = hipcoach(tmp_path / "data", "restore", str(other))
    assert result.returncode == 2
    assert f"FILE: {other} is not a hipcoach database (it has no table accounts_apitoken, auth_user" in flat(
        result.stderr
    )
    assert not (tmp_path / "data" / DATABASE).exists()


def test_restore_refuses_a_damaged_backup(tmp_path: Path, ada_backup: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    content = bytearray(ada_backup.read_bytes())
    page = 4096
    content[5 * page : 40 * page] = b"\xa5" * (35 * page)  # tables' pages overwritten, the header intact
    damaged.write_bytes(bytes(content))
    result = hipcoach(tmp_path / "data", "restore", str(damaged))
    assert result.returncode == 2
    assert f"FILE: {damaged} is damaged" in flat(result.stderr)
    assert not (tmp_path / "data" / DATABASE).exists()


def test_restore_refuses_a_backup_that_fails_the_integrity_check(tmp_path: Path, ada_backup: Path) -> None:
    inconsistent = altered_copy(  # an index that no longer matches its table
        ada_backup,
        tmp_path / "inconsistent.sqlite3",
        "CREATE INDEX user_login_index ON auth_user (last_login)",
        "PRAGMA writable_schema=ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX user_login_index ON auth_user (username)' "
        "WHERE name = 'user_login_index'",
    )
    result = hipcoach(tmp_path / "data", "restore", str(inconsistent))
    assert result.returncode == 2
    assert (
        f"FILE: {inconsistent} is damaged (SQLite's integrity check: row 1 missing from index user_login_index)"
    ) in flat(result.stderr)
    assert not (tmp_path / "data" / DATABASE).exists()


def test_restore_refuses_a_backup_from_a_newer_hipcoach(tmp_path: Path, ada_backup: Path) -> None:
    newer = altered_copy(
        ada_backup,
        tmp_path / "newer.sqlite3",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('training', '9999_a_later_change', '2030-01-01')",
    )
    result = hipcoach(tmp_path / "data", "restore", str(newer))
    assert result.returncode == 2
    assert (
        f"FILE: {newer} was made by a newer hipcoach (migrations this version does not know: "
        "training.9999_a_later_change); upgrade hipcoach, then restore"
    ) in flat(result.stderr)
    assert not (tmp_path / "data" / DATABASE).exists()


def test_a_backup_from_an_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    older = tmp_path / "older"
    with_runner(older, "ada@example.org")
    # The database as the version before the sessions' day-totals index left it.
    in_django(older, "call_command('migrate', 'training', '0003_sessionlog_owner_day', verbosity=0)")
    file = tmp_path / "older.sqlite3"
    assert hipcoach(older, "backup", str(file)).returncode == 0

    result = hipcoach(tmp_path / "data", "restore", str(file))
    assert result.returncode == 0, result.stderr
    assert "Brought up to this version:" in flat(result.stdout)
    with closing(sqlite3.connect(tmp_path / "data" / DATABASE)) as restored:
        applied = {name for (name,) in restored.execute("SELECT name FROM django_migrations WHERE app = 'training'")}
        indexes = {name for (name,) in restored.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "0004_sessionlog_day_totals" in applied
    assert "sessionlog_day_totals" in indexes
    assert emails_in(tmp_path / "data" / DATABASE) == ["ada@example.org"]


def test_restore_over_runners_needs_force_and_keeps_what_it_replaced(tmp_path: Path, ada_backup: Path) -> None:
    data = tmp_path / "data"
    with_runner(data, "zoe@example.org")
    refused = hipcoach(data, "restore", str(ada_backup))
    assert refused.returncode == 2
    assert (
        f"the data folder's database ({data / DATABASE}) already has 1 runner; restore into an empty data folder, "
        "or add --force to replace it"
    ) in flat(refused.stderr)
    assert emails_in(data / DATABASE) == ["zoe@example.org"]

    forced = hipcoach(data, "restore", "--force", str(ada_backup))
    assert forced.returncode == 0, forced.stderr
    assert emails_in(data / DATABASE) == ["ada@example.org"]
    [kept] = data.glob(f"{DATABASE}.replaced-*")
    assert f"The database it replaced is kept at {kept}." in flat(forced.stdout)
    assert emails_in(kept) == ["zoe@example.org"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_restore_replaces_a_running_servers_database_in_place(tmp_path: Path, ada_backup: Path) -> None:
    data = tmp_path / "data"
    zoe_token = with_runner(data, "zoe@example.org")
    with serving(data) as address:
        with api(address, zoe_token) as zoe:
            assert zoe.get("/api/v1/account").status_code == 200
            result = hipcoach(data, "restore", "--force", str(ada_backup))
            assert result.returncode == 0, result.stderr
            # The server, still running, now serves the restored database: zoe's token is unknown there.
            assert zoe.get("/api/v1/account").status_code == 401
        assert signs_in(address, "ada@example.org", PASSWORDS["ada@example.org"]) == "ada@example.org"


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("backup", 'pg_dump -Fc -f hipcoach.dump "$DATABASE_URL"'),
        ("restore", 'pg_restore --clean --if-exists --no-owner --single-transaction -d "$DATABASE_URL" hipcoach.dump'),
    ],
)
def test_on_postgresql_both_commands_point_to_its_own_tools(tmp_path: Path, command: str, tool: str) -> None:
    file = tmp_path / "hipcoach.sqlite3"
    file.write_text("untouched")
    result = hipcoach(tmp_path, command, str(file), DATABASE_URL="postgres://postgres@127.0.0.1:5432/backup")
    assert result.returncode == 2
    assert 'DATABASE_URL points to PostgreSQL, whose own tools do this (README, "Backup and restore"):' in flat(
        result.stderr
    )
    assert tool in result.stderr
    assert tool in (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert file.read_text() == "untouched"


# ---- PostgreSQL: the README's pg_dump and pg_restore ------------------------------------------------------------


def postgres_url() -> str:
    """The test database's address, as DATABASE_URL would give it to pg_dump and pg_restore."""
    from urllib.parse import quote

    from django.db import connection

    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host, port = database["HOST"] or "localhost", database["PORT"] or "5432"
    return f"postgresql://{quote(database['USER'], safe='')}{password}@{host}:{port}/{database['NAME']}"


def run_readme_command(command: str, folder: Path) -> None:
    """The README's command for ``command`` (backup or restore), run by a shell in ``folder``."""
    from hipcoach.app.backups import POSTGRES_COMMANDS

    result = subprocess.run(
        ["sh", "-c", POSTGRES_COMMANDS[command]],
        env={**os.environ, "DATABASE_URL": postgres_url()},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the PostgreSQL commands need the suite to run on PostgreSQL (DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_readme_commands_back_up_and_restore_every_runner(tmp_path: Path) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from hipcoach.app.accounts.accounts import create_runner, issue_token
    from hipcoach.app.training.calendar import new_calendar_secret
    from hipcoach.app.training.data import export_document

    def document(user: User) -> dict[str, Any]:
        exported = export_document(user).model_dump(mode="json")
        exported.pop("exported_at")
        return exported

    tokens, feeds = {}, {}
    for email, password in PASSWORDS.items():
        user = create_runner(email, password)
        _, tokens[email] = issue_token(user, "laptop")
        feeds[email] = new_calendar_secret(user)
        client = Client(headers={"Authorization": f"Bearer {tokens[email]}"})
        assert (
            client.put("/api/v1/me/settings", {"runs": ["sat:long:100"]}, content_type="application/json").status_code
            == 200
        )
        assert client.post("/api/v1/screens", EXAMPLE, content_type="application/json").status_code == 201
        for number in range(4):
            body = log_body(f"{email.split('@', maxsplit=1)[0]}-session-{number}")
            assert client.post("/api/v1/logs", body, content_type="application/json").status_code == 201
    before = {user.email: document(user) for user in User.objects.all()}

    run_readme_command("backup", tmp_path)
    User.objects.get(email="ada@example.org").delete()
    create_runner(*WRITER)
    run_readme_command("restore", tmp_path)

    assert sorted(User.objects.values_list("email", flat=True)) == sorted(PASSWORDS)
    for email, password in PASSWORDS.items():
        assert document(User.objects.get(email=email)) == before[email]
        browser = Client()
        assert browser.post("/accounts/login/", {"username": email, "password": password}).status_code == 302
        assert browser.get("/api/v1/account").json()["email"] == email
        answer = Client(headers={"Authorization": f"Bearer {tokens[email]}"}).get("/api/v1/account")
        assert answer.json()["email"] == email
        assert Client().get(f"/calendar/{feeds[email]}.ics").status_code == 200
