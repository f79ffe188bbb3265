"""Several `hipcoach serve` started at the same moment on a fresh database all come up and serve.

Each server migrates before it serves; two migrating an empty database at once used to create the same tables
and one crashed. The servers here share a data folder too, as processes of one installation do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import httpx
import psycopg
import pytest
from django.conf import settings

SERVERS = 3
STARTUP_DEADLINE = 120.0  # seconds for all of them, on a busy machine: a server that crashed is seen at once


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a server on a database nobody has migrated: of the kind this suite runs on."""
    env = {**os.environ, "HIPCOACH_DATA_DIR": str(tmp_path), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "ERROR"}
    url = os.environ.get("DATABASE_URL")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not url:
        env.pop("DATABASE_URL", None)  # the embedded SQLite database, made in the empty data folder
        yield env
        return
    server = dj_database_url.parse(url)
    name = f"{server['NAME']}_servers_at_once"  # the suite's own database name, so parallel suites never meet
    admin = psycopg.connect(
        host=server["HOST"], port=server["PORT"] or 5432, user=server["USER"], password=server["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield {**env, "DATABASE_URL": url.rsplit("/", 1)[0] + f"/{name}"}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_serving(server: subprocess.Popen[bytes], port: int, deadline: float) -> int | None:
    """The status of the drill list once the server answers; None when it exited or the deadline passed."""
    while time.monotonic() < deadline and server.poll() is None:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v1/drills", timeout=5).status_code
        except httpx.TransportError:
            time.sleep(0.2)
    return None


def test_several_servers_started_at_once_on_a_fresh_database_all_serve(
    fresh_database: dict[str, str], tmp_path: Path
) -> None:
    ports = [free_port() for _ in range(SERVERS)]
    logs = [(tmp_path / f"server-{port}.log").open("wb") for port in ports]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "hipcoach", "serve", "--port", str(port)],
            env=fresh_database,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE
        statuses = [wait_until_serving(server, port, deadline) for server, port in zip(servers, ports, strict=True)]
        running = [server.poll() is None for server in servers]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for log in logs:
            log.close()
    output = "\n".join((tmp_path / f"server-{port}.log").read_text(errors="replace")[-2000:] for port in ports)
    assert statuses == [200] * SERVERS, output
    assert running == [True] * SERVERS, output
