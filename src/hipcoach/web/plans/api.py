"""POST /api/v1/sessions/compose and POST /api/v1/weeks/plan."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.schema import ANSWERS_REFERENCE, loc_of
from hipcoach.app.screens.profiles import NoSuchScreenError, ProfileChoice, profile_from_answers, profile_from_saved
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.log import DRILLS_MAX, KNOWN_DRILL_IDS, DrillId
from hipcoach.app.training.runner import referral_of
from hipcoach.core._model import WholeNumber
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import (
    MAX_LEVEL,
    MAX_MINUTES,
    MIN_LEVEL,
    MIN_MINUTES,
    Context,
    PlannerInputError,
    Referral,
    ReferralRequired,
    RequestInvalidError,
    Session,
    check_referral,
    compose_requested,
    parse_session_request,
)
from hipcoach.core.profile import Profile
from hipcoach.core.screen import ScreenInputError
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    MAX_RUNS_PER_WEEK,
    MAX_SEED,
    RUNS_ALLOWED,
    RUNS_PER_DAY_SCHEMA,
    RunText,
    Week,
    WeekPreferences,
    parse_runs,
    plan_week,
)
from hipcoach.web.api_errors import SAFETY_CONFLICT, ErrorMessage, FieldProblems
from hipcoach.web.limits import KB, MAX_ID, body_limit
from hipcoach.web.screens.api import field_errors
from hipcoach.web.screens.owner import owner_of

# Room for a screen's answers (as POST /api/v1/screens takes them) and the request's own fields.
MAX_PLAN_BYTES = 128 * KB
# The planner varies a session from the last few; more than ten sessions back changes nothing.
MAX_RECENT_SESSIONS = 10
# Answers sent with a plan are read by the screen's own parser (a 422 names each field); the description states
# their format, the one POST /api/v1/screens takes.
ScreenAnswers = Annotated[dict[str, Any], WithJsonSchema(ANSWERS_REFERENCE)]
router = Router(tags=["plans"])
PLAN_DESCRIPTION = (
    "Planned from the screen answers sent (they answer the safety questions), else from one of your saved screens. "
    + SAFETY_CONFLICT
)


class ProfileSource(Schema):
    # A field the description does not name is refused (a 422 naming it), as every other body of the API does.
    model_config = ConfigDict(extra="forbid")

    screen: ScreenAnswers | None = Field(
        default=None, description="Screen answers to plan from (the screen's answer format), scored now."
    )
    screen_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="One of your saved screens (404 when you have none with this id); default: the latest.",
    )


class ComposeRequest(ProfileSource):
    context: Context
    # The minutes reach parse_session_request as sent, as they do from every other door (a true is not a minute):
    # the same minutes get the same answer from the page, the API and the terminal.
    minutes: Any = Field(
        description=f"The time there is, in minutes: {MIN_MINUTES}-{MAX_MINUTES}.",
        json_schema_extra={"type": "number", "minimum": MIN_MINUTES, "maximum": MAX_MINUTES},
    )
    equipment: list[Equipment] | None = Field(
        default=None,
        max_length=len(Equipment),
        description="Equipment at hand; [] for body weight only; null for everything.",
    )
    level: WholeNumber = Field(
        default=2,
        description=f"{MIN_LEVEL}-{MAX_LEVEL}: the hardest drill level to include.",
        json_schema_extra={"minimum": MIN_LEVEL, "maximum": MAX_LEVEL},
    )
    seed: WholeNumber = Field(
        default=0, ge=0, le=MAX_SEED, description="The same input and seed give the same session."
    )
    recent_history: list[Annotated[list[DrillId], Field(max_length=DRILLS_MAX)]] = Field(
        default_factory=list,
        max_length=MAX_RECENT_SESSIONS,
        description="Drill ids of recent sessions, the most recent first.",
    )


class WeekRequest(ProfileSource):
    runs: list[RunText] = Field(
        max_length=MAX_RUNS_PER_WEEK,
        json_schema_extra=RUNS_PER_DAY_SCHEMA,
        description=f'Runs as "day:type:minutes" in lower case, e.g. "sat:long:100"; {RUNS_ALLOWED}.',
    )
    preferences: WeekPreferences = Field(default_factory=WeekPreferences)


class PlanOutcome(Schema):
    profile_source: str
    notes: list[str]
    referral: Referral | None = None


class ComposeResponse(PlanOutcome):
    session: Session | None = None


class WeekResponse(PlanOutcome):
    week: Week | None = None


def choose_profile(request: HttpRequest, body: ProfileSource) -> ProfileChoice:
    if body.screen is not None:
        return profile_from_answers(body.screen)
    return profile_from_saved(owner_of(request), body.screen_id)


def standing_referral(request: HttpRequest, body: ProfileSource) -> Referral | None:
    """The referral that stops every plan for this runner, whichever screen or answers the request names.

    A signed-in runner (session or API token) is referred as Today refers them (``referral_of``): their latest
    screen refers, or a session since reported a new warning sign. Neither an older ``screen_id`` nor answers
    sent with the request lift that. An anonymous runner planning from this browser session's screens is held
    to the latest of them the same way; answers an anonymous caller sends are scored as given.
    """
    user = request.user
    if isinstance(user, Runner) and user.is_authenticated:
        try:
            latest = profile_from_saved(ScreenOwner(user=user), None).profile
        except SafetyQuestionsUnansweredError:
            if body.screen is None:
                raise
            latest = Profile()  # no screen on record, but the answers sent answer the safety questions
        return referral_of(user, latest)
    if body.screen is not None:
        return None
    try:
        check_referral(profile_from_saved(owner_of(request), None).profile)
    except ReferralRequired as referral:
        return referral.referral
    return None


def held(profile: Profile, standing: Referral | None) -> Profile:
    """The profile to plan for, marked referring when a standing referral stops the plan.

    The core then checks every input first (a bad field still gets its 422) and refuses to plan, as it does
    for a screen that refers; :func:`told` puts the standing referral in its place.
    """
    if standing is None or profile.refer:
        return profile
    return profile.model_copy(update={"refer": True})


def told(refused: Referral, standing: Referral | None) -> Referral:
    """The referral the runner sees: the standing one, unless the profile planned from refers more urgently."""
    if standing is None or (refused.urgent and not standing.urgent):
        return refused
    return standing


def problem_entry(field: str, message: str) -> dict[str, Any]:
    """A 422's entry naming ``field`` as ninja names its own (``runs[2].day`` -> ``["body", "runs", 2, "day"]``)."""
    return {"type": "value_error", "loc": loc_of(field), "msg": message}


