"""The request as the pages see it: django-htmx's middleware (settings.MIDDLEWARE) gives each one ``request.htmx``,
true when htmx sent it (the page then answers with the fragment htmx swaps in)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """For the type checker only, as django-htmx advises: no request is ever made of this class."""

    htmx: HtmxDetails
