"""The one-page safety check: the safety questions alone, for a runner who skips the full screen.

No plan is made for someone never asked the red-flag questions (app.screens.safety_check). This page asks them,
with the wizard's own fields, so a question added to the screen's safety step or to its required answers is
asked here too: the wizard's safety form (every red flag of the core, the hip replacement) and, of the questions
about the runner, those the answer format requires (``SAFETY_FIELDS``: the age and pain now).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hipcoach.app.screens.safety_check import (
    SAFETY_FIELDS,
    SAFETY_QUESTIONS_NEEDED,
    SafetyQuestionsUnansweredError,
    record_safety_answers,
)
from hipcoach.core.screen import ScreenInputError
from hipcoach.web.accounts.views import safe_next
from hipcoach.web.screens.owner import owner_of
from hipcoach.web.screens.wizard import AboutForm, SafetyForm

SAFETY_CHECK_TEMPLATE = "screens/safety_check.html"


class SafetyCheckForm(SafetyForm):
    """The wizard's safety questions, with the questions about the runner that no answer may leave out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        about = {
            name: copy.deepcopy(field)
            for name, field in AboutForm.base_fields.items()
            if name in SAFETY_FIELDS and name not in self.fields
        }
        self.fields = {**about, **self.fields}

    def about_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name in AboutForm.base_fields]

    def other_fields(self) -> list[Any]:
        """The safety step's fields that are neither a red flag, a sign of low energy availability nor a
        hip-replacement one (a question added there)."""
        shown = {"hip_replacement", "replacement_side", "replacement_approach", "replacement_cleared"}
        return [
            self[name]
            for name in self.fields
            if name not in AboutForm.base_fields and not name.startswith(("flag_", "energy_")) and name not in shown
        ]

    def to_answers(self) -> dict[str, Any]:
        about = {name: self.cleaned_data[name] for name in self.fields if name in AboutForm.base_fields}
        return {**about, **super().to_answers()}


def check_page(
    request: HttpRequest, *, next_url: str, form: SafetyCheckForm | None = None, status: int = 200
) -> HttpResponse:
    """The check, shown wherever a plan would be: it posts to its own address, then goes on to ``next_url``."""
    context = {
        "form": form or SafetyCheckForm(),
        "needed": SAFETY_QUESTIONS_NEEDED,
        "action": reverse("screens:safety-check"),
        "next": next_url,
    }
    return render(request, SAFETY_CHECK_TEMPLATE, context, status=status)


def instead_of_plan(request: HttpRequest) -> HttpResponse:
    """What a page that plans shows a runner who never answered the safety questions: the check, then back here."""
    return check_page(request, next_url=request.get_full_path())


def after_check(request: HttpRequest, screen_id: int, refer: bool) -> HttpResponse:
    """A referral wins: its page comes first. Otherwise the page the runner came from (a visitor's too: the
    session they asked to try), else Today for a runner and the check's result for a visitor."""
    if refer:
        return redirect("screens:result", screen_id=screen_id)
    if not request.user.is_authenticated:
        came_from = safe_next(request, "")
        return redirect(came_from) if came_from else redirect("screens:result", screen_id=screen_id)
    return redirect(safe_next(request, reverse("training:today")))


@never_cache
@require_http_methods(["GET", "POST"])
def safety_check(request: HttpRequest) -> HttpResponse:
    """GET shows the one-page check; POST stores it as a screen when every answer is valid, nothing otherwise."""
    next_url = safe_next(request, "")
    if request.method != "POST":
        return check_page(request, next_url=next_url)
    form = SafetyCheckForm(request.POST)
    if form.is_valid():
        try:
            screen = record_safety_answers(form.to_answers(), owner_of(request))
        except ScreenInputError as error:
            for problem in error.problems:
                field, _, message = problem.partition(": ")
                form.add_error(field if field in form.fields else None, message if field in form.fields else problem)
        else:
            return after_check(request, screen.pk, screen.refer)
    return check_page(request, next_url=next_url, form=form, status=400)


def safety_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that plans shows the check instead when the runner never answered the safety questions (an htmx
    request, which swaps in part of a page, gets a link to the check instead)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SafetyQuestionsUnansweredError as unanswered:
            if getattr(request, "htmx", False):
                context = {"needed": unanswered.message, "check_url": reverse("screens:safety-check")}
                return render(request, "screens/_safety_link.html", context)
            return instead_of_plan(request)

    return wrapped
