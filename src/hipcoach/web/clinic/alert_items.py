"""An alert as the clinic's pages show it: what happened and when; open, a form to acknowledge it with a note; else
who did and what. The dashboard lists dozens, each with its form, so the markup is built here with format_html
(escaped as a template would) rather than by the template engine once per alert: the one markup for an alert, used
by the dashboard and the runner's record alike."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from hipcoach.app.clinic.models import TEXT_LENGTH, Alert

ID_MARK = 987654321  # stands for an id in an address reversed once per list

OPEN = (
    '<form method="post" action="{}" class="acknowledge">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<input type="hidden" name="runner" value="{}">'
    '<label class="field">What you did <textarea name="note" rows="2" maxlength="{}" required></textarea></label>'
    '<button type="submit">Acknowledge</button></form>'
)
DONE = '<p class="muted">Acknowledged by {} on {}: {}</p>'
ITEM = '<li class="alert-item alert-{}{}" data-alert="{}"><p><strong>{}</strong>{}: {}</p>{}</li>'


def path_pattern(name: str) -> str:
    """The address of ``name`` with ``{}`` where its id goes: one reverse for a whole list."""
    return reverse(name, args=[ID_MARK]).replace(str(ID_MARK), "{}")


def alert_items(request: HttpRequest, alerts: Sequence[Alert], *, with_runner: bool = False) -> SafeString:
    """The alerts as list items; ``with_runner`` names and links each alert's runner (the dashboard's list)."""
    token = get_token(request)
    acknowledge_path = path_pattern("clinic:acknowledge")
    runner_path = path_pattern("clinic:runner")

    def item(alert: Alert) -> tuple[object, ...]:
        day = alert.day
        who = (
            format_html(' · <a href="{}">{}</a>', runner_path.format(alert.runner_id), alert.runner.email)
            if with_runner
            else ""
        )
        if alert.is_open:
            end = format_html(OPEN, acknowledge_path.format(alert.pk), token, alert.runner_id, TEXT_LENGTH)
        else:
            at = timezone.localtime(alert.acknowledged_at)
            end = format_html(DONE, alert.acknowledged_by_name, f"{at.day} {at:%b %Y}", alert.note)
        return (
            alert.kind,
            "" if alert.is_open else " done",
            alert.pk,
            f"{day:%a} {day.day} {day:%b}",
            who,
            alert.message,
            end,
        )

    return format_html_join("\n", ITEM, (item(alert) for alert in alerts))
