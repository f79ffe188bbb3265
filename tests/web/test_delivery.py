"""Light pages: HTML compressed on the way out, static files with hashed names, gzipped, kept by browsers a year."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 3600


def test_pages_are_sent_gzipped_to_a_browser_that_accepts_it(client: Client) -> None:
    response = client.get("/drills/", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "Drill library" in html
    assert len(response.content) < len(html.encode()) / 3


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client: Client) -> None:
    response = client.get("/drills/")
    assert not response.has_header("Content-Encoding")
    assert "Drill library" in response.content.decode()


# What a server started by `hipcoach serve` answers: it collects the static files first (a fresh data folder here).
SERVED_SCRIPT = """
import django, json, re
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
client = Client()
html = client.get("/").content.decode()
css = re.search(r'href="(/static/hipcoach/app[^"]*)"', html).group(1)
answers = {}
for url in (css, "/static/hipcoach/app.css"):
    answer = client.get(url, headers={"Accept-Encoding": "gzip"})
    headers = {name: answer.get(name, "") for name in ("Cache-Control", "Content-Encoding")}
    answers[url] = {"status": answer.status_code, **headers}
print(json.dumps({"css": css, "answers": answers}))
"""


def test_served_static_files_have_hashed_names_kept_a_year_and_gzipped(server_process: Any) -> None:
    answer = server_process(SERVED_SCRIPT)
    css = answer["css"]
    assert css != "/static/hipcoach/app.css"
    assert css.startswith("/static/hipcoach/app.")
    assert css.endswith(".css")
    hashed = answer["answers"][css]
    assert hashed["status"] == 200
    assert hashed["Content-Encoding"] == "gzip"
    max_age = int(hashed["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= YEAR
    assert "immutable" in hashed["Cache-Control"]
    # The plain name still answers (a page cached before a release), but only briefly cached: it may change.
    plain = answer["answers"]["/static/hipcoach/app.css"]
    assert plain["status"] == 200
    assert "immutable" not in plain["Cache-Control"]
