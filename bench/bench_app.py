"""Benchmark of the runner's app: server time of Today, the progress page and GET /api/v1/today with a year of
logs per runner, the clinic's dashboard for a clinician following 200 of those runners, and the weight of the
player page.

Run as ``.venv/bin/python bench/bench_app.py`` (``--help`` for the sizes); the Markdown report goes to stdout,
progress to stderr. It always works in a database of its own: a SQLite file in a new temporary data folder,
or the PostgreSQL database named by ``DATABASE_URL`` (which must exist and be empty: ``make bench`` creates
``hipcoach_bench`` and drops it after). It migrates that database, then seeds it:

* ``--runners`` runners (1,000), each with a usual week of runs, a few screens over the year (answers drawn
  around the example's, scored by the core), a year of logs (4-6 sessions a week on the days and contexts
  their usual week plans; each log keeps a session composed by the planner, as the player saves it, and
  4-8 drill entries), a morning check after about a third of the sessions, progression states for a few
  drill chains and about one progression event a week;

then runs ``--requests`` (200) requests per page, each for a runner drawn at random, through Django's test
Client (logged in with ``force_login``; the login is not timed), after a few warm-up requests. Each page starts
with an empty cache of composed sessions, so a runner's first visit of the day (sessions composed) is what most
requests time. Server time
is the time the request takes in the Client: URL resolution, middleware, view, queries and template, with
no network. Targets: p95 at most 50 ms per page; the player page, with every script and style it loads,
under 100 KB. A page whose address does not exist yet is reported as "not available".
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

P95_TARGET_MS = 50.0
PLAYER_WEIGHT_TARGET = 100 * 1024
WARM_UP = 10
PAGES = (
    ("Today page", "/today/"),
    ("Progress page", "/progress/"),
    ("GET /api/v1/today", "/api/v1/today"),
)


CLINIC_PAGES = (
    ("Clinic dashboard", "/clinic/"),
    ("GET /api/v1/clinic/clients", "/api/v1/clinic/clients"),
)


def clinician_following(users: Sequence[Any], count: int, weeks: int) -> Any:
    """A clinician whom the first ``count`` runners share with since the seed's first week, an open alert for one
    runner in four (the dashboard lists alerts first): their account, for the timed requests."""
    from hipcoach.app.accounts.accounts import create_runner
    from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
    from hipcoach.app.clinic.models import Alert, Link, LinkStatus
    from hipcoach.core import clock

    clinic = set_up_clinic("Bench Physio", phone="+44 20 7946 0000")
    user = create_runner("clinician@bench-clinic.example", "a long bench password 42")
    clinician = add_clinician(clinic, user.email).clinician
    since = clock.now() - dt.timedelta(weeks=weeks)
    Link.objects.bulk_create(
        Link(clinician=clinician, runner=runner, status=LinkStatus.SHARING, accepted_at=since, expires_at=since)
        for runner in users[:count]
    )
    Alert.objects.bulk_create(
        Alert(runner=runner, kind="pain-above-5", key=f"bench:{runner.pk}", day=since.date(), message="Pain 7 of 10.")
        for runner in users[:count:4]
    )
    return user


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def set_up_django(data_dir: str) -> None:
    os.environ["HIPCOACH_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "hipcoach.settings"
    os.environ["DEBUG"] = "false"  # no query log, as in production
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()


# --------------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------------

WEEK_TEMPLATES = (
    ["tue:easy:40", "thu:tempo:45", "sun:long:100"],
    ["mon:easy:30", "wed:intervals:50", "fri:easy:40", "sun:long:120"],
    ["tue:easy:35", "sat:long:90"],
    ["mon:easy:40", "tue:tempo:50", "thu:easy:40", "sat:intervals:45", "sun:long:110"],
    ["wed:easy:45", "sat:long:80"],
    ["mon:easy:30", "wed:easy:30", "fri:easy:30", "sun:long:75"],
)
REASONS = {
    "raise-dose": "Rated easy at this dose twice in a row with no pain above 2: one more rep per set.",
    "progress": "Top of the range rated easy twice running: on to the next drill of the chain.",
    "step-back-dose": "Pain and stiffness were worse the next morning: back one step in dose.",
    "step-back-drill": "Rated hard with pain of 4 twice: back to the easier drill of the chain.",
    "stop": "Pain above 5 during the drill: stop this drill until it settles (pain-monitoring model).",
}
ACTIONS = ("raise-dose",) * 5 + ("progress",) * 2 + ("step-back-dose",) * 2 + ("step-back-drill", "stop")


class RowWriter:
    """Raw speed for the big tables: COPY on PostgreSQL, ``executemany`` on SQLite, with ids given here."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return int(cursor.fetchone()[0]) + 1

    def when(self, value: dt.datetime | dt.date | None) -> Any:
        if value is None or self.postgres:
            return value
        if isinstance(value, dt.datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        return self.connection.ops.adapt_datefield_value(value)

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{column}"' for column in columns)
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if self.postgres:
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)

    def reset_sequences(self, tables: Sequence[str]) -> None:
        if not self.postgres:
            return  # SQLite takes the next id after the largest
        with self.connection.cursor() as cursor:
            for table in tables:
                largest = f"(SELECT COALESCE(MAX(id), 1) FROM {table})"
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {largest})")


