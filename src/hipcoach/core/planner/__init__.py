"""One session: the drills for a context and a time budget, personalised to the runner's screen.

:func:`compose_session` chooses the drills, orders them, doses them and times them.

**Candidates.** A drill can be chosen only when it belongs to the context's phase, none of its
``cautions`` meets the profile's precautions, its equipment is at hand (``equipment=None`` allows
everything, an empty list is body weight only) and its level is at most the runner's (a drill the
runner progressed to, i.e. with a dose state, is allowed above it). Each candidate sits in a *slot*
of the context's sequence (below); within a slot drills go in the article's order where it gives one
(the glute chain, the floor sequence), then grouped by body position so that the runner changes
position as rarely as possible.

**Objective.** Over the set ``S`` of chosen drills the composer maximises

    V(S) = sum over restrictions r of  w_r * (1 + b + b^2 + ... + b^(n_r(S)-1))        coverage
         + sum over slots s of         F_s * (1 + g_s + ... + g_s^(n_s(S)-1))           phase fit
         + sum over drills d in S of   a_d - 0.002 * recent_d + 0.000001 * u_d          drill terms

where ``w_r`` is the severity of restriction ``r`` summed over its findings, a finding on both sides
counting twice (severity and side); ``n_r(S)`` is how many chosen drills address it, with diminishing
returns ``b = 0.5`` for covering the same thing again; ``F_s`` and ``g_s`` are a slot's weight and its
own diminishing return (so a session spreads across the article's sequence); ``a_d`` is a small bonus
for a drill the article names for this context, for the top of the glute chain at the runner's level
and for a drill the runner progressed to; ``recent_d`` is how recently the drill was done (1 for the
last session, 1/2 the one before, ...), a tie-break that varies sessions when values are equal; and
``u_d`` in [0, 1) is drawn from the seed, the last tie-break, so the same input and seed always give
the same session. It is maximised subject to:

* the total time at the drills' base doses (setup, work on every side, side switches, rests between
  sets, transitions between positions; :mod:`hipcoach.core.timeline`) within the budget;
* a drill at most once; before a run, exactly one closing dynamic drill whenever the session is not
  empty (it goes last: REFERENCE.md section 4, static stretching is followed by dynamic movement);
* before a run, the static holds on any one target (a drill's ``targets``), summed over the session,
  under 60 s on each side (REFERENCE.md section 4: 60 s or more per muscle before a run costs
  performance). A static hold is a work step in hold seconds (or the timed work of a static stretch);
* **must-haves first**: for each finding with a named answer (:data:`MUST_HAVES`: the half-kneeling hip
  flexor stretch for tight hip flexors, the clamshell or monster walk for weak abductors, ... each row
  with its source), heaviest finding first, a drill of it whenever it fits with those before it
  (``SelectionProblem.required``);
* glute activation with any hip flexor release work when an activation drill fits (the article, Bum
  Activation: "Following hip flexor release work, proper glute activation becomes a natural next step");
* before a run, the closing drill serves one of the runner's findings whenever one that does fits.

A drill's dose is its base dose: the bottom of its range in the context, or its progression state. The
side the screen found really tighter (``Profile.emphasis``: a left/right difference beyond measurement
error, or a test positive on one side only; REFERENCE 2) gets one more set of a one-sided drill
(``each``), or failing that a longer hold or more repetitions; entries that disagree for a drill's
restrictions give no side. Severities never pick a side.

**Search.** Greedy passes add the best drill by value per second and by value (before a run, also
starting from each of the most promising closing drills); the best distinct starts are improved by
local search (add what fits; swap one drill for one; drop one and refill greedily; on catalogue-sized
problems also drop one for two) until no move improves ``V``; every start holds the problem's
``witness`` (a selection meeting the rules above) and no move breaks a rule. Drills alike in slot, position and
coverage form classes whose shared marginal value is computed once, which keeps a 1,000-drill
catalogue fast. ``bench/bench_planner.py`` compares the result with the exact optimum of ``V`` (see
:class:`SelectionProblem`, which holds the problem as data).

**Doses by tolerance.** A dose is never raised to fill the minutes (REFERENCE 4: from 2x10 to 3x15 over
weeks, through the progression log). Spare minutes go to another drill that helps (the search adds
drills while they fit), or the session ends early and its notes say so ("Ends about N min early ...").
Each item's ``why`` says its dose: "2 x 10, the bottom of 2-3 x 10-15: the log's progression raises it
(REFERENCE 4)". Under 18, activation and strength work is 1-3 sets of 6-15 from the bottom, supervised
(REFERENCE 8, NSCA). The time is the timeline's (:mod:`hipcoach.core.timeline`), so the session's total
and the timeline's cannot differ.

**Rules per context** (the article; REFERENCE.md section 4): before a run, release, dynamic drills,
activation, rotators and openers, and a dynamic drill last, one set each, static holds at most 30 s a
side and under 60 s per target a side in all; after a run, foam rolling, static stretches held 20-30 s
(30-60 s from age 65), gentle rotations; strength, the glute chain (``progresses_to``) up to the
runner's level, then deep rotator work, 2-3 sets of 10-15; a chain is a ladder: the drills before the
runner's place in it stay eligible everywhere as activation or warm-up, those past it wait; rest day,
release and the floor sequence in the article's order. The two named series (``standing-series``,
``floor-sequence``) are fixed presets, still filtered by precautions, equipment and level; a drill that
does not fit the time is skipped and the rest keep the article's order (the notes say so and name what was left out).

**Week.** A session the week plans (:mod:`hipcoach.core.week`) carries a :class:`Variety`: drills done earlier
that day are not candidates, only the listed drills are when ``only`` is set, and each use of a drill in the week's
recovery, strength and rest-day sessions halves the freshness bonus ``ROTATION_WEIGHT`` its drill term gets,
so the week rotates through the eligible drills (:mod:`hipcoach.core.planner.rules` says why those weights).

**Prescription.** A clinician's :class:`~hipcoach.core.prescription.Prescription` (``prescription=``) changes
the problem, never the safety rules: a removed drill is never a candidate; a pinned drill is a candidate whatever
the runner's level and whatever the week's variety leaves out, and is required (as a must-have, but before the
must-haves: ``SelectionProblem.pinned``) in every session whose context it belongs to, in the prescription's
order while they fit (before a run after the closing drill, a pinned closing drill first); one the minutes
cannot hold is named in the session's notes ("Prescribed but did not fit the time: ..."), and none is ever
dropped by the search. A prescribed dose is the drill's base dose (its progression state) until the log moves
it, or always when it is locked, and each context still holds it to its range (one set before a run; holds at
most 30 s a side before a run). A drill the precautions exclude is never a candidate, pinned or not, and a
profile that refers gets no session. Each item carries the clinician's ``note`` and says in its ``why`` what the
clinician set; the session says who prescribed it and when (``prescribed_by``, ``prescribed_on``).

**Refer.** A profile with ``refer=True`` gets no session: :class:`ReferralRequired` is raised, carrying
the :class:`Referral` (reasons and urgency) to show instead.

**Errors.** Bad input raises :class:`PlannerInputError` (a ``ValueError``) naming the field and what is
allowed.

**The parts**, each importing only those listed before it: :mod:`~hipcoach.core.planner.inputs` (the
contexts, the bounds and the parsers), :mod:`~hipcoach.core.planner.request` (a request for one session, parsed
once for every door), :mod:`~hipcoach.core.planner.output` (the session and the
referral), :mod:`~hipcoach.core.planner.rules` (each context's rules, dose ranges and hold limits),
:mod:`~hipcoach.core.planner.eligibility` (which drills a runner may do, and why not the others),
:mod:`~hipcoach.core.planner.problem` (the selection problem as data),
:mod:`~hipcoach.core.planner.search` (the greedy and local search), :mod:`~hipcoach.core.planner.dosing`
(the base doses in words, why each is what it is, the note of a session that ends early),
:mod:`~hipcoach.core.planner.explain` (reasons and notes in words) and
:mod:`~hipcoach.core.planner.compose` (one session, end to end). Every public name of them is imported
from here.
"""

