"""The programme handout: the runner's week on paper (a PDF), for the fridge or the gym bag.

The clinic's header, the runner's name and the day it was printed; each drill of the planner's week for the runner
with its figure, its dose per side in each session, its cues and the clinician's note; the week itself (which day,
which session, around which run); the pain rule in one line; and a QR code to Today, where each session starts the
player. A runner whose screen (or a warning sign since) refers them gets the referral instead of any drill: the week
is the planner's, so no drill the runner's precautions exclude ever reaches the paper.

The page is rendered by a template engine of its own (no page's tags, nothing of the web) and printed by WeasyPrint
with a fetcher that refuses every address but inline data: the figures and the QR code are inline SVG, so a handout
never waits on the network nor reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template import Context as TemplateContext
from django.template import Engine

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import Clinic
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.clinic.sharing import clinic_for
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.training.labels import CONTEXT_LABELS, DAY_NAMES
from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import settings_of, zone_of
from hipcoach.app.training.sessions import composed_week
from hipcoach.core import clock
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.figures import figure_svg
from hipcoach.core.planner import Context, Referral
from hipcoach.core.prescription import Prescription
from hipcoach.core.progression import PAIN_RULE
from hipcoach.core.week import DayPlan, PlannedSession, Week

# Today lists the day's sessions, each with its Start into the player: the one address that stays right for as long
# as the paper is on the fridge (a session's own player address is for one day).
PLAYER_PATH = "/today/"
SAFETY_PATH = "/screen/safety/"
# Where `hipcoach serve` listens when nothing says otherwise (its --port default).
LOCAL_BASE_URL = "http://127.0.0.1:8000/"
TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class SessionDose:
    """A drill's dose (per side, in words) in one kind of session of the week."""

    session: str
    dose: str


@dataclass(frozen=True)
class HandoutDrill:
    drill_id: str
    name: str
    figure: str | None  # a still of the drill as inline SVG; None when the drill has no figure
    doses: list[SessionDose]
    cues: list[str]
    note: str = ""  # the clinician's note for this drill


@dataclass(frozen=True)
class HandoutSession:
    label: str  # "Before a run, 8 min"
    around: str  # "before the easy run", "after the long run", or "" for a session of its own
    drills: list[str]


@dataclass(frozen=True)
class HandoutDay:
    name: str
    runs: list[str]
    sessions: list[HandoutSession]


@dataclass(frozen=True)
class Handout:
    clinic: Clinic | None
    runner_name: str
    day: date
    player_url: str
    qr_svg: str
    pain_rule: str = PAIN_RULE
    drills: list[HandoutDrill] = field(default_factory=list)
    week: list[HandoutDay] = field(default_factory=list)
    referral: Referral | None = None
    safety_url: str = ""  # set when the runner never answered the safety questions: nothing is planned until then
    prescribed_by: str = ""  # "Prescribed by <name>, <date>", when a clinician prescribed the programme


def base_url_for(page_base: str | None = None) -> str:
    """The address the handout links to: the configured one (``HIPCOACH_BASE_URL``), else the address the page was
    reached at, else the local server's."""
    chosen = str(settings.HIPCOACH_BASE_URL) or page_base or LOCAL_BASE_URL
    return chosen.rstrip("/") + "/"


def runner_name(runner: Runner) -> str:
    return runner.get_full_name().strip() or str(runner.email or runner.get_username())


