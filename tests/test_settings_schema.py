"""One settings schema: every door states the bounds and the defaults of the settings' table
(``hipcoach.core.settings_schema``), so a change made in one place and not in the table is caught here.

For every number the runner sets: the model's column (its validators and default), the settings page (its
widget's min and max, or the numbers it offers), the API (the description's minimum, maximum, default and help;
a PUT beyond them is a 422 naming the table's bounds), the export's format, the settings' check, the week's own
defaults and the terminal's ``week`` options; and the README's statement of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.test import Client
from pydantic import ValidationError as PydanticValidationError
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.training.data import ExportSettings
from hipcoach.app.training.models import RunnerSettings
from hipcoach.app.training.runner_settings import (
    PROBLEM_ORDER,
    SettingsInvalidError,
    ValidSettings,
    default_settings,
    settings_data,
    validate_settings,
)
from hipcoach.cli import app
from hipcoach.cli.plans import option_name
from hipcoach.core.planner import MAX_LEVEL, MAX_MINUTES, MIN_LEVEL, MIN_MINUTES, PlannerInputError, parse_minutes
from hipcoach.core.settings_schema import (
    AGE_BAND,
    LEVEL,
    MINUTE_SETTINGS,
    NUMBER_SETTINGS,
    POST_RUN_MINUTES,
    PRE_RUN_MINUTES,
    REMINDER_MINUTES,
    REST_DAY_MINUTES,
    SETTINGS,
    STRENGTH_DAYS,
    STRENGTH_MINUTES,
    WEEK_SETTINGS,
    NumberSetting,
)
from hipcoach.core.week import WeekPreferences
from hipcoach.web.api import api
from hipcoach.web.training.forms import SettingsForm

README = Path(__file__).resolve().parents[1] / "README.md"
NUMBERS = pytest.mark.parametrize("setting", NUMBER_SETTINGS, ids=lambda setting: setting.name)
WEEK_NUMBERS = pytest.mark.parametrize("setting", WEEK_SETTINGS, ids=lambda setting: setting.name)
runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def beyond(setting: NumberSetting) -> list[float | int]:
    """Values just outside the bounds: a whole number either side, and half of one for any number."""
    outside: list[float | int] = [setting.low - 1, setting.high + 1]
    return outside if setting.whole else [*outside, setting.low - 0.5, setting.high + 0.5]


def schemas() -> dict[str, Any]:
    return api.get_openapi_schema()["components"]["schemas"]


# ---- the table ---------------------------------------------------------------------------------------------


def test_a_sessions_minutes_are_held_to_the_planners_one_bound() -> None:
    for setting in MINUTE_SETTINGS:
        assert (setting.low, setting.high) == (MIN_MINUTES, MAX_MINUTES)
        assert not setting.whole
    assert (LEVEL.low, LEVEL.high) == (MIN_LEVEL, MAX_LEVEL)
    with pytest.raises(PlannerInputError) as refused:
        parse_minutes(MAX_MINUTES + 1, "minutes")
    assert refused.value.allowed == PRE_RUN_MINUTES.allowed  # a one-off session's minutes, as the settings'


def test_each_setting_is_named_once_and_every_default_is_within_its_bounds() -> None:
    names = [setting.name for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert sorted(PROBLEM_ORDER) == sorted(names)
    for setting in NUMBER_SETTINGS:
        assert setting.low <= setting.default <= setting.high
        assert "{" not in setting.help
        assert "{" not in setting.page_label
    assert AGE_BAND.default in AGE_BAND.values


def test_a_new_runners_settings_are_the_tables_defaults() -> None:
    # A list where the table holds a tuple (the week, the equipment: body weight only).
    expected = {
        setting.name: list(setting.default) if isinstance(setting.default, tuple) else setting.default
        for setting in SETTINGS
    }
    assert expected["equipment"] == [], "a new runner has body weight only until they say what they own"
    assert default_settings() == expected
    shown = settings_data(RunnerSettings())  # a new record, as the page and the API show it
    assert {name: shown[name] for name in expected if name != "time_zone"} == {
        name: value for name, value in expected.items() if name != "time_zone"
    }
    assert validate_settings(expected).time_zone is None  # left as it is


def test_the_checked_settings_carry_every_number() -> None:
    assert {setting.name for setting in NUMBER_SETTINGS} <= set(ValidSettings.__dataclass_fields__)


# ---- each number, at every door ----------------------------------------------------------------------------


def bounds_of(validators: list[Any]) -> tuple[Any, Any]:
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return max(lows), min(highs)


@NUMBERS
def test_the_models_column_holds_the_bounds_and_the_default(setting: NumberSetting) -> None:
    field = RunnerSettings._meta.get_field(setting.name)
    assert isinstance(field, models.PositiveSmallIntegerField if setting.whole else models.FloatField)
    assert bounds_of(field.validators) == (setting.low, setting.high)
    assert field.get_default() == setting.default
    for value in (setting.low, setting.high):
        field.run_validators(value)
    for value in beyond(setting):
        with pytest.raises(ValidationError):
            field.run_validators(value)


@NUMBERS
def test_the_settings_page_offers_the_bounds(setting: NumberSetting) -> None:
    field = SettingsForm().fields[setting.name]
    assert field.label == setting.page_label
    widget: Any = field.widget
    if setting.pick:
        assert [value for value, _ in widget.choices] == [str(n) for n in range(setting.low, setting.high + 1)]
    else:
        assert (widget.attrs["min"], widget.attrs["max"]) == (setting.low, setting.high)


@NUMBERS
def test_the_api_states_the_bounds_the_default_and_the_help(setting: NumberSetting) -> None:
    documented = schemas()
    taken = documented["RunnerSettingsIn"]["properties"][setting.name]
    kind = "integer" if setting.whole else "number"
    assert (taken["type"], taken["minimum"], taken["maximum"]) == (kind, setting.low, setting.high)
    assert (taken["default"], taken["description"]) == (setting.default, setting.help)
    assert documented["RunnerSettingsOut"]["properties"][setting.name]["type"] == kind


@NUMBERS
def test_the_export_holds_the_bounds(setting: NumberSetting) -> None:
    kept = schemas()["ExportSettings"]["properties"][setting.name]
    assert (kept["minimum"], kept["maximum"]) == (setting.low, setting.high)
    assert ExportSettings.model_json_schema()["properties"][setting.name] == kept
    record = settings_data(RunnerSettings())
    base = {**record, "older_adult": False, "time_zone": ""}
    del base["age_band"]
    for value in (setting.low, setting.high):
        assert getattr(ExportSettings.model_validate({**base, setting.name: value}), setting.name) == value
    for value in beyond(setting):
        with pytest.raises(PydanticValidationError):
            ExportSettings.model_validate({**base, setting.name: value})


@NUMBERS
def test_the_check_takes_the_bounds_and_names_them_beyond(setting: NumberSetting) -> None:
    for value in (setting.low, setting.high):
        assert getattr(validate_settings({**default_settings(), setting.name: value}), setting.name) == value
    for value in beyond(setting):
        with pytest.raises(SettingsInvalidError) as refused:
            validate_settings({**default_settings(), setting.name: value})
        [problem] = refused.value.problems
        assert (problem.field, problem.given, problem.allowed) == (setting.name, value, setting.allowed)


@pytest.fixture
def signed_in(db: Any) -> Client:
    user = create_runner("schema@example.org", "hip-opener-42-lunge")
    assert isinstance(user, User)
    client = Client()
    client.force_login(user)
    return client


@NUMBERS
def test_a_put_beyond_the_bounds_is_a_422_naming_them(signed_in: Client, setting: NumberSetting) -> None:
    for value in beyond(setting):
        body = {"runs": [], setting.name: value}
        response = signed_in.put("/api/v1/me/settings", body, content_type="application/json")
        assert response.status_code == 422
        [problem] = response.json()["detail"]
        assert problem["loc"] == ["body", setting.name]
        assert problem["msg"].endswith(f"allowed: {setting.allowed}")
    body = {"runs": [], setting.name: setting.high}
    response = signed_in.put("/api/v1/me/settings", body, content_type="application/json")
    assert response.json()[setting.name] == setting.high


# ---- the week --------------------------------------------------------------------------------------------------


def test_the_weeks_own_defaults_and_bounds_are_the_settings() -> None:
    preferences = WeekPreferences()
    documented = WeekPreferences.model_json_schema()["properties"]
    for setting in WEEK_SETTINGS:
        # The level is the exception: a week asked for without one (the API's /weeks/plan) starts at the easiest.
        assert getattr(preferences, setting.name) == (MIN_LEVEL if setting is LEVEL else setting.default)
        assert documented[setting.name]["maximum"] == setting.high
    assert documented[STRENGTH_DAYS.name]["minimum"] == STRENGTH_DAYS.low
    assert documented[LEVEL.name]["minimum"] == LEVEL.low


def week_options() -> dict[str, Any]:
    command: Any = typer.main.get_command(app)
    return {param.name: param for param in command.commands["week"].params}


def test_the_week_command_has_an_option_for_each_of_the_weeks_settings() -> None:
    options = week_options()
    for setting in WEEK_SETTINGS:
        option = options[setting.name]
        assert option.opts == [option_name(setting)]
        assert option.default == setting.default
        assert option.help == setting.help  # which states the bounds
    assert not {setting.name for setting in NUMBER_SETTINGS if not setting.week} & options.keys()


@WEEK_NUMBERS
def test_the_week_command_refuses_beyond_the_bounds_naming_the_option(setting: NumberSetting) -> None:
    for value in beyond(setting):
        if setting.whole and not float(value).is_integer():
            continue
        result = runner.invoke(app, ["week", "--runs", "mon:easy:40", option_name(setting), str(value)])
        assert result.exit_code == 2, result.output
        assert f"error: {option_name(setting)}: " in flat(result.stderr)
        assert f"allowed: {setting.allowed}" in flat(result.stderr)


@pytest.mark.parametrize("end", ["low", "high"])
def test_the_week_command_takes_the_bounds(end: str) -> None:
    options = [
        part
        for setting in WEEK_SETTINGS
        for part in (option_name(setting), str(setting.low if end == "low" else setting.high))
    ]
    # A screen answers file answers the safety questions: no plan is made without them.
    answers = str(Path(__file__).resolve().parent / "data" / "screen_example.json")
    result = runner.invoke(app, ["week", "--runs", "mon:easy:40,sat:long:100", *options, "--screen", answers, "--json"])
    assert result.exit_code == 0, result.output


# ---- the README --------------------------------------------------------------------------------------------


def test_the_readme_states_the_tables_bounds_and_defaults() -> None:
    text = flat(README.read_text(encoding="utf-8"))
    minutes = f"{PRE_RUN_MINUTES.low}-{PRE_RUN_MINUTES.high}"
    assert f"on a rest day ({minutes}); strength days a week ({STRENGTH_DAYS.allowed}); the level " in text
    assert f"the level ({LEVEL.low}-{LEVEL.high})" in text
    assert f"calendar reminder ({REMINDER_MINUTES.low}-{REMINDER_MINUTES.high} minutes)" in text
    assert (
        f"Minutes per context default to {PRE_RUN_MINUTES.default} before a run, {POST_RUN_MINUTES.default} after, "
        f"{STRENGTH_MINUTES.default} for strength and {REST_DAY_MINUTES.default} on a rest day" in text
    )
    assert f"`--rest-day-minutes`, each {minutes})" in text
    assert f"strength on {STRENGTH_DAYS.default} days (`--strength-days`, {STRENGTH_DAYS.allowed})" in text
    assert f"at level {LEVEL.default} (`--level`, {LEVEL.low}-{LEVEL.high})" in text
