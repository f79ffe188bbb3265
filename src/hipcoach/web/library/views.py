"""The drill library pages: a filterable list and a page per drill."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from pydantic import ValidationError

from hipcoach.app.clinic.sharing import clinician_of
from hipcoach.app.library.catalogue import library_catalogue
from hipcoach.core.catalogue import BODY_WEIGHT, DrillQuery, query_problems
from hipcoach.core.progression import PAIN_RULE
from hipcoach.core.screen import TestId
from hipcoach.core.vocabulary import Equipment, Phase, Position, Target
from hipcoach.web.htmx import HtmxRequest

FILTER_CHOICES = {
    "phase": [(word.value, word.value.replace("-", " ")) for word in Phase],
    "target": [(word.value, word.value.replace("-", " ")) for word in Target],
    "equipment": [(BODY_WEIGHT, "none (body weight)")]
    + [(word.value, word.value.replace("-", " ")) for word in Equipment],
    "position": [(word.value, word.value.replace("-", " ")) for word in Position],
}


# The home page's "Try a 5-minute pre-run session": the one-off player, after the safety questions for a visitor.
TRY_SESSION_MINUTES = 5


def home(request: HttpRequest) -> HttpResponse:
    """A signed-in runner's home is Today (what they came back for); a visitor sees what hipcoach is, and can try
    the screen or a session without an account."""
    if request.user.is_authenticated:
        # A clinician lands on their clinic's dashboard; a runner on Today.
        return redirect("clinic:dashboard" if clinician_of(request.user) else "training:today")
    context = {"drill_count": len(library_catalogue()), "test_count": len(TestId), "try_minutes": TRY_SESSION_MINUTES}
    return render(request, "home.html", context)


def drill_list(request: HtmxRequest) -> HttpResponse:
    chosen = {name: request.GET.get(name, "") for name in FILTER_CHOICES}
    problems: list[str] = []
    try:
        query = DrillQuery.model_validate(chosen)
    except ValidationError as error:
        problems = query_problems(error)
        query = DrillQuery()
    drills = library_catalogue().filter(query)
    context = {"drills": drills, "chosen": chosen, "choices": FILTER_CHOICES, "problems": problems}
    template = "library/_drill_results.html" if request.htmx else "library/drill_list.html"
    return render(request, template, context, status=400 if problems else 200)


def drill_detail(request: HttpRequest, drill_id: str) -> HttpResponse:
    catalogue = library_catalogue()
    if drill_id not in catalogue:
        raise Http404(f"No drill with id '{drill_id}'")
    drill = catalogue.get(drill_id)
    context = {"drill": drill, "chain": catalogue.progression_chain(drill_id), "pain_rule": PAIN_RULE}
    return render(request, "library/drill_detail.html", context)
