"""The drill library pages: a filterable list and a page per drill."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from pydantic import ValidationError

from hipcoach.app.library.catalogue import library_catalogue
from hipcoach.core.catalogue import BODY_WEIGHT, DrillQuery, query_problems
from hipcoach.core.vocabulary import Equipment, Phase, Position, Target
from hipcoach.web.htmx import HtmxRequest

FILTER_CHOICES = {
    "phase": [(word.value, word.value.replace("-", " ")) for word in Phase],
    "target": [(word.value, word.value.replace("-", " ")) for word in Target],
    "equipment": [(BODY_WEIGHT, "none (body weight)")]
    + [(word.value, word.value.replace("-", " ")) for word in Equipment],
    "position": [(word.value, word.value.replace("-", " ")) for word in Position],
}


def home(request: HttpRequest) -> HttpResponse:
    """A signed-in runner's home is Today; anyone else lands on the drill library."""
    if request.user.is_authenticated:
        return redirect("training:today")
    return redirect("library:drill-list")


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
    context = {"drill": drill, "chain": catalogue.progression_chain(drill_id)}
    return render(request, "library/drill_detail.html", context)
