"""/progress/: sessions done against the plan, the calendar, streaks, screen measures, pain and progressions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hipcoach.app.training.progress import progress_of
from hipcoach.web.runner import runner_of

WEEKDAY_HEADINGS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@login_required
@never_cache
@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    """The signed-in runner's own progress; ``?month=YYYY-MM`` picks the calendar's month."""
    progress = progress_of(runner_of(request), request.GET.get("month"))
    this_week = progress.weeks[-1] if progress.weeks else None
    context = {
        "progress": progress,
        "this_week": this_week,
        "weekday_headings": WEEKDAY_HEADINGS,
        "chart_data": progress.chart_data(),
        "measure_groups": progress.measure_groups,
    }
    return render(request, "training/progress.html", context)
