"""A database made before the application layer (models under hipcoach.web) migrates without loss.

``tests/data/database-before-app-layer.sqlite3.gz`` was made by hipcoach at commit c95bac7: one runner (Ada, with a
password, an API token and a calendar address), her usual week, a screen, two sessions logged and the progression
they moved. The models now live in ``hipcoach.app`` under the same app labels and table names, so ``migrate`` finds
nothing to do but the migrations made since (each a no-op for the database's tables) and everything is read back as
it was written.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "database-before-app-layer.sqlite3.gz"
TOKEN = "hc_S85GAptzqnt2TYQooXyB4rPTLbBiZr-v8br6iA63RHU"
FEED_SECRET = "ZrZlUMXcu4MUe_-8uzMx2kgSseOCD1m8ITN6GAEHOi0"
# The migrations made after that commit: none changes a table (validators and a new runner's default equipment
# only), so none touches the data.
MADE_SINCE = [("training", "0007_reminder_within_a_day"), ("training", "0008_new_runner_has_body_weight")]
# The migrations that add the tables of something new (the clinic): they create tables and indexes of their own and
# touch no table that holds a runner's data.
NEW_TABLES = [
    ("clinic", "0001_initial"),
    ("clinic", "0002_alerts"),
    ("clinic", "0003_prescription"),
    ("clinic", "0005_measurements"),
]
# The migrations that only add an index: they read the table and change no row.
NEW_INDEXES = [("training", "0009_warning_signs_index"), ("screens", "0003_screen_owner_taken")]
# The migrations that add a column that may be empty (and its index) to a table of the clinic: SQLite adds it in
# place, rewriting no row.
NEW_COLUMNS = [("clinic", "0004_requests")]

READ_BACK = f"""
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hipcoach.app.accounts.accounts import find_active_token
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import ProgressionState, RunnerSettings, SessionLog
user = get_user_model().objects.get(username="ada@example.org")
settings = RunnerSettings.objects.get(owner=user)
print(json.dumps({{
    "password": user.check_password("a long password 123"),
    "token": getattr(find_active_token({TOKEN!r}), "owner_id", None) == user.pk,
    "feed": settings.calendar_secret == {FEED_SECRET!r},
    "runs": settings.runs,
    "time_zone": settings.time_zone,
    "screens": Screen.objects.filter(owner=user).count(),
    "logs": sorted(SessionLog.objects.filter(owner=user).values_list("client_key", flat=True)),
    "drills_logged": sum(log.drills.count() for log in SessionLog.objects.filter(owner=user)),
    "chains": ProgressionState.objects.filter(owner=user).count(),
}}))
"""


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "HIPCOACH_")) and name not in {"DATABASE_URL", "SECRET_KEY"}
    }
    environment = {**inherited, "HIPCOACH_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "hipcoach.settings"}
    return subprocess.run(
        [sys.executable, *args], env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def statements(data_dir: Path, app: str, name: str) -> list[str]:
    sql = run(data_dir, "-m", "django", "sqlmigrate", app, name)
    assert sql.returncode == 0, sql.stderr
    return [line for line in sql.stdout.splitlines() if line and not line.startswith("--")]


def test_a_database_from_before_the_application_layer_migrates_with_everything_in_it(tmp_path: Path) -> None:
    with gzip.open(DATA) as packed, (tmp_path / "hipcoach.sqlite3").open("wb") as database:
        shutil.copyfileobj(packed, database)

    plan = run(tmp_path, "-m", "django", "migrate", "--plan")
    assert plan.returncode == 0, plan.stderr
    planned = [line for line in plan.stdout.splitlines()[1:] if line and not line.startswith(" ")]
    expected = sorted(f"{app}.{name}" for app, name in MADE_SINCE + NEW_TABLES + NEW_INDEXES + NEW_COLUMNS)
    assert sorted(planned) == expected, plan.stdout
    for app, name in MADE_SINCE:
        assert statements(tmp_path, app, name) == ["BEGIN;", "COMMIT;"]
    for app, name in NEW_INDEXES:
        for statement in statements(tmp_path, app, name)[1:-1]:
            assert statement.startswith("CREATE INDEX"), statement
    for app, name in NEW_TABLES:
        for statement in statements(tmp_path, app, name)[1:-1]:
            assert statement.startswith(("CREATE TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX")), statement
            assert re.match(rf'CREATE (UNIQUE )?(TABLE|INDEX) "{app}_', statement) or f'ON "{app}_' in statement
    for app, name in NEW_COLUMNS:
        for statement in statements(tmp_path, app, name)[1:-1]:
            adds = re.match(rf'ALTER TABLE "{app}_\w+" ADD COLUMN "\w+" \w+(\(\d+\))? NULL;', statement)
            assert adds or re.match(rf'CREATE (UNIQUE )?INDEX "\w+" ON "{app}_', statement), statement

    read = run(tmp_path, "-c", READ_BACK)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.strip().splitlines()[-1]) == {
        "password": True,
        "token": True,
        "feed": True,
        "runs": ["tue:easy:40", "sat:long:100"],
        "time_zone": "Europe/London",
        "screens": 1,
        "logs": ["old-main-0", "old-main-1"],
        "drills_logged": 10,
        "chains": 5,
    }


def test_the_models_need_no_migration_the_code_does_not_ship(tmp_path: Path) -> None:
    result = run(tmp_path, "-m", "django", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
