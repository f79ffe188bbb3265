"""Security headers: a Content-Security-Policy on every page that lets no inline script or style run, HSTS behind
HTTPS, and API docs that load nothing from another site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "hipcoach" / "web"
EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())

PUBLIC_PAGES = [
    "/drills/",
    "/drills/clamshell/",
    "/screen/",
    "/screens/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/signup/sent/",
    "/accounts/password-reset/",
    "/api/docs",
    "/admin/login/",
]
RUNNER_PAGES = [
    "/welcome/",
    "/today/",
    "/play/once/?context=pre-run&minutes=6",
    "/morning/",
    "/progress/",
    "/settings/",
    "/settings/tokens/",
    "/settings/data/",
    "/settings/delete/",
]


def policy_of(response: Any) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


EVENT_HANDLER = re.compile(r"on[a-z]+")


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts, event-handler attributes
    (onclick=...), style attributes and <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.found += [f"<{tag} {name}=...>" for name, _ in attrs if EVENT_HANDLER.fullmatch(name) or name == "style"]
        if tag == "style":
            self.found.append("<style>")
        data_only = named.get("type") == "application/json"  # json_script: data, never executed
        self.in_inline_script = tag == "script" and "src" not in named and not data_only

    def handle_data(self, data: str) -> None:
        if self.in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}</script>")

    def handle_endtag(self, tag: str) -> None:
        self.in_inline_script = False


def inline_code_in(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_strict_policy(response: Any) -> None:
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_sends_a_policy_that_runs_no_inline_code(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    assert_strict_policy(response)
    assert inline_code_in(response.content.decode()) == []


@pytest.mark.parametrize("url", RUNNER_PAGES)
def test_every_page_of_a_runner_sends_the_policy_and_has_no_inline_code(alice_client: Client, url: str) -> None:
    alice_client.post("/api/v1/screens", json.dumps(EXAMPLE), content_type="application/json")
    response = alice_client.get(url)
    assert response.status_code == 200
    assert_strict_policy(response)
    assert inline_code_in(response.content.decode()) == []


def test_the_api_answers_carry_the_policy_too(alice: User) -> None:
    assert_strict_policy(Client().get("/api/v1/drills"))
    assert_strict_policy(Client().get("/api/v1/today"))  # a 401 as well


def test_no_template_holds_an_inline_script_handler_or_style() -> None:
    offending = {
        str(template.relative_to(TEMPLATES)): found
        for template in TEMPLATES.rglob("*.html")
        if (found := inline_code_in(template.read_text(encoding="utf-8")))
    }
    assert offending == {}


def test_the_inline_code_check_finds_what_the_policy_blocks() -> None:
    page = '<script>go()</script><a onclick="x()">a</a><p style="color:red">b</p><style>p{}</style>'
    assert inline_code_in(page) == ["<script>go()</script>", "<a onclick=...>", "<p style=...>", "<style>"]
    assert inline_code_in('<script type="application/json" id="d">{"a": 1}</script><script src="/s.js"></script>') == []


def test_htmx_is_configured_to_work_under_the_policy() -> None:
    html = Client().get("/drills/").content.decode()
    found = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert found is not None
    config = json.loads(found.group(1))
    assert config["includeIndicatorStyles"] is False  # else htmx adds a <style> element
    assert "style" not in config["attributesToSettle"]  # else a swap copies style attributes over
    assert (config["allowEval"], config["allowScriptTags"]) == (False, False)


# ---- API docs offline --------------------------------------------------------------------------------------


def test_the_api_docs_load_everything_from_this_site() -> None:
    response = Client().get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert Client().get(asset).status_code == 200, asset


def test_the_api_docs_ask_no_outside_validator_for_a_badge() -> None:
    html = Client().get("/api/docs").content.decode()
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert settings["validatorUrl"] is None
    assert settings["url"] == "/api/openapi.json"


# ---- HSTS behind HTTPS ----------------------------------------------------------------------------------------

HEADERS_SCRIPT = """
import django, json
django.setup()
from django.test import Client
client = Client()
secure = client.get("/api/docs", secure=True)
plain = client.get("/api/docs")
print(json.dumps({"secure": dict(secure.headers), "plain": [plain.status_code, plain.headers.get("Location")]}))
"""


def test_behind_https_every_answer_asks_for_https_for_a_year(server_process: Any) -> None:
    answer = server_process(HEADERS_SCRIPT, HIPCOACH_SECURE="true")
    assert answer["secure"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in answer["secure"]["Content-Security-Policy"]
    assert answer["plain"] == [301, "https://testserver/api/docs"]


def test_without_the_switch_no_hsts_is_sent(server_process: Any) -> None:
    answer = server_process(HEADERS_SCRIPT)
    assert "Strict-Transport-Security" not in answer["secure"]
    assert "script-src 'self'" in answer["secure"]["Content-Security-Policy"]
    assert answer["plain"][0] == 200