LOG_COLUMNS = (
    "id",
    "owner_id",
    "client_key",
    "context",
    "planned_for",
    "started_at",
    "finished_at",
    "seconds_done",
    "session",
    "pain",
    "notes",
    "source",
    "red_flag",
)
ENTRY_COLUMNS = ("log_id", "order", "drill_id", "amount", "sets", "sides_done", "rating", "pain")
CHECK_COLUMNS = ("log_id", "worse", "answered_at")
EVENT_COLUMNS = ("owner_id", "log_id", "at", "drill_id", "action", "reason", "before", "after")


class Seeder:
    """Fills the database with ``runners`` runners and ``weeks`` weeks of training each."""

    def __init__(self, runners: int, weeks: int, seed: int) -> None:
        from django.utils import timezone

        from hipcoach.core.catalogue import default_catalogue

        self.runners = runners
        self.weeks = weeks
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.catalogue = default_catalogue()
        self.writer = RowWriter()
        self.counts: dict[str, int] = {}
        self.sessions = self._session_pool()
        self.skeletons = {tuple(week): self._skeleton(week) for week in WEEK_TEMPLATES}

    def _session_pool(self) -> dict[str, list[tuple[str, int, list[list[tuple[Any, ...]]]]]]:
        """Per context, sessions composed by the planner as the player saves them (JSON), each with a few sets of
        drill entries (4-8, the session's drills) a runner might log for it."""
        from hipcoach.core.planner import Context, compose_session
        from hipcoach.core.profile import Profile

        minutes = {Context.PRE_RUN: 8, Context.POST_RUN: 10, Context.STRENGTH: 20, Context.REST_DAY: 10}
        r = self.random
        pool: dict[str, list[tuple[str, int, list[list[tuple[Any, ...]]]]]] = {}
        for context, budget in minutes.items():
            for seed in range(12):
                session = compose_session(Profile(), context, budget, None, 1 + seed % 3, [], seed)
                dumped = json.dumps(session.model_dump(mode="json"))
                drills = (session.drill_ids * 8)[: r.randint(4, 8)]
                variants = [
                    [
                        (
                            order,
                            drill,
                            r.randint(8, 15),
                            r.randint(1, 3),
                            '["left", "right"]',
                            r.choices(("easy", "ok", "hard"), weights=(3, 6, 1))[0],
                            r.choices((0, 1, 2, 3), (6, 3, 2, 1))[0],
                        )
                        for order, drill in enumerate(drills)
                    ]
                    for _ in range(8)
                ]
                pool.setdefault(context.value, []).append((dumped, session.total_seconds, variants))
        return pool

    @staticmethod
    def _skeleton(runs: Sequence[str]) -> list[list[str]]:
        from hipcoach.core.catalogue import Catalogue
        from hipcoach.core.profile import Profile
        from hipcoach.core.week import plan_week

        week = plan_week(Profile(), list(runs), None, catalogue=Catalogue([]))
        return [[context.value for context in day.contexts()] for day in week.days]

    def run(self) -> dict[str, int]:
        from django.db import connection

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        users = self._users()
        batch = 50
        for start in range(0, len(users), batch):
            self._runners(users[start : start + batch])
            done = min(start + batch, len(users))
            say(f"  seeded {done} of {len(users)} runners ({self.counts.get('logs', 0):,} logs)")
        self.writer.reset_sequences(
            ["training_sessionlog", "training_drillentry", "training_morningcheck", "training_progressionevent"]
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
        return self.counts

    def _count(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def _users(self) -> list[Any]:
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import User

        unusable = make_password(None)  # force_login needs no password; hashing 1,000 would take minutes
        joined = self.now - dt.timedelta(weeks=self.weeks + 1)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"runner{n:05d}@bench.example",
                    email=f"runner{n:05d}@bench.example",
                    password=unusable,
                    date_joined=joined,
                )
                for n in range(self.runners)
            ],
            batch_size=1000,
        )
        self._count("runners", len(users))
        return users

    def _runners(self, users: Sequence[Any]) -> None:
        from django.db import transaction

        from hipcoach.app.screens.models import Screen
        from hipcoach.app.training.models import ProgressionState, RunnerSettings

        settings, screens, states = [], [], []
        logs: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        checks: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        next_log = self.writer.next_id("training_sessionlog")
        for user in users:
            week = self.random.choice(WEEK_TEMPLATES)
            settings.append(RunnerSettings(owner=user, runs=list(week), level=self.random.randint(1, 4)))
            screens += self._screens(user, Screen)
            first_log = next_log
            next_log = self._logs(user, tuple(week), next_log, logs=logs, entries=entries, checks=checks)
            states += self._states(user, ProgressionState)
            self._events(user, range(first_log, next_log), events)
        with transaction.atomic():
            RunnerSettings.objects.bulk_create(settings, batch_size=1000)
            Screen.objects.bulk_create(screens, batch_size=1000)
            ProgressionState.objects.bulk_create(states, batch_size=5000)
            self.writer.write("training_sessionlog", LOG_COLUMNS, logs)
            self.writer.write("training_drillentry", ENTRY_COLUMNS, entries)
            self.writer.write("training_morningcheck", CHECK_COLUMNS, checks)
            self.writer.write("training_progressionevent", EVENT_COLUMNS, events)
        for name, rows in (
            ("settings", settings),
            ("screens", screens),
            ("logs", logs),
            ("drill entries", entries),
            ("morning checks", checks),
            ("progression states", states),
            ("progression events", events),
        ):
            self._count(name, len(rows))

    def _screens(self, user: Any, model: Any) -> list[Any]:
        from hipcoach.core.screen import parse_answers, score_screen

        result = []
        count = self.random.randint(2, 4)
        for number in range(count):
            r = self.random
            tests = {
                "thomas": {
                    side: {
                        "thigh": r.choice(["level", "level", "raised"]),
                        "knee_deg": r.randint(60, 95),
                        "thigh_drifts_out": r.random() < 0.2,
                    }
                    for side in ("left", "right")
                },
                "seated_ir_deg": {"left": r.randint(20, 45), "right": r.randint(20, 45)},
                "seated_er_deg": {"left": r.randint(30, 55), "right": r.randint(30, 55)},
                "active_slr": {"left": r.randint(1, 3), "right": r.randint(1, 3)},
                "single_leg_squat_faults": {"left": r.randint(0, 3), "right": r.randint(0, 3)},
                "single_leg_stance": {
                    side: {"seconds": r.randint(15, 30), "pelvis_drops": r.random() < 0.3, "lateral_hip_pain": 0}
                    for side in ("left", "right")
                },
                "deep_squat": r.randint(1, 3),
                "knee_to_wall_cm": {"left": r.randint(5, 14), "right": r.randint(5, 14)},
                "faber": {side: {"knee_above_cm": r.randint(5, 20), "pain": "none"} for side in ("left", "right")},
            }
            answers = parse_answers(
                {
                    "age": r.randint(22, 64),
                    "sex": r.choice(["female", "male"]),
                    "sitting_hours_per_day": r.randint(2, 10),
                    "running_km_per_week": r.randint(15, 80),
                    "injuries": [],
                    "red_flags": [],
                    "pain_now": r.randint(0, 2),
                    "hip_replacement": None,
                    "tests": tests,
                }
            )
            scored = score_screen(answers)
            taken = self.now - dt.timedelta(weeks=self.weeks * (count - number) / count)
            result.append(model(owner=user, taken_at=taken, **model.fields_from_core(answers, scored)))
        return result

    def _logs(
        self,
        user: Any,
        week: tuple[str, ...],
        next_id: int,
        *,
        logs: list[tuple[Any, ...]],
        entries: list[tuple[Any, ...]],
        checks: list[tuple[Any, ...]],
    ) -> int:
        """About a year of sessions on the days and contexts the usual week plans; the next free log id."""
        from django.utils import timezone

        skeleton = self.skeletons[week]
        planned = [(offset, context) for offset in range(7) for context in skeleton[offset]]
        r = self.random
        when = self.writer.when
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for weeks_back in range(self.weeks, -1, -1):
            start = monday - dt.timedelta(weeks=weeks_back)
            for offset, context in sorted(r.sample(planned, min(len(planned), r.randint(4, 6)))):
                day = start + dt.timedelta(days=offset)
                if day > self.today:
                    continue
                session, seconds, variants = r.choice(self.sessions[context])
                finished = timezone.make_aware(dt.datetime.combine(day, dt.time(r.randint(6, 20), r.randint(0, 59))))
                pain = r.choices((0, 1, 2, 3, 4, 6), weights=(40, 25, 18, 10, 5, 2))[0]
                logs.append(
                    (
                        next_id,
                        user.pk,
                        f"bench-{user.pk}-{next_id}",
                        context,
                        when(day),
                        when(finished - dt.timedelta(seconds=seconds)),
                        when(finished),
                        seconds,
                        session,
                        pain,
                        "",
                        "web",
                        False,
                    )
                )
                entries.extend((next_id, *entry) for entry in r.choice(variants))
                if r.random() < 0.35:
                    checks.append((next_id, r.random() < 0.1, when(finished + dt.timedelta(hours=r.randint(10, 26)))))
                next_id += 1
        return next_id

    def _states(self, user: Any, model: Any) -> list[Any]:
        from hipcoach.core.progression import initial_state

        starts = [drill for drill in self.catalogue if drill.progresses_to is not None]
        chosen = self.random.sample(starts, min(len(starts), self.random.randint(3, 6)))
        states = []
        for drill in chosen:
            state = initial_state(drill)
            amount = self.random.randint(drill.dose.amount.min, drill.dose.amount.max)
            states.append(
                model(owner=user, chain_start=drill.id, state={**state.model_dump(mode="json"), "amount": amount})
            )
        return states

    def _events(self, user: Any, log_ids: range, events: list[tuple[Any, ...]]) -> None:
        """About one change of dose or drill a week, each after one of the runner's sessions."""
        drills = [drill.id for drill in self.catalogue]
        r = self.random
        for number in range(r.randint(self.weeks // 2, self.weeks + 4)):
            action = r.choice(ACTIONS)
            drill = r.choice(drills)
            amount = r.randint(8, 15)
            at = self.now - dt.timedelta(days=r.randint(0, self.weeks * 7), minutes=number)
            before = json.dumps({"drill_id": drill, "amount": amount, "sets": 2})
            after = None if action == "stop" else json.dumps({"drill_id": drill, "amount": amount + 1, "sets": 2})
            log_id = r.choice(log_ids) if log_ids else None
            events.append((user.pk, log_id, self.writer.when(at), drill, action, REASONS[action], before, after))


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------


def url_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Timing:
    def __init__(self, label: str, path: str, times: list[float] | None, note: str = "") -> None:
        self.label, self.path, self.times, self.note = label, path, times, note

    @property
    def p50(self) -> float:
        return statistics.median(self.times or [0])

    @property
    def p95(self) -> float:
        return percentile(self.times or [0], 0.95)


class Runners:
    """One test Client for every request, as one server process serves them all: a new Client would load the
    middleware again (WhiteNoise indexes every static file then), which a running server does once."""

    def __init__(self, users: Sequence[Any], rng: random.Random) -> None:
        from django.test import Client

        self.users = users
        self.rng = rng
        self.client = Client(raise_request_exception=False)  # a page that fails is reported, not fatal

    def as_random_runner(self) -> Any:
        self.client.force_login(self.rng.choice(self.users))
        return self.client


def time_page(label: str, path: str, runners: Runners, requests: int) -> Timing:
    if not url_exists(path):
        return Timing(label, path, None, "not available (no such address yet)")
    from django.core.cache import caches

    # Each page starts with no session composed yet, so that one page does not time what another composed.
    caches["sessions"].clear()
    times = []
    for number in range(WARM_UP + requests):
        client = runners.as_random_runner()
        start = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code == 404:
            return Timing(label, path, None, "not available (404)")
        if response.status_code != 200:
            return Timing(label, path, None, f"error: status {response.status_code}")
        if number >= WARM_UP:
            times.append(elapsed)
    return Timing(label, path, times)


STATIC_REF = re.compile(
    r"""<(?:script[^>]*\ssrc|link[^>]*\srel=["']?(?:stylesheet|modulepreload)["']?[^>]*\shref)=["']([^"']+)["']"""
)
LINK_FIRST = re.compile(r"""<link[^>]*\shref=["']([^"']+)["'][^>]*\srel=["']?stylesheet""")
JS_IMPORT = re.compile(r"""(?:^|\n)\s*import\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']""")


def fetched(client: Any, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise LookupError(f"{path}: status {response.status_code}")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def first_figure(html: str) -> list[str]:
    """The player's script loads the first step's figure as the page opens: it is part of what the page weighs."""
    found = re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html, re.S)
    if found is None:
        return []
    data = json.loads(found.group(1))
    steps, items = data["session"]["timeline"], data["session"]["items"]
    if not steps or "figure" not in data:
        return []
    item = steps[0]["item"]
    side = next((s["side"] for s in steps if s["item"] == item and s.get("side") in ("left", "right")), "right")
    figure = data["figure"]
    return [f"{figure['url'].replace(figure['id'], items[item]['drill_id'])}?side={side}"]


def page_weight(client: Any, path: str) -> tuple[int, int, list[tuple[str, int]]]:
    """The page's HTML plus every script and style it references (and the modules those import)."""
    from urllib.parse import urljoin

    html = fetched(client, path)
    parts = [(path, len(html))]
    total_gzip = len(gzip.compress(html))
    text = html.decode()
    queue = STATIC_REF.findall(text) + LINK_FIRST.findall(text) + first_figure(text)
    seen: set[str] = set()
    while queue:
        ref = queue.pop(0)
        if ref in seen or ref.startswith(("http:", "https:", "//", "data:")):
            continue
        seen.add(ref)
        body = fetched(client, ref)
        parts.append((ref, len(body)))
        total_gzip += len(gzip.compress(body))
        if ref.endswith(".js"):
            for found in JS_IMPORT.findall(body.decode(errors="replace")):
                target = found[0] or found[1]
                queue.append(urljoin(ref, target))
    return sum(size for _, size in parts), total_gzip, parts


def player_path(client: Any) -> str | None:
    """A planned session of today from GET /api/v1/today, else the one-off player."""
    if url_exists("/api/v1/today"):
        response = client.get("/api/v1/today")
        if response.status_code == 200:
            for session in response.json().get("sessions", []):
                if session.get("play_url") and url_exists(session["play_url"]):
                    return str(session["play_url"])
    once = "/play/once/?context=pre-run&minutes=8"
    return once if url_exists(once) else None


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


def database_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} (file, WAL)"


def report(
    args: argparse.Namespace,
    counts: dict[str, int],
    seed_seconds: float,
    timings: list[Timing],
    *,
    weight: tuple[str, int, int, list[tuple[str, int]]] | None,
    weight_note: str,
    total_seconds: float,
    load: tuple[float, float],
) -> str:
    lines = [
        f"## App benchmark: {database_description()}",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.platform()}, {platform.machine()}, Python {platform.python_version()}",
        f"- CPUs: {os.cpu_count()}; load average (1 min) {load[0]:.1f} when timing began, {load[1]:.1f} at the end "
        "(other work on the machine slows the figures)",
        f"- seed: {counts.get('runners', 0):,} runners x {args.weeks} weeks: "
        + ", ".join(
            f"{counts.get(name, 0):,} {name}"
            for name in (
                "logs",
                "drill entries",
                "morning checks",
                "screens",
                "progression states",
                "progression events",
            )
        ),
        f"  (seeded in {seed_seconds:.0f} s; whole run {total_seconds:.0f} s)",
        f"- method: {args.requests} requests per page after {WARM_UP} warm-up ones, each for a runner drawn at "
        "random, through Django's test Client (force_login, not timed), each page from an empty cache of composed "
        "sessions; server time in milliseconds",
        "",
        "| page | requests | p50 ms | p95 ms | target p95 | met |",
        "|---|---|---|---|---|---|",
    ]
    for timing in timings:
        if timing.times is None:
            lines.append(f"| {timing.label} (`{timing.path}`) | - | - | - | <= {P95_TARGET_MS:g} ms | {timing.note} |")
            continue
        met = "yes" if timing.p95 <= P95_TARGET_MS else "**no**"
        lines.append(
            f"| {timing.label} (`{timing.path}`) | {len(timing.times)} | {timing.p50:.1f} | {timing.p95:.1f} "
            f"| <= {P95_TARGET_MS:g} ms | {met} |"
        )
    lines.append("")
    if weight is None:
        lines.append(f"Player page weight: {weight_note}.")
    else:
        path, total, zipped, parts = weight
        met = "yes" if total < PLAYER_WEIGHT_TARGET else "**no**"
        lines += [
            f"Player page weight (`{path}`): {total / 1024:.1f} KB with every script and style it loads "
            f"({zipped / 1024:.1f} KB gzipped), target < {PLAYER_WEIGHT_TARGET // 1024} KB: {met}.",
            "",
            "| part | KB |",
            "|---|---|",
            *(f"| `{part}` | {size / 1024:.1f} |" for part, size in parts),
        ]
    lines.append("")
    return "\n".join(lines)


