"""The screen wizard's state and forms: one step a page, the answers so far kept in the session.

The steps are the questions about the runner, the safety questions, then the home tests in the order
the core gives (unloaded first). Every value is validated by the core's answer model, so the web and the
terminal accept and refuse exactly the same answers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase

from hipcoach.core.safety import Approach, EnergySign, RedFlag
from hipcoach.core.screen import (
    AGE_MAX,
    AGE_MIN,
    INJURY_CONDITIONS,
    MAX_KM_PER_WEEK,
    OTHER_INJURIES,
    TEST_STEPS,
    InputKind,
    ScreenAnswers,
    ScreenInputError,
    Sex,
    StepInput,
    TestId,
    TestStep,
    answers_with_test,
    parse_answers,
    skipped_tests,
)
from hipcoach.core.vocabulary import Condition, Side

SESSION_KEY = "screen_draft"
ABOUT, SAFETY, REVIEW = "about", "safety", "review"
STEP_NAMES = [ABOUT, SAFETY, *(step.id.value for step in TEST_STEPS), REVIEW]
YES_NO = [("", "—"), ("yes", "Yes"), ("no", "No")]
REQUIRED_YES_NO = [("yes", "Yes"), ("no", "No")]


@dataclass
class Draft:
    """The answers given so far and the key that makes saving them idempotent."""

    key: str
    data: dict[str, Any]

    @classmethod
    def start(cls, session: SessionBase) -> Draft:
        draft = cls(key=uuid.uuid4().hex, data={})
        draft.save(session)
        return draft

    @classmethod
    def load(cls, session: SessionBase) -> Draft | None:
        stored = session.get(SESSION_KEY)
        return None if stored is None else cls(key=stored["key"], data=stored["data"])

    def save(self, session: SessionBase) -> None:
        session[SESSION_KEY] = {"key": self.key, "data": self.data}

    @staticmethod
    def clear(session: SessionBase) -> None:
        session.pop(SESSION_KEY, None)

    def answers(self) -> ScreenAnswers | None:
        """The answers so far, once the questions and safety steps are done (tests are optional)."""
        try:
            return parse_answers(self.data)
        except ScreenInputError:
            return None

    def has_answered(self, step: str) -> bool:
        if step == ABOUT:
            return "age" in self.data
        if step == SAFETY:
            # Every safety question, the low-energy one included: a draft begun before it existed asks it again.
            return "red_flags" in self.data and self.data.get("low_energy") is not None
        return step in self.data.get("tests", {})


def next_step(draft: Draft, after: str) -> str:
    """The step that follows ``after``, passing over tests that the answers so far rule out."""
    answers = draft.answers()
    skipped = {test.value for test in skipped_tests(answers)} if answers else set()
    for name in STEP_NAMES[STEP_NAMES.index(after) + 1 :]:
        if name not in skipped:
            return name
    return REVIEW


def previous_step(draft: Draft, before: str) -> str | None:
    answers = draft.answers()
    skipped = {test.value for test in skipped_tests(answers)} if answers else set()
    earlier = [name for name in STEP_NAMES[: STEP_NAMES.index(before)] if name not in skipped]
    return earlier[-1] if earlier else None


# ---- the questions ---------------------------------------------------------------------------------


class AboutForm(forms.Form):
    age = forms.IntegerField(min_value=AGE_MIN, max_value=AGE_MAX, label="Your age (years)")
    sex = forms.ChoiceField(
        choices=[("", "Prefer not to say"), *((s.value, s.description) for s in Sex)], required=False, label="Sex"
    )
    sitting_hours_per_day = forms.FloatField(
        min_value=0, max_value=24, required=False, label="Hours you sit on a usual day"
    )
    running_km_per_week = forms.FloatField(
        min_value=0, max_value=MAX_KM_PER_WEEK, required=False, label="Kilometres you run in a usual week"
    )
    # The history question asks the injuries that are conditions (REFERENCE.md section 8); this list, the rest.
    injuries = forms.MultipleChoiceField(
        choices=[(i.value, i.description) for i in OTHER_INJURIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Other running injuries you have had",
    )
    pain_now = forms.IntegerField(
        min_value=0, max_value=10, label="Hip, groin or thigh pain right now (0 none, 10 worst)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One question per condition of the history, asked before the other injuries: no, before, or now.
        for condition in Condition:
            self.fields[history_field(condition)] = forms.ChoiceField(
                choices=HISTORY_CHOICES, widget=forms.RadioSelect, required=False, label=condition.description
            )
        order = [name for name in self.fields if name not in {"injuries", "pain_now"}]
        self.order_fields([*order, "injuries", "pain_now"])

    def history_fields(self) -> list[forms.BoundField]:
        return [self[history_field(condition)] for condition in Condition]

    def to_answers(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith(HISTORY_PREFIX)}
        data["sex"] = data["sex"] or None
        answered = {condition: self.cleaned_data.get(history_field(condition)) for condition in Condition}
        data["conditions_now"] = [c.value for c, when in answered.items() if when == NOW]
        data["conditions_before"] = [c.value for c, when in answered.items() if when == BEFORE]
        return data

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = {name: data.get(name) for name in cls.base_fields}
        # A draft that listed a condition among its injuries (before the history question) shows it as "before".
        injuries = data.get("injuries") or []
        initial["injuries"] = [word for word in injuries if word in {i.value for i in OTHER_INJURIES}]
        before = {
            *(data.get("conditions_before") or []),
            *(INJURY_CONDITIONS[i].value for i in INJURY_CONDITIONS if i.value in injuries),
        }
        now = set(data.get("conditions_now") or [])
        for condition in Condition:
            when = NOW if condition.value in now else BEFORE if condition.value in before else NEVER
            initial[history_field(condition)] = when
        return initial


HISTORY_PREFIX = "history_"
NEVER, BEFORE, NOW = "no", "before", "now"
HISTORY_CHOICES = [(NEVER, "No"), (BEFORE, "Before, settled now"), (NOW, "Now")]


def history_field(condition: Condition) -> str:
    return f"{HISTORY_PREFIX}{condition.value.replace('-', '_')}"


class SafetyForm(forms.Form):
    """Every red-flag and low-energy question needs an explicit answer: a safety question is never assumed 'no'."""

    hip_replacement = forms.ChoiceField(
        choices=REQUIRED_YES_NO, widget=forms.RadioSelect, label="Have you had a hip replacement?"
    )
    replacement_side = forms.ChoiceField(
        choices=[("", "—"), *((s.value, s.description) for s in Side)], required=False, label="Which hip?"
    )
    replacement_approach = forms.ChoiceField(
        choices=[("", "—"), *((a.value, f"{a.value}: {a.description}") for a in Approach)],
        required=False,
        label="How was it done (the surgical approach)?",
    )
    replacement_cleared = forms.ChoiceField(
        choices=YES_NO,
        required=False,
        label="Has your surgeon or physiotherapist cleared you for mobility work on your own?",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flag in RedFlag:
            self.fields[f"flag_{flag.value}"] = forms.ChoiceField(
                choices=REQUIRED_YES_NO, widget=forms.RadioSelect, label=flag.question
            )

        for sign in EnergySign:
            self.fields[f"energy_{sign.value}"] = forms.ChoiceField(
                choices=REQUIRED_YES_NO, widget=forms.RadioSelect, label=sign.question
            )

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("flag_")]

    def energy_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("energy_")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("hip_replacement") == "yes":
            for name in ("replacement_side", "replacement_approach", "replacement_cleared"):
                if not cleaned.get(name):
                    self.add_error(name, "Please answer this about your hip replacement.")
        return cleaned

    def to_answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        replacement = None
        if data["hip_replacement"] == "yes":
            replacement = {
                "side": data["replacement_side"],
                "approach": data["replacement_approach"],
                "cleared_by_clinician": data["replacement_cleared"] == "yes",
            }
        flags = [flag.value for flag in RedFlag if data[f"flag_{flag.value}"] == "yes"]
        signs = [sign.value for sign in EnergySign if data[f"energy_{sign.value}"] == "yes"]
        return {"red_flags": flags, "low_energy": signs, "hip_replacement": replacement}

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        if "red_flags" not in data:
            return {}
        initial: dict[str, Any] = {f"flag_{f.value}": "yes" if f.value in data["red_flags"] else "no" for f in RedFlag}
        if data.get("low_energy") is not None:  # never shown as "no" when it was not asked
            initial |= {f"energy_{s.value}": "yes" if s.value in data["low_energy"] else "no" for s in EnergySign}
        replacement = data.get("hip_replacement")
        initial["hip_replacement"] = "yes" if replacement else "no"
        if replacement:
            initial["replacement_side"] = replacement["side"]
            initial["replacement_approach"] = replacement["approach"]
            initial["replacement_cleared"] = "yes" if replacement["cleared_by_clinician"] else "no"
        return initial


# ---- the tests ---------------------------------------------------------------------------------------


def field_name(side: Side | None, item: StepInput) -> str:
    owner = side.value if side else "value"
    return f"{owner}__{item.key}" if item.key else owner


def form_field(item: StepInput, side: Side | None) -> forms.Field:
    label = f"{side.description + ' — ' if side else ''}{item.prompt}"
    if item.kind is InputKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in item.choices)], required=False, label=label)
    if item.kind is InputKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, required=False, label=label)
    # Bounds are left to the core's model so that the message names the field and range the same way
    # everywhere; the browser still gets min and max to guide the keypad.
    attrs = {"inputmode": "numeric" if item.kind is InputKind.WHOLE_NUMBER else "decimal"}
    if item.minimum is not None:
        attrs["min"] = f"{item.minimum:g}"
    if item.maximum is not None:
        attrs["max"] = f"{item.maximum:g}"
    attrs["step"] = "1" if item.kind is InputKind.WHOLE_NUMBER else "any"
    return forms.CharField(required=False, label=label, widget=forms.NumberInput(attrs=attrs))


class TestForm(forms.Form):
    """The inputs of one home test, left then right; a side left blank is 'not measured'.

    A pain answer kept beside a side (the single-leg squat's yes/no, the single-leg stance's lateral hip pain
    0-10, where FABER hurt) is needed when that side is measured, and pain reported counts even without the
    measure, whatever the button. With the side measured, the stance's pain and FABER's pain place go in the
    side's own object. The follow-up red flag, when asked, needs an answer whatever the button: the runner may
    have stopped the test because it hurt and recorded nothing.
    """

    __test__ = False

    FOLLOW_UP_NEEDED = "Please answer this, even if you recorded nothing: it matters most when the test hurt."
    PAIN_NEEDED = "Please say whether it hurt on this side: you recorded a result for it."

    def __init__(self, step: TestStep, *args: Any, ask_follow_up: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for side in self.sides():
            for item in step.inputs:
                self.fields[field_name(side, item)] = form_field(item, side)
        if step.follow_up is not None and ask_follow_up:
            self.fields["follow_up"] = forms.ChoiceField(
                choices=REQUIRED_YES_NO,
                widget=forms.RadioSelect,
                label=step.follow_up.question,
                error_messages={"required": self.FOLLOW_UP_NEEDED},
            )

    def sides(self) -> list[Side | None]:
        return list(self.step.sides) or [None]

    def side_groups(self) -> list[tuple[Side | None, list[forms.BoundField]]]:
        return [(side, [self[field_name(side, item)] for item in self.step.inputs]) for side in self.sides()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data.get("action", "save") == "save":
            for side in self.step.sides:
                if self._side_value(side) is None:
                    continue
                for item in self._beside():
                    if self._typed(item, cleaned.get(field_name(side, item), "")) is None:
                        self.add_error(field_name(side, item), self.PAIN_NEEDED)
        return cleaned

    def test_value(self) -> dict[str, Any] | Any:
        """The test's answer in the answer format; None when nothing was recorded."""
        values = {side: self._side_value(side) for side in self.sides()}
        if not self.step.per_side:
            return values[None]
        recorded: dict[str, Any] = {side.value: value for side, value in values.items() if side and value is not None}
        for side in self.step.sides:
            for item in self._beside():
                answer = self._typed(item, self.cleaned_data.get(field_name(side, item), ""))
                if item.in_side and isinstance(recorded.get(side.value), dict):
                    if answer is not None:  # a missing one is named by clean() or by the core
                        recorded[side.value][item.key] = answer
                elif item.reports_pain(answer) or (answer is not None and side.value in recorded):
                    recorded[item.answer_key(side)] = answer
        return recorded or None

    def reported_pain(self) -> dict[str, Any] | None:
        """The pain reported beside each side (a "yes", a rating above 0, a pain place other than none), for a
        test left unmeasured; None when there is none."""
        reported: dict[str, Any] = {}
        for side in self.step.sides:
            for item in self._beside():
                answer = self._typed(item, self.cleaned_data.get(field_name(side, item), ""))
                if item.reports_pain(answer):
                    reported[item.answer_key(side)] = answer
        return reported or None

    def _beside(self) -> list[StepInput]:
        return [item for item in self.step.inputs if item.beside]

    def _side_value(self, side: Side | None) -> Any:
        given = {
            item.key: self._typed(item, self.cleaned_data.get(field_name(side, item), ""))
            for item in self.step.inputs
            if not item.beside
        }
        given = {key: value for key, value in given.items() if value is not None}
        if not given:
            return None
        return given.get("", given)

    @staticmethod
    def _typed(item: StepInput, raw: str) -> Any:
        if raw in ("", None):
            return None
        if item.kind is InputKind.YES_NO:
            return raw == "yes"
        if item.kind in (InputKind.NUMBER, InputKind.WHOLE_NUMBER):
            try:
                number = float(raw)
            except ValueError:
                return raw  # the core refuses it, naming the field
            return int(number) if number.is_integer() else number
        return raw

    def follow_up_flag(self) -> RedFlag | None:
        if self.step.follow_up is not None and self.cleaned_data.get("follow_up") == "yes":
            return self.step.follow_up
        return None

    def check_values(self, answers: ScreenAnswers) -> None:
        """Name every value the core refuses, for a form already invalid, so one round shows all problems."""
        try:
            answers_with_test(answers, self.step.id, self.test_value())
        except ScreenInputError as error:
            self.show_problems(error)

    def show_problems(self, error: ScreenInputError) -> None:
        prefix = f"tests.{self.step.id.value}"
        for problem in error.problems:
            path, _, message = problem.partition(": ")
            parts = path.removeprefix(prefix).strip(".").split(".") if path.startswith(prefix) else []
            name = self._field_for(parts)
            if name in self.fields and self.has_error(name):
                continue  # already named on its field (a missing pain answer, say): once is enough
            self.add_error(name if name in self.fields else None, message if name in self.fields else problem)

    def _field_for(self, parts: list[str]) -> str:
        if not self.step.per_side:
            return "value"
        side = parts[0] if parts else ""
        beside = {item.answer_key(s): field_name(s, item) for s in self.step.sides for item in self._beside()}
        if side in beside:
            return beside[side]
        return f"{side}__{parts[1]}" if len(parts) > 1 else side

    @classmethod
    def initial_from(cls, step: TestStep, data: dict[str, Any]) -> dict[str, Any]:
        value = data.get("tests", {}).get(step.id.value)
        if value is None:
            return {}
        initial: dict[str, Any] = {}
        for side in step.sides or (None,):
            side_value = value.get(side.value) if side is not None else value
            for item in step.inputs:
                if item.beside:
                    raw = value.get(item.answer_key(side)) if side is not None else None
                    if raw is None and item.in_side and isinstance(side_value, dict):
                        raw = side_value.get(item.key)  # a side recorded holds it in its own object
                elif side_value is None:
                    continue  # a side not measured: its fields stay empty
                else:
                    raw = side_value.get(item.key) if item.key else side_value
                if isinstance(raw, bool):
                    raw = "yes" if raw else "no"
                initial[field_name(side, item)] = raw
        return initial


def record_test(draft: Draft, test: TestId, value: Any, follow_up: RedFlag | None) -> None:
    """Store one test's answer in the draft, validated; raises ScreenInputError naming the field."""
    answers = draft.answers()
    if answers is None:
        raise ScreenInputError(["answers: answer the questions about you and the safety questions first"])
    answers = answers_with_test(answers, test, value)
    if follow_up is not None and follow_up not in answers.red_flags:
        answers = parse_answers({**answers.model_dump(mode="json"), "red_flags": [*answers.red_flags, follow_up]})
    draft.data = answers.model_dump(mode="json", exclude_none=False)