from __future__ import annotations

from hipcoach.core.planner.compose import check_referral, compose_requested, compose_session
from hipcoach.core.planner.eligibility import Eligibility, eligible_drills, timing_of
from hipcoach.core.planner.inputs import (
    DEFAULT_LEVEL,
    MAX_LEVEL,
    MAX_MINUTES,
    MAX_SECONDS,
    MIN_LEVEL,
    MIN_MINUTES,
    MIN_SECONDS,
    MINUTES_ALLOWED,
    PRESETS,
    Context,
    PlannerInputError,
    number_from_text,
    parse_context,
    parse_equipment,
    parse_level,
    parse_minutes,
    parse_seconds,
    parse_seed,
    seconds_of,
)
from hipcoach.core.planner.output import Referral, ReferralRequired, Session
from hipcoach.core.planner.problem import Candidate, SelectionProblem, Variety, build_problem
from hipcoach.core.planner.request import RequestInvalidError, SessionRequest, parse_session_request
from hipcoach.core.planner.rules import (
    ARTICLE_BONUS,
    BONUS_STEP,
    CHAIN_TOP_BONUS,
    COVERAGE_RETURN,
    GLUTE_AFTER_RELEASE,
    MUST_HAVE_OF,
    MUST_HAVES,
    OLDER_HOLD,
    POST_RUN_HOLD,
    PRE_RUN_HOLD_MAX,
    PRE_RUN_STATIC_PER_TARGET,
    PRESET_DRILLS,
    PRESET_SECTIONS,
    PROGRESSED_BONUS,
    RECENT_DECAY,
    RECENT_WEIGHT,
    ROTATION_WEIGHT,
    RULES,
    SEED_WEIGHT,
    STRENGTH_REPS,
    STRENGTH_SETS,
    YOUTH_NOTE,
    YOUTH_REPS,
    YOUTH_SETS,
    ContextRules,
    DoseRange,
    MustHave,
    SlotRule,
    dose_range,
    is_glute_activation,
    is_hip_flexor_release,
    is_static_hold,
    rotation_bonus,
    static_seconds,
)
from hipcoach.core.planner.search import IMPROVED_STARTS, PAIR_MOVES_UP_TO, solve

