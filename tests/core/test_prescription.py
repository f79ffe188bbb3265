"""A clinician's prescription: read with every field checked by name, and honoured by the planner and the week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Context, PlannerInputError, build_problem, compose_session
from hipcoach.core.prescription import (
    NOTE_MAX_LENGTH,
    Prescription,
    PrescriptionError,
    blocked_drills,
    dose_limits,
    parse_prescription,
    swap,
)
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.vocabulary import Caution
from hipcoach.core.week import plan_week

CATALOGUE = default_catalogue()
ON = date(2026, 3, 2)


def prescribed(*drills: dict[str, Any], per_week: int | None = None) -> Prescription:
    data = {"prescribed_by": "Sam Carter", "prescribed_on": ON.isoformat(), "drills": list(drills)}
    if per_week is not None:
        data["sessions_per_week"] = per_week
    return parse_prescription(data)


def test_a_prescription_reads_each_drill_and_says_who_and_when() -> None:
    prescription = prescribed(
        {"drill_id": "clamshell", "pinned": True, "sets": 3, "amount": 12, "locked": True, "note": " Knee out "},
        {"drill_id": "pigeon-pose", "removed": True},
        per_week=4,
    )
    assert prescription.pinned == ("clamshell",)
    assert prescription.removed == {"pigeon-pose"}
    assert prescription.locked == {"clamshell"}
    assert prescription.note_of("clamshell") == "Knee out"
    assert prescription.signature == "Prescribed by Sam Carter, 2 March 2026"


@pytest.mark.parametrize(
    ("drills", "field", "allowed"),
    [
        ([{"drill_id": "no-such-drill"}], "drills[0].drill_id", "a drill in the catalogue"),
        ([{"drill_id": "clamshell"}, {"drill_id": "clamshell"}], "drills[1].drill_id", "at most once"),
        ([{"drill_id": "clamshell", "pinned": True, "removed": True}], "drills[0].removed", "pinned or removed"),
        ([{"drill_id": "clamshell", "sets": 9}], "drills[0].sets", "from 1 to 3"),
        ([{"drill_id": "clamshell", "amount": 99}], "drills[0].amount", "repetitions from"),
        ([{"drill_id": "pigeon-pose", "amount": 400}], "drills[0].amount", "seconds of hold from"),
        ([{"drill_id": "clamshell", "amount": True}], "drills[0].amount", "a whole number"),
        ([{"drill_id": "clamshell", "pinned": "yes"}], "drills[0].pinned", "true or false"),
        ([{"drill_id": "clamshell", "removed": True, "sets": 2}], "drills[0].removed", "given a dose"),
        ([{"drill_id": "clamshell", "note": "x" * (NOTE_MAX_LENGTH + 1)}], "drills[0].note", "at most 2000"),
        ([{"drill_id": "clamshell", "note": "a\x00b"}], "drills[0].note", "text"),
        ([{"drill_id": "clamshell", "colour": "red"}], "drills[0].colour", "only drill_id"),
        ("clamshell", "drills", "a list of drills"),
    ],
)
def test_a_bad_drill_is_refused_naming_the_field_and_what_is_allowed(drills: Any, field: str, allowed: str) -> None:
    with pytest.raises(PrescriptionError) as raised:
        parse_prescription({"prescribed_by": "Sam", "prescribed_on": "2026-03-02", "drills": drills})
    assert raised.value.field == field
    assert allowed in raised.value.allowed
    assert isinstance(raised.value, PlannerInputError)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sessions_per_week": 0}, "sessions_per_week"),
        ({"sessions_per_week": 8}, "sessions_per_week"),
        ({"sessions_per_week": 3.5}, "sessions_per_week"),
        ({"prescribed_by": " "}, "prescribed_by"),
        ({"prescribed_on": "2 March"}, "prescribed_on"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_bad_prescription_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    data = {"prescribed_by": "Sam", "prescribed_on": "2026-03-02", "drills": [], **change}
    with pytest.raises(PrescriptionError) as raised:
        parse_prescription(data)
    assert raised.value.field == field


def test_a_dose_may_reach_what_any_context_allows_the_drill_and_no_further() -> None:
    # The clamshell is 2-3 x 10-15 in a strength session (REFERENCE 4) and 6-15 under 18 (REFERENCE 8).
    amount, sets = dose_limits(CATALOGUE.get("clamshell"))
    assert amount[0] <= 6
    assert amount[1] >= 15
    assert sets[1] >= 3


def test_a_swap_removes_one_drill_and_pins_the_other() -> None:
    swapped = swap(
        prescribed({"drill_id": "glute-bridge", "pinned": True, "note": "Slow"}), "glute-bridge", "clamshell"
    )
    assert swapped.removed == {"glute-bridge"}
    assert swapped.pinned == ("clamshell",)
    with pytest.raises(PrescriptionError, match=r"swap\.in"):
        swap(swapped, "clamshell", "clamshell")


def test_a_removed_drill_never_comes_back_and_a_pinned_one_is_always_there() -> None:
    plain = compose_session(Profile(), "strength", 20, None, 2)
    out = plain.drill_ids[0]
    prescription = prescribed({"drill_id": out, "removed": True}, {"drill_id": "fire-hydrant", "pinned": True})
    session = compose_session(Profile(), "strength", 20, None, 2, prescription=prescription)
    assert out not in session.drill_ids
    assert "fire-hydrant" in session.drill_ids
    assert session.prescribed_by == "Sam Carter"
    assert session.prescribed_on == ON


def test_the_dose_starts_where_the_clinician_set_it_and_a_note_rides_with_the_drill() -> None:
    prescription = prescribed({"drill_id": "clamshell", "pinned": True, "sets": 3, "amount": 14, "note": "Knee out"})
    session = compose_session(Profile(), "strength", 20, None, 2, prescription=prescription)
    item = next(item for item in session.items if item.drill_id == "clamshell")
    assert item.dose == "14 reps per side x 3 sets"
    assert item.note == "Knee out"
    assert "Dose set by your clinician." in item.why


def test_an_unlocked_dose_moves_on_with_the_log_and_a_locked_one_stays() -> None:
    progressed = {"clamshell": DoseState(drill_id="clamshell", amount=15, sets=3)}
    free = prescribed({"drill_id": "clamshell", "pinned": True, "sets": 2, "amount": 10})
    locked = prescribed({"drill_id": "clamshell", "pinned": True, "sets": 2, "amount": 10, "locked": True})
    doses = {}
    for name, prescription in (("free", free), ("locked", locked)):
        session = compose_session(Profile(), "strength", 20, None, 2, dose_states=progressed, prescription=prescription)
        doses[name] = next(item.dose for item in session.items if item.drill_id == "clamshell")
    assert doses == {"free": "15 reps per side x 3 sets", "locked": "10 reps per side x 2 sets"}


def test_a_context_still_holds_a_prescribed_dose_to_its_safety_range() -> None:
    # Before a run a warm-up does one set, and a static hold is at most 30 s a side (REFERENCE 4).
    prescription = prescribed({"drill_id": "pigeon-pose", "pinned": True, "sets": 2, "amount": 60})
    session = compose_session(Profile(), "pre-run", 15, None, 2, prescription=prescription)
    item = next(item for item in session.items if item.drill_id == "pigeon-pose")
    assert item.sets == 1
    assert all(dose.amount <= 30 for dose in item.doses)


def test_a_pinned_drill_that_does_not_fit_the_minutes_is_named_in_the_notes() -> None:
    prescription = prescribed({"drill_id": "clamshell", "pinned": True}, {"drill_id": "pigeon-pose", "pinned": True})
    session = compose_session(Profile(), "pre-run", 2, None, 2, prescription=prescription)
    unfit = [note for note in session.notes if note.startswith("Prescribed but did not fit")]
    assert unfit
    for drill_id, name in (("clamshell", "Clamshell"), ("pigeon-pose", "Pigeon pose")):
        assert drill_id in session.drill_ids or name in unfit[0]


def test_safety_wins_a_pinned_drill_the_precautions_exclude_is_never_given() -> None:
    excluded = next(drill for drill in CATALOGUE if drill.cautions and "strength" in {p.value for p in drill.phases})
    caution = excluded.cautions[0]
    profile = Profile(precautions=[caution])
    prescription = prescribed({"drill_id": excluded.id, "pinned": True})
    session = compose_session(profile, "strength", 30, None, 5, prescription=prescription)
    assert excluded.id not in session.drill_ids
    assert caution.value in blocked_drills(profile, prescription)[excluded.id]
    assert blocked_drills(Profile(), prescription) == {}


def test_the_week_plans_the_prescribed_recovery_sessions_and_every_session_follows_it() -> None:
    prescription = prescribed(
        {"drill_id": "clamshell", "pinned": True}, {"drill_id": "pigeon-pose", "removed": True}, per_week=5
    )
    week = plan_week(Profile(), ["tue:tempo:45", "sat:long:90"], prescription=prescription)
    recovery = week.count(Context.POST_RUN) + week.count(Context.REST_DAY)
    assert recovery == 5
    sessions = [planned.session for day in week.days for planned in day.sessions]
    assert all("pigeon-pose" not in session.drill_ids for session in sessions)
    assert all("clamshell" in session.drill_ids for session in sessions if session.context is not Context.POST_RUN)
    assert {session.prescribed_by for session in sessions} == {"Sam Carter"}
    default = plan_week(Profile(), ["tue:tempo:45", "sat:long:90"])
    assert default.count(Context.POST_RUN) + default.count(Context.REST_DAY) == 3


def test_seven_prescribed_recovery_sessions_fit_any_week() -> None:
    runs = [f"{day}:easy:30" for day in ("mon", "tue", "wed", "thu", "fri", "sat")]
    week = plan_week(Profile(), runs, prescription=prescribed(per_week=7))
    assert week.count(Context.POST_RUN) + week.count(Context.REST_DAY) == 7
    crowded = plan_week(Profile(), ["mon:easy:30"], prescription=prescribed(per_week=7))
    assert crowded.count(Context.POST_RUN) + crowded.count(Context.REST_DAY) == 7


# --------------------------------------------------------------------------------------------------
# Properties over random runners, contexts, budgets and prescriptions
# --------------------------------------------------------------------------------------------------


DRILL_IDS = [drill.id for drill in CATALOGUE]
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def prescriptions(draw: st.DrawFn) -> Prescription:
    chosen = draw(st.lists(st.sampled_from(DRILL_IDS), unique=True, max_size=8))
    drills = []
    for drill_id in chosen:
        what = draw(st.sampled_from(["pinned", "removed", "dose"]))
        entry: dict[str, Any] = {"drill_id": drill_id, "pinned": what == "pinned", "removed": what == "removed"}
        if what != "removed" and draw(st.booleans()):
            (low, high), (sets_low, sets_high) = dose_limits(CATALOGUE.get(drill_id))
            entry.update(amount=draw(st.integers(low, high)), sets=draw(st.integers(sets_low, sets_high)))
            entry["locked"] = draw(st.booleans())
        drills.append(entry)
    per_week = draw(st.one_of(st.none(), st.integers(1, 7)))
    return prescribed(*drills, per_week=per_week)


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "profile": Profile(precautions=draw(st.lists(st.sampled_from(list(Caution)), max_size=3, unique=True))),
        "context": draw(st.sampled_from(list(Context))),
        "minutes": draw(st.integers(1, 40)),
        "equipment": draw(st.one_of(st.none(), st.just([]))),
        "level": draw(st.integers(1, 5)),
        "seed": draw(st.integers(0, 2**31)),
        "prescription": draw(prescriptions()),
    }


@PROPERTY_SETTINGS
@given(inputs())
def test_a_removed_drill_never_appears(given_input: dict[str, Any]) -> None:
    session = compose_session(**given_input)
    assert not set(session.drill_ids) & given_input["prescription"].removed


@PROPERTY_SETTINGS
@given(inputs())
def test_a_drill_the_precautions_exclude_never_appears_whatever_is_prescribed(given_input: dict[str, Any]) -> None:
    session = compose_session(**given_input)
    precautions = set(given_input["profile"].precautions)
    for drill_id in session.drill_ids:
        assert not set(CATALOGUE.get(drill_id).cautions) & precautions, drill_id


@PROPERTY_SETTINGS
@given(inputs())
def test_a_pinned_eligible_drill_appears_or_the_notes_say_it_did_not_fit(given_input: dict[str, Any]) -> None:
    session = compose_session(**given_input)
    problem, _ = build_problem(
        **{name: value for name, value in given_input.items() if name != "prescription"},
        prescription=given_input["prescription"],
    )
    candidates = {candidate.drill.id: candidate.drill.name for candidate in problem.candidates}
    unfit = " ".join(note for note in session.notes if note.startswith("Prescribed but did not fit"))
    for drill_id in given_input["prescription"].pinned:
        if drill_id in candidates:
            assert drill_id in session.drill_ids or candidates[drill_id] in unfit


@PROPERTY_SETTINGS
@given(inputs(), st.sampled_from(DRILL_IDS))
def test_one_pinned_eligible_drill_always_appears_when_it_fits_with_the_closing_drill(
    given_input: dict[str, Any], drill_id: str
) -> None:
    given_input = {**given_input, "prescription": prescribed({"drill_id": drill_id, "pinned": True})}
    built, _ = build_problem(**given_input)
    problem = replace(built, required=(), pinned=(), release=(), activation=())  # the time and the rules of form only
    group = [index for index, candidate in enumerate(problem.candidates) if candidate.drill.id == drill_id]
    closings = [index for index, candidate in enumerate(problem.candidates) if candidate.closing]
    if problem.closing_required:
        fits = any(problem.feasible([index, closing]) for index in group for closing in closings if closing != index)
        fits = fits or any(problem.feasible([index]) for index in group if problem.candidates[index].closing)
    else:
        fits = any(problem.feasible([index]) for index in group)
    assume(fits)
    assert drill_id in compose_session(**given_input).drill_ids
