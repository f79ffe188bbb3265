"""A request for one session is parsed once, with one set of bounds, whichever door it comes through."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipcoach.core.planner import (
    MAX_MINUTES,
    MIN_MINUTES,
    Context,
    RequestInvalidError,
    compose_requested,
    compose_session,
    number_from_text,
    parse_session_request,
)
from hipcoach.core.profile import Profile
from hipcoach.core.vocabulary import Equipment


def problems_of(**fields: object) -> dict[str, str]:
    with pytest.raises(RequestInvalidError) as refused:
        parse_session_request(**fields)  # type: ignore[arg-type]  # the fields as a door sends them
    return {problem.field: problem.allowed for problem in refused.value.problems}


@pytest.mark.parametrize("minutes", [0, 0.5, 0.999, -1, 120.01, 1e9, math.inf, math.nan, True, "six", "", None])
def test_minutes_outside_one_to_a_hundred_and_twenty_are_refused_with_the_same_words(minutes: object) -> None:
    assert problems_of(context="pre-run", minutes=minutes) == {"minutes": "a number of minutes from 1 to 120"}


def test_minutes_become_whole_seconds_once() -> None:
    request = parse_session_request("pre-run", minutes=1.00833349)
    assert request.seconds == 61
    assert parse_session_request("pre-run", seconds=request.seconds) == request


def test_the_seconds_of_a_request_are_the_budget_the_session_gets() -> None:
    request = parse_session_request("post-run", minutes=1.00833349)
    assert compose_requested(Profile(), request).budget_seconds == 61


@given(st.integers(MIN_MINUTES * 60, MAX_MINUTES * 60))
def test_a_session_of_n_seconds_is_planned_for_exactly_n_seconds(seconds: int) -> None:
    request = parse_session_request("rest-day", seconds=seconds)
    session = compose_session(Profile(), request.context, request.minutes, None, 2, catalogue=None)
    assert session.budget_seconds == seconds


def test_every_problem_is_named_at_once() -> None:
    assert problems_of(context="warm-up", minutes=0, equipment=["trampoline"], level=9) == {
        "context": "pre-run, post-run, strength, rest-day, standing-series, floor-sequence",
        "minutes": "a number of minutes from 1 to 120",
        "equipment": "foam-roller, massage-ball, band, bench, dumbbell",
        "level": "a whole number from 1 to 5",
    }


def test_the_terminal_names_its_options() -> None:
    assert set(problems_of(context="pre-run", minutes=0, option_prefix="--")) == {"--minutes"}


def test_without_minutes_the_runners_usual_minutes_for_the_context_apply() -> None:
    usual = {Context.PRE_RUN: 8.0}
    assert parse_session_request("pre-run", default_minutes=usual.__getitem__).seconds == 480
    assert problems_of(context="pre-run") == {"minutes": "a number of minutes from 1 to 120"}


def test_equipment_is_kept_in_the_vocabularys_order_and_none_means_the_usual() -> None:
    assert parse_session_request("pre-run", minutes=5, equipment=["band", "foam-roller"]).equipment == (
        Equipment.FOAM_ROLLER,
        Equipment.BAND,
    )
    assert parse_session_request("pre-run", minutes=5, equipment=[]).equipment == ()
    assert parse_session_request("pre-run", minutes=5).equipment is None


@pytest.mark.parametrize(("typed", "read"), [("6", 6), (" 6.5 ", 6.5), ("six", "six"), ("", ""), (7, 7)])
def test_a_typed_number_is_read_as_a_number_and_anything_else_left_for_the_parser(typed: object, read: object) -> None:
    assert number_from_text(typed) == read
