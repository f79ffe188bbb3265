"""The settings form and the one-off session form: the page's fields, checked by the core's rules.

Every field is read as text and handed to :func:`hipcoach.app.training.runner_settings.validate_settings` (or
:func:`hipcoach.core.planner.parse_session_request`), so the page refuses exactly what the API refuses; each
problem is shown beside its field, named, with what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from hipcoach.app.training.labels import CONTEXT_LABELS, DAY_NAMES
from hipcoach.app.training.runner_settings import (
    MINUTE_FIELDS,
    TIME_ZONE_NAMES,
    SettingsInvalidError,
    ValidSettings,
    validate_settings,
)
from hipcoach.core.planner import (
    MAX_MINUTES,
    MIN_MINUTES,
    Context,
    RequestInvalidError,
    SessionRequest,
    number_from_text,
    parse_session_request,
)
from hipcoach.core.settings_schema import (
    AGE_BAND,
    EQUIPMENT,
    NUMBER_SETTINGS,
    RUNS,
    SETTINGS,
    TIME_ZONE,
    ChoiceSetting,
    NumberSetting,
    Setting,
)
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import DAYS, MAX_RUN_MINUTES, MAX_RUNS_PER_DAY, Day, Run, RunType

BODY_WEIGHT = "none"
EQUIPMENT_CHOICES = [(BODY_WEIGHT, "None: body weight only")] + [
    (word.value, word.value.replace("-", " ").capitalize()) for word in Equipment
]
RUN_TYPE_CHOICES = [("", "No run")] + [(kind.value, kind.value.capitalize()) for kind in RunType]


@dataclass(frozen=True)
class RunRow:
    day: Day
    number: int
    type_name: str
    minutes_name: str

    @property
    def label(self) -> str:
        name = DAY_NAMES[self.day]
        return name if self.number == 0 else f"{name}, run {self.number + 1}"


# A day can hold a second (or third: the core's MAX_RUNS_PER_DAY) run: rows the page keeps when the week has them.
def run_rows(counts: dict[Day, int]) -> list[RunRow]:
    return [
        RunRow(day, number, f"run-{day.value}-{number}-type", f"run-{day.value}-{number}-minutes")
        for day in DAYS
        for number in range(max(1, min(counts.get(day, 1), MAX_RUNS_PER_DAY)))
    ]


def number_input(low: int, high: int, step: str = "1") -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": low, "max": high, "step": step, "inputmode": "numeric"})


def equipment_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=EQUIPMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Equipment at hand: %(value)s is not one hipcoach knows."},
    )


def setting_field(setting: Setting | NumberSetting | ChoiceSetting) -> forms.Field:
    """A setting's field on the page, from the settings' table: its label, and a number's bounds as the widget's
    min and max (or as the numbers to pick from). Every one is read as text and left to the settings' check, so
    none is required here: a missing one is refused there, by name."""
    field: forms.Field
    if isinstance(setting, NumberSetting):
        numbers = range(setting.low, setting.high + 1)
        widget = (
            forms.Select(choices=[(str(n), str(n)) for n in numbers])
            if setting.pick
            else number_input(setting.low, setting.high)
        )
        field = forms.CharField(label=setting.page_label, widget=widget)
    elif isinstance(setting, ChoiceSetting):
        field = forms.CharField(label=setting.label, widget=forms.RadioSelect(choices=list(setting.choices)))
    elif setting is EQUIPMENT:
        field = equipment_field(setting.label)
    elif setting is TIME_ZONE:
        choices = [(name, name.replace("_", " ")) for name in TIME_ZONE_NAMES]
        field = forms.CharField(label=setting.label, widget=forms.Select(choices=choices))
    else:
        raise ValueError(f"the settings page has no field for {setting.name}")
    field.required = False
    return field


# The week is a row per day (below); every other setting is one field.
PAGE_SETTINGS = tuple(setting for setting in SETTINGS if setting is not RUNS)


class SettingsForm(forms.Form):
    """The usual week (a row per day: type and minutes) and how the runner likes to train: a field for each
    setting of the settings' table, in its order."""

    def __init__(self, *args: Any, runs: list[Run] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update({setting.name: setting_field(setting) for setting in PAGE_SETTINGS})
        counts: dict[Day, int] = {}
        if self.is_bound:
            for day in DAYS:
                counts[day] = sum(1 for n in range(MAX_RUNS_PER_DAY) if f"run-{day.value}-{n}-type" in self.data)
        else:
            for run in runs or []:
                counts[run.day] = counts.get(run.day, 0) + 1
        self.rows = run_rows(counts)
        seen: dict[Day, int] = {}
        initial_runs: dict[tuple[Day, int], Run] = {}
        for run in runs or []:
            initial_runs[(run.day, seen.get(run.day, 0))] = run
            seen[run.day] = seen.get(run.day, 0) + 1
        for row in self.rows:
            initial = initial_runs.get((row.day, row.number))
            self.fields[row.type_name] = forms.CharField(
                label=f"{row.label}: type of run",
                required=False,
                initial=initial.type.value if initial else "",
                widget=forms.Select(choices=RUN_TYPE_CHOICES),
            )
            self.fields[row.minutes_name] = forms.CharField(
                label=f"{row.label}: minutes",
                required=False,
                initial=initial.minutes if initial else "",
                widget=number_input(1, MAX_RUN_MINUTES),
            )
        # The week comes first on the page, and so in the list of problems.
        self.order_fields([name for row in self.rows for name in (row.type_name, row.minutes_name)])
        self.valid: ValidSettings | None = None

    def problems(self) -> list[str]:
        """Every message, in the order of the fields on the page."""
        messages = [str(e) for e in self.non_field_errors()]
        return messages + [str(e) for name in self.fields for e in self.errors.get(name, [])]

    def row_fields(self) -> list[tuple[RunRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[row.type_name], self[row.minutes_name]) for row in self.rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        runs: list[dict[str, Any]] = []
        run_fields: list[RunRow] = []
        for row in self.rows:
            kind = (cleaned.get(row.type_name) or "").strip()
            minutes = (cleaned.get(row.minutes_name) or "").strip()
            if not kind and not minutes:
                continue
            if not kind:
                self.add_error(row.type_name, f"{row.label}: choose the type of run, or clear the minutes.")
                continue
            runs.append({"day": row.day.value, "type": kind, "minutes": number_from_text(minutes)})
            run_fields.append(row)
        ticked = cleaned.get("equipment") or []
        equipment: list[str] | str = [word for word in ticked if word != BODY_WEIGHT]
        if BODY_WEIGHT in ticked and equipment:
            self.add_error("equipment", "Equipment at hand: tick None (body weight only) or what you have, not both.")
        data = {
            "runs": runs,
            "equipment": equipment,
            **{setting.name: number_from_text(cleaned.get(setting.name, "")) for setting in NUMBER_SETTINGS},
            AGE_BAND.name: cleaned.get(AGE_BAND.name, ""),
            "time_zone": cleaned.get("time_zone") or None,
        }
        try:
            valid = validate_settings(data)
        except SettingsInvalidError as error:
            for problem in error.problems:
                name, label = self._field_of(problem.field, run_fields)
                self.add_error(name, f"{label}: {problem.allowed}.")
            return cleaned
        if not self.errors:
            self.valid = valid
        return cleaned

    def _field_of(self, field: str, run_fields: list[RunRow]) -> tuple[str | None, str]:
        """The form field (and its label) a core field name such as ``runs[2].minutes`` points at."""
        if field.startswith("runs["):
            index = int(field[5 : field.index("]")])
            row = run_fields[index]
            if field.endswith(".type"):
                return row.type_name, f"{row.label}, type of run"
            return row.minutes_name, f"{row.label}, minutes"
        if field in self.fields:
            label = self.fields[field].label or field
            if field in MINUTE_FIELDS:
                label = f"Minutes {label[0].lower()}{label[1:]}"
            return field, str(label)
        return None, field


def initial_for(data: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from the settings as ``settings_data`` gives them."""
    equipment = data["equipment"]
    ticked = [word.value for word in Equipment] if equipment is None else (list(equipment) or [BODY_WEIGHT])
    return {
        "equipment": ticked,
        **{s.name: str(data[s.name]) if s.whole else f"{data[s.name]:g}" for s in NUMBER_SETTINGS},
        AGE_BAND.name: data[AGE_BAND.name],
        "time_zone": data["time_zone"],
    }


ONE_OFF_LABELS = {
    "context": "For",
    "minutes": "Minutes I have",
    "seconds": "Minutes I have",
    "equipment": "Equipment at hand",
}


class OneOffForm(forms.Form):
    """A session now ("I have 6 minutes before a run"): a context, the minutes, and optionally the equipment at hand.

    The player's address carries the time as ``seconds`` (what the card composed, exactly); a runner types minutes.
    """

    context = forms.CharField(
        label="For",
        widget=forms.Select(choices=[(context.value, CONTEXT_LABELS[context]) for context in Context]),
    )
    minutes = forms.CharField(label="Minutes I have", widget=number_input(MIN_MINUTES, MAX_MINUTES))
    seconds = forms.CharField(widget=forms.HiddenInput)
    equipment = equipment_field("Equipment at hand (leave empty for your usual)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("context", "minutes", "seconds"):
            self.fields[name].required = False
        self.request: SessionRequest | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ticked = cleaned.get("equipment") or []
        equipment: list[str] | None = [word for word in ticked if word != BODY_WEIGHT] if ticked else None
        if BODY_WEIGHT in ticked and equipment:
            self.add_error("equipment", "Equipment at hand: tick None (body weight only) or what you have, not both.")
            return cleaned
        minutes, seconds = cleaned.get("minutes", ""), cleaned.get("seconds", "")
        try:
            self.request = parse_session_request(
                cleaned.get("context", ""),
                minutes=number_from_text(minutes) if minutes or not seconds else None,
                seconds=number_from_text(seconds) if seconds and not minutes else None,
                equipment=equipment,
            )
        except RequestInvalidError as error:
            for problem in error.problems:
                name = "minutes" if problem.field == "seconds" else problem.field
                field = name if name in ONE_OFF_LABELS else None
                self.add_error(field, f"{ONE_OFF_LABELS.get(problem.field, problem.field)}: {problem.allowed}.")
        return cleaned