__all__ = [
    "ARTICLE_BONUS",
    "BONUS_STEP",
    "CHAIN_TOP_BONUS",
    "COVERAGE_RETURN",
    "DEFAULT_LEVEL",
    "GLUTE_AFTER_RELEASE",
    "IMPROVED_STARTS",
    "MAX_LEVEL",
    "MAX_MINUTES",
    "MAX_SECONDS",
    "MINUTES_ALLOWED",
    "MIN_LEVEL",
    "MIN_MINUTES",
    "MIN_SECONDS",
    "MUST_HAVES",
    "MUST_HAVE_OF",
    "OLDER_HOLD",
    "PAIR_MOVES_UP_TO",
    "POST_RUN_HOLD",
    "PRESETS",
    "PRESET_DRILLS",
    "PRESET_SECTIONS",
    "PRE_RUN_HOLD_MAX",
    "PRE_RUN_STATIC_PER_TARGET",
    "PROGRESSED_BONUS",
    "RECENT_DECAY",
    "RECENT_WEIGHT",
    "ROTATION_WEIGHT",
    "RULES",
    "SEED_WEIGHT",
    "STRENGTH_REPS",
    "STRENGTH_SETS",
    "YOUTH_NOTE",
    "YOUTH_REPS",
    "YOUTH_SETS",
    "Candidate",
    "Context",
    "ContextRules",
    "DoseRange",
    "Eligibility",
    "MustHave",
    "PlannerInputError",
    "Referral",
    "ReferralRequired",
    "RequestInvalidError",
    "SelectionProblem",
    "Session",
    "SessionRequest",
    "SlotRule",
    "Variety",
    "build_problem",
    "check_referral",
    "compose_requested",
    "compose_session",
    "dose_range",
    "eligible_drills",
    "is_glute_activation",
    "is_hip_flexor_release",
    "is_static_hold",
    "number_from_text",
    "parse_context",
    "parse_equipment",
    "parse_level",
    "parse_minutes",
    "parse_seconds",
    "parse_seed",
    "parse_session_request",
    "rotation_bonus",
    "seconds_of",
    "solve",
    "static_seconds",
    "timing_of",
]