def time_pages(args: argparse.Namespace, users: Sequence[Any], runners: Runners) -> list[Timing]:
    """Each runner's page for random runners, then the clinic's pages for the clinician who follows some of them."""
    timings = []
    for label, path in PAGES:
        say(f"timing {label}")
        timings.append(time_page(label, path, runners, args.requests))
    if url_exists("/clinic/"):
        clinician = Runners([clinician_following(users, args.clinic_runners, args.weeks)], runners.rng)
        for label, path in CLINIC_PAGES:
            say(f"timing {label}")
            timings.append(time_page(f"{label} ({args.clinic_runners} runners)", path, clinician, args.requests))
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runners", type=int, default=1000, help="runners to seed")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of logs per runner")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--clinic-runners", type=int, default=200, help="runners the clinician follows")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data_dir = tempfile.mkdtemp(prefix="hipcoach-bench-")
    try:
        set_up_django(data_dir)
        from django.core.management import call_command
        from django.db import connection

        say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        call_command("migrate", verbosity=0)
        from hipcoach.app.training.models import SessionLog

        if SessionLog.objects.exists():
            raise SystemExit("the benchmark database already holds logs: give it an empty database")
        say(f"seeding {args.runners} runners x {args.weeks} weeks")
        seed_start = time.perf_counter()
        counts = Seeder(args.runners, args.weeks, args.seed).run()
        with connection.cursor() as cursor:
            # Fresh statistics (and PostgreSQL's visibility map), as autovacuum or a deployment would keep them.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            # Write the seed out now, so that flushing gigabytes of it does not compete with the timed requests.
            cursor.execute("CHECKPOINT" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")
        seed_seconds = time.perf_counter() - seed_start
        say(f"seeded in {seed_seconds:.0f} s: {counts}")

        from django.contrib.auth.models import User

        users = list(User.objects.filter(username__endswith="@bench.example"))
        runners = Runners(users, random.Random(args.seed))
        load_before = os.getloadavg()[0]
        timings = time_pages(args, users, runners)
        client = runners.as_random_runner()
        player = player_path(client)
        weight = None
        weight_note = "not available (no player page yet)"
        if player is not None:
            try:
                weight = (player, *page_weight(client, player))
            except LookupError as error:
                weight_note = f"not available ({error})"
        total = time.perf_counter() - started
        load = (load_before, os.getloadavg()[0])
        print(
            report(
                args,
                counts,
                seed_seconds,
                timings,
                weight=weight,
                weight_note=weight_note,
                total_seconds=total,
                load=load,
            )
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