def qr_code_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (error correction M: still read with a crease or a smudge)."""
    return str(segno.make(url, error="m").svg_inline(scale=3, title=f"QR code: {url}"))


def _around(day_plan: DayPlan, planned: PlannedSession) -> str:
    if planned.run is None:
        return ""
    run = day_plan.runs[planned.run]
    when = "before" if planned.context is Context.PRE_RUN else "after"
    return f"{when} the {run.type.value} run"


def _still(drill_id: str) -> str | None:
    try:
        return figure_svg(drill_id, still=True)
    except KeyError:  # a drill whose figure is not drawn yet: the handout shows its words alone
        return None


def _drills(week: Week, notes: Mapping[str, str]) -> list[HandoutDrill]:
    """Each drill of the week once, in the order the week first does it, with its dose in each kind of session."""
    catalogue = default_catalogue()
    names: dict[str, str] = {}
    doses: dict[str, list[SessionDose]] = {}
    for day_plan in week.days:
        for planned in day_plan.sessions:
            for item in planned.session.items:
                names.setdefault(item.drill_id, item.name)
                dose = SessionDose(CONTEXT_LABELS[planned.context], item.dose)
                if dose not in doses.setdefault(item.drill_id, []):
                    doses[item.drill_id].append(dose)
    return [
        HandoutDrill(
            drill_id=drill_id,
            name=name,
            figure=_still(drill_id),
            doses=doses[drill_id],
            cues=list(catalogue.get(drill_id).cues),
            note=notes.get(drill_id, "").strip(),
        )
        for drill_id, name in names.items()
    ]


def _week(week: Week) -> list[HandoutDay]:
    return [
        HandoutDay(
            name=DAY_NAMES[day_plan.day],
            runs=[f"{run.type.value} run, {run.minutes} min" for run in day_plan.runs],
            sessions=[
                HandoutSession(
                    label=f"{CONTEXT_LABELS[planned.context]}, {planned.minutes:g} min",
                    around=_around(day_plan, planned),
                    drills=[item.name for item in planned.session.items],
                )
                for planned in day_plan.sessions
            ],
        )
        for day_plan in week.days
    ]


def prescribed_line(prescription: Prescription | None) -> str:
    """ "Prescribed by Sam Carter, 2 March 2026", or "" when no clinician's prescription steers the plan."""
    if prescription is None:
        return ""
    on = prescription.prescribed_on
    return f"Prescribed by {prescription.prescribed_by}, {on.day} {on:%B %Y}"


def handout(runner: Runner, *, base_url: str, clinic: Clinic | None = None) -> Handout:
    """The runner's handout: their week as Today plans it (the clinician's prescription included, with who wrote it
    and each drill's note), or their referral instead.

    ``clinic`` heads it (default: the runner's clinic, else this hipcoach's, else none)."""
    record = settings_of(runner)
    prescription = current_prescription(runner)
    notes = {} if prescription is None else {drill.drill_id: drill.note for drill in prescription.drills}
    player_url = base_url.rstrip("/") + PLAYER_PATH
    base = Handout(
        clinic=clinic if clinic is not None else clinic_for(runner),
        runner_name=runner_name(runner),
        day=clock.today_in(zone_of(record)),
        player_url=player_url,
        qr_svg=qr_code_svg(player_url),
        prescribed_by=prescribed_line(prescription),
    )
    try:
        choice = runner_profile(runner, record)
    except SafetyQuestionsUnansweredError:
        return replace(base, safety_url=base_url.rstrip("/") + SAFETY_PATH)
    referral = referral_of(runner, choice.profile)
    if referral is not None:
        return replace(base, referral=referral)
    week = composed_week(
        choice.profile,
        record.week_runs(),
        record.to_core(),
        history=recent_history_of(runner),
        dose_states=dose_states_of(runner),
        prescription=prescription,
    )
    return replace(base, drills=_drills(week, notes), week=_week(week))


def handout_html(sheet: Handout) -> str:
    engine = Engine(dirs=[str(TEMPLATES)], app_dirs=False, autoescape=True)
    context: dict[str, Any] = {"handout": sheet}
    return engine.get_template("handout/handout.html").render(TemplateContext(context))


def handout_pdf(sheet: Handout) -> bytes:
    """The handout printed to PDF (A4), every resource inline: the fetcher refuses any address but ``data:``."""
    # WeasyPrint loads Pango when imported: only the commands and pages that print pay for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    pdf = HTML(string=handout_html(sheet), url_fetcher=fetcher).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)


def handout_filename(sheet: Handout) -> str:
    return f"hipcoach-programme-{sheet.day.isoformat()}.pdf"
