"""The screen wizard, the result page and the referral page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hipcoach.app.clinic.clearances import cleared_screen
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import IdempotencyConflictError, record_screen, screens_of
from hipcoach.core.screen import (
    DISCLAIMER,
    ScreenInputError,
    TestId,
    low_back_pain_advice,
    skipped_tests,
    step_for,
    urgent_answers,
)
from hipcoach.web.screens.owner import owner_of
from hipcoach.web.screens.plain import VERDICT_WORDS, meaning_of
from hipcoach.web.screens.wizard import (
    ABOUT,
    REVIEW,
    SAFETY,
    STEP_NAMES,
    AboutForm,
    Draft,
    SafetyForm,
    TestForm,
    next_step,
    previous_step,
    record_test,
)

SEVERITY_WORDS = {1: "mild", 2: "moderate", 3: "marked"}


def go_to(step: str) -> HttpResponse:
    return redirect("screens:step", step=step)


def start(request: HttpRequest) -> HttpResponse:
    """The screen's first page: what it is for, what it is not, and a start button."""
    if request.method == "POST":
        Draft.start(request.session)
        return go_to(ABOUT)
    context = {"draft": Draft.load(request.session), "disclaimer": DISCLAIMER, "tests": [s.title for s in steps()]}
    return render(request, "screens/start.html", context)


def steps() -> list[Any]:
    return [step_for(TestId(name)) for name in STEP_NAMES if name not in (ABOUT, SAFETY, REVIEW)]


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_NAMES:
        raise Http404("No such step in the screen")
    draft = Draft.load(request.session)
    if draft is None:
        return redirect("screens:start")
    if step not in (ABOUT, SAFETY) and (draft.answers() is None or not draft.has_answered(SAFETY)):
        return go_to(SAFETY if draft.has_answered(ABOUT) else ABOUT)
    if step == ABOUT:
        return about_step(request, draft)
    if step == SAFETY:
        return safety_step(request, draft)
    if step == REVIEW:
        return review_step(request, draft)
    return test_step(request, draft, TestId(step))


def about_step(request: HttpRequest, draft: Draft) -> HttpResponse:
    form = AboutForm(request.POST or None, initial=AboutForm.initial_from(draft.data))
    if request.method == "POST" and form.is_valid():
        draft.data.update(form.to_answers())
        draft.save(request.session)
        return go_to(next_step(draft, ABOUT))
    return render_step(request, draft, ABOUT, "screens/about.html", {"form": form})


def safety_step(request: HttpRequest, draft: Draft) -> HttpResponse:
    form = SafetyForm(request.POST or None, initial=SafetyForm.initial_from(draft.data))
    if request.method == "POST" and form.is_valid():
        draft.data.update(form.to_answers())
        draft.data.setdefault("tests", {})
        draft.save(request.session)
        return go_to(next_step(draft, SAFETY))
    return render_step(request, draft, SAFETY, "screens/safety.html", {"form": form})


def test_step(request: HttpRequest, draft: Draft, test: TestId) -> HttpResponse:
    answers = draft.answers()
    assert answers is not None  # step() sends a runner without answers back to the questions
    skipped = skipped_tests(answers)
    if test in skipped:
        return go_to(next_step(draft, test.value))
    definition = step_for(test)
    form = TestForm(
        definition,
        request.POST or None,
        initial=TestForm.initial_from(definition, draft.data),
        ask_follow_up=definition.follow_up not in answers.red_flags,
    )
    if request.method == "POST" and form.is_valid():
        # Whatever the button, a follow-up red flag or pain answered "yes" is kept: safety wins over skipping.
        action = request.POST.get("action")
        if action == "finish":  # leave now: what this test holds so far stays, with any pain reported
            value = draft.data.get("tests", {}).get(test.value)
            value = {**(value or {}), **pain} if (pain := form.reported_pain()) else value
        else:
            value = form.reported_pain() if action == "skip" else form.test_value()
        try:
            record_test(draft, test, value, form.follow_up_flag())
        except ScreenInputError as error:
            form.show_problems(error)
        else:
            draft.save(request.session)
            return go_to(REVIEW if action == "finish" else next_step(draft, test.value))
    elif request.method == "POST" and request.POST.get("action", "save") == "save":
        form.check_values(answers)  # a missing answer and a value out of range are named together
    context = {
        "form": form,
        "test": definition,
        "instructions": [(side, definition.instructions(side)) for side in form.sides()],
        "skipped": [(step_for(t).title, reason) for t, reason in skipped.items()],
        "urgent": urgent_answers(answers),
    }
    return render_step(request, draft, test.value, "screens/test.html", context)


def review_step(request: HttpRequest, draft: Draft) -> HttpResponse:
    answers = draft.answers()
    assert answers is not None
    if request.method == "POST":
        try:
            screen, _ = record_screen(answers, owner_of(request), idempotency_key=draft.key)
        except IdempotencyConflictError:
            Draft.start(request.session)
            return redirect("screens:start")
        Draft.clear(request.session)
        return redirect("screens:result", screen_id=screen.pk)
    skipped = skipped_tests(answers)
    done = [step_for(TestId(name)).title for name in answers.tests.model_dump(exclude_none=True)]
    context = {
        "done": done,
        "skipped": [(step_for(t).title, reason) for t, reason in skipped.items()],
        "not_done": [s.title for s in steps() if s.id.value not in answers.tests.model_dump(exclude_none=True)],
    }
    return render_step(request, draft, REVIEW, "screens/review.html", context)


def render_step(request: HttpRequest, draft: Draft, name: str, template: str, context: dict[str, Any]) -> HttpResponse:
    position = STEP_NAMES.index(name) + 1
    back = previous_step(draft, name)
    context |= {"step_name": name, "position": position, "total": len(STEP_NAMES), "back": back}
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def result(request: HttpRequest, screen_id: int) -> HttpResponse:
    """A saved screen's result; the referral page when safety says so."""
    screen = get_object_or_404(screens_of(owner_of(request)), pk=screen_id)
    answers, outcome = screen.to_core()
    cleared = cleared_screen(screen, outcome.to_profile())
    context = {
        "cleared": [clearance.line for clearance in cleared.applied],
        "plan_unlocked": outcome.refer and not cleared.profile.refer,
        "screen": screen,
        "result": outcome,
        "answers": answers,
        "findings": findings(outcome),
        "meaning": meaning_of(outcome),
        "asymmetries": asymmetry_rows(outcome),
        "low_back_advice": low_back_pain_advice(answers),
    }
    template = "screens/referral.html" if outcome.refer else "screens/result.html"
    return render(request, template, context)


def findings(outcome: Any) -> list[dict[str, Any]]:
    return [
        {
            "restriction": finding.id,
            "side": finding.side,
            "severity": SEVERITY_WORDS[finding.severity],
            "evidence": finding.evidence,
        }
        for finding in outcome.restrictions
    ]


def asymmetry_rows(outcome: Any) -> list[dict[str, Any]]:
    """The left/right table's rows, each verdict in plain words."""
    return [
        {"asymmetry": a, "verdict": VERDICT_WORDS.get(a.verdict, a.verdict), "real": bool(a.real)}
        for a in outcome.asymmetries
    ]


def history(request: HttpRequest) -> HttpResponse:
    screens: list[Screen] = list(screens_of(owner_of(request)).order_by("-taken_at", "-id"))
    return render(request, "screens/history.html", {"screens": screens})