def problem(field: str, message: str) -> Status[dict[str, Any]]:
    return Status(422, {"detail": [problem_entry(field, message)]})


def unknown_recent_drills(history: list[list[str]]) -> list[dict[str, Any]]:
    """A 422 entry for each drill of the recent sessions that the library does not hold (the description's enum)."""
    known = KNOWN_DRILL_IDS
    return [
        {
            "type": "value_error",
            "loc": ["body", "recent_history", session, place],
            "msg": f"{drill_id!r} is not a drill of the library (GET /api/v1/drills)",
        }
        for session, drills in enumerate(history)
        for place, drill_id in enumerate(drills)
        if drill_id not in known
    ]


def planning_errors(plan: Any) -> Status[Any]:
    """Run ``plan(profile_choice)`` and turn every refusal into a 422 naming the field."""
    try:
        return Status(200, plan())
    except ScreenInputError as error:
        return Status(422, {"detail": [{**e, "loc": ["body", "screen", *e["loc"][1:]]} for e in field_errors(error)]})
    except NoSuchScreenError as error:
        return Status(404, {"detail": str(error)})
    except PlannerInputError as error:
        return problem(error.field, str(error))


@router.post(
    "/sessions/compose",
    response={200: ComposeResponse, 404: ErrorMessage, 409: ErrorMessage, 422: FieldProblems},
    summary="Compose one session for a context and the minutes there are",
    description=PLAN_DESCRIPTION,
)
@body_limit(MAX_PLAN_BYTES)
def compose(request: HttpRequest, payload: ComposeRequest) -> Status[Any]:
    body = payload
    unknown = unknown_recent_drills(body.recent_history)
    if unknown:
        return Status(422, {"detail": unknown})

    try:
        wanted = parse_session_request(
            body.context, minutes=body.minutes, equipment=body.equipment, level=body.level, seed=body.seed
        )
    except RequestInvalidError as error:
        return Status(422, {"detail": [problem_entry(p.field, str(p)) for p in error.problems]})

    def plan() -> ComposeResponse:
        choice = choose_profile(request, body)
        standing = standing_referral(request, body)
        try:
            session = compose_requested(
                held(choice.profile, standing), wanted, body.recent_history, catalogue=default_catalogue()
            )
        except ReferralRequired as referral:
            return ComposeResponse(profile_source=choice.source, notes=[], referral=told(referral.referral, standing))
        return ComposeResponse(profile_source=choice.source, notes=[], session=session)

    return planning_errors(plan)


@router.post(
    "/weeks/plan",
    response={200: WeekResponse, 404: ErrorMessage, 409: ErrorMessage, 422: FieldProblems},
    summary="Plan the week's sessions around the runs",
    description=PLAN_DESCRIPTION,
)
@body_limit(MAX_PLAN_BYTES)
def plan(request: HttpRequest, payload: WeekRequest) -> Status[Any]:
    body = payload

    def make() -> WeekResponse:
        runs = parse_runs(body.runs, strict=True)  # as the description states them; the terminal's are lenient
        choice = choose_profile(request, body)
        standing = standing_referral(request, body)
        try:
            week = plan_week(held(choice.profile, standing), runs, body.preferences)
        except ReferralRequired as referral:
            return WeekResponse(profile_source=choice.source, notes=[], referral=told(referral.referral, standing))
        return WeekResponse(profile_source=choice.source, notes=[], week=week)

    return planning_errors(make)
