"""The drill library on the web: pages a runner browses and the JSON API scripts use."""

from __future__ import annotations

import pytest
from django.test import Client

from hipcoach.app.library.catalogue import library_catalogue, sync_catalogue
from hipcoach.app.library.models import Drill
from hipcoach.core.catalogue import Catalogue, default_catalogue
from hipcoach.core.figures import figure_svg, key_positions

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_migrating_loads_the_whole_catalogue_into_the_database() -> None:
    assert Drill.objects.filter(retired=False).count() == len(default_catalogue())
    assert [d.id for d in library_catalogue()] == [d.id for d in default_catalogue()]


def test_a_drill_that_leaves_the_catalogue_is_retired_not_deleted() -> None:
    smaller = Catalogue(list(default_catalogue())[1:])
    first_id = next(iter(default_catalogue())).id
    sync_catalogue(smaller)
    assert Drill.objects.get(id=first_id).retired
    assert first_id not in library_catalogue()
    sync_catalogue()
    assert not Drill.objects.get(id=first_id).retired


def test_the_home_page_leads_a_visitor_to_the_library(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/drills/"' in response.content.decode()
    # The home page's own link, not only the one in every page's navigation.
    content = response.content.decode().split("</header>", 1)[1]
    assert '<a href="/drills/">browse the drill library</a>' in content


def test_the_library_lists_every_drill_with_its_dose(client: Client) -> None:
    page = client.get("/drills/").content.decode()
    for drill in default_catalogue():
        assert f'data-drill="{drill.id}"' in page
    assert "10-15 reps per side" in page
    assert 'name="viewport"' in page


def test_filtering_by_phase_keeps_only_that_phase(client: Client) -> None:
    page = client.get("/drills/", {"phase": "strength"}).content.decode()
    strength = {d.id for d in default_catalogue() if "strength" in d.phases}
    for drill in default_catalogue():
        assert (f'data-drill="{drill.id}"' in page) == (drill.id in strength)


def test_filters_combine(client: Client) -> None:
    page = client.get("/drills/", {"phase": "post-run", "equipment": "foam-roller"}).content.decode()
    expected = [d for d in default_catalogue() if "post-run" in d.phases and "foam-roller" in d.equipment]
    assert expected
    assert page.count('class="drill-card"') == len(expected)


def test_a_filter_change_from_the_page_returns_only_the_results(client: Client) -> None:
    response = client.get("/drills/", {"position": "supine"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="drill-card"' in html


def test_an_unknown_filter_word_is_explained(client: Client) -> None:
    response = client.get("/drills/", {"phase": "midnight"})
    assert response.status_code == 400
    assert "phase: &#x27;midnight&#x27; is not allowed; allowed: pre-run, post-run, strength, rest-day" in (
        response.content.decode()
    )


def test_a_drill_page_shows_dose_cues_chain_cautions_and_source(client: Client) -> None:
    drill = default_catalogue().get("clamshell")
    page = client.get("/drills/clamshell/").content.decode()
    assert drill.dose_text() in page
    for cue in drill.cues:
        assert cue.replace("'", "&#x27;") in page
    chain = default_catalogue().progression_chain("clamshell")
    chain_html = page[page.index('class="chain"') :]
    positions = [chain_html.index(step.name) for step in chain]
    assert positions == sorted(positions)
    assert 'aria-current="step"' in page
    assert drill.evidence.section is not None
    assert f"From the article section <cite>{drill.evidence.section.description}</cite>" in page
    assert 'data-source="article"' in page


def test_a_drill_from_the_clinical_reference_says_so_and_names_its_published_source(client: Client) -> None:
    drill = default_catalogue().get("step-down")
    page = client.get("/drills/step-down/").content.decode()
    source = page[page.index('<section class="source"') :]
    assert 'data-source="clinical-reference"' in source
    assert '<span class="tag source">clinical reference</span> Not in the article' in source
    assert "JOSPT 2019 guideline, Willy et al." in source
    assert "From the article section" not in source
    assert "8. patellofemoral pain" in source
    assert drill.dose_text() in page


def test_the_library_marks_the_drills_from_the_clinical_reference(client: Client) -> None:
    page = client.get("/drills/").content.decode()
    cards = page.split('class="drill-card"')[1:]
    marked = {card.split('data-drill="')[1].split('"')[0] for card in cards if "tag source" in card}
    assert marked == {d.id for d in default_catalogue() if not d.from_article}
    assert marked >= {"step-down", "wall-squat", "isometric-hip-abduction"}


def test_an_unknown_drill_page_is_not_found(client: Client) -> None:
    assert client.get("/drills/no-such-drill/").status_code == 404


def test_api_lists_drills_with_every_field(client: Client) -> None:
    records = client.get("/api/v1/drills").json()
    assert [r["id"] for r in records] == [d.id for d in default_catalogue()]
    fields = {"id", "name", "sections", "kind", "position", "equipment", "sides", "dose", "targets"}
    fields |= {"addresses", "phases", "level", "progresses_to", "cues", "mistakes", "cautions", "evidence", "source"}
    assert all(set(r) == fields for r in records)


def test_api_says_where_each_drill_comes_from(client: Client) -> None:
    step_down = client.get("/api/v1/drills/step-down").json()
    assert step_down["source"] == "clinical-reference"
    assert step_down["sections"] == []
    assert step_down["evidence"]["section"] is None
    assert "JOSPT 2019 guideline" in step_down["evidence"]["citation"]
    assert step_down["evidence"]["reference"] == ["8. patellofemoral pain", "4. hip/glute strength"]
    clamshell = client.get("/api/v1/drills/clamshell").json()
    assert (clamshell["source"], clamshell["evidence"]["section"]) == ("article", "bum-activation")
    assert clamshell["evidence"]["citation"] is None


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"phase": "pre-run"}, lambda d: "pre-run" in d.phases),
        ({"target": "glute-med"}, lambda d: "glute-med" in d.targets),
        ({"equipment": "band"}, lambda d: "band" in d.equipment),
        ({"equipment": "none"}, lambda d: not d.equipment),
        ({"position": "standing"}, lambda d: d.position == "standing"),
    ],
)
def test_api_filters_like_the_page(client: Client, filters: dict[str, str], keep: object) -> None:
    records = client.get("/api/v1/drills", filters).json()
    expected = [d.id for d in default_catalogue() if keep(d)]  # type: ignore[operator]
    assert expected
    assert [r["id"] for r in records] == expected


def test_api_refuses_an_unknown_filter_word_naming_the_field(client: Client) -> None:
    response = client.get("/api/v1/drills", {"target": "elbows"})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"][-1] == "target"
    assert "glute-med" in error["msg"]


def test_api_takes_an_empty_filter_as_no_filter_and_says_so(client: Client) -> None:
    everything = client.get("/api/v1/drills").json()
    assert client.get("/api/v1/drills", {"position": "", "target": ""}).json() == everything
    parameters = client.get("/api/openapi.json").json()["paths"]["/api/v1/drills"]["get"]["parameters"]
    for parameter in parameters:
        assert {"type": "string", "const": "", "description": "Any: no filter."} in parameter["schema"]["anyOf"]


def test_api_returns_one_drill_or_a_clear_404(client: Client) -> None:
    assert client.get("/api/v1/drills/glute-bridge").json()["name"] == default_catalogue().get("glute-bridge").name
    missing = client.get("/api/v1/drills/moonwalk")
    assert missing.status_code == 404
    assert "moonwalk" in missing.json()["detail"]


def test_the_api_publishes_its_openapi_spec_and_docs(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/drills" in spec["paths"]
    assert "/api/v1/drills/{drill_id}" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


def test_api_draws_a_drills_figure_as_animated_svg_or_a_still(client: Client) -> None:
    response = client.get("/api/v1/drills/forward-leg-swing/figure.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    animated = response.content.decode()
    assert animated.startswith("<svg")
    assert "<animate" in animated
    assert "<title>Forward leg swing</title>" in animated
    still = client.get("/api/v1/drills/forward-leg-swing/figure.svg?still=1").content.decode()
    assert still.startswith("<svg")
    assert "<animate" not in still
    left = client.get("/api/v1/drills/forward-leg-swing/figure.svg?still=1&side=left").content.decode()
    assert left != still
    assert left == figure_svg("forward-leg-swing", side="left", still=True)


def test_api_figure_of_an_unknown_drill_is_a_404_naming_it(client: Client) -> None:
    response = client.get("/api/v1/drills/moonwalk/figure.svg")
    assert response.status_code == 404
    assert "moonwalk" in response.json()["detail"]


def test_api_figure_refuses_an_unknown_side_naming_the_field(client: Client) -> None:
    response = client.get("/api/v1/drills/clamshell/figure.svg?side=middle")
    assert response.status_code == 422
    assert "side" in response.content.decode()


def test_each_library_card_shows_a_still_of_its_drill(client: Client) -> None:
    page = client.get("/drills/").content.decode()
    assert '<img class="figure-still" src="/api/v1/drills/clamshell/figure.svg?still=1"' in page
    assert page.count('class="figure-still"') == page.count('class="drill-card"')


def test_a_drill_page_shows_its_animated_figure_a_pause_button_and_its_key_positions(client: Client) -> None:
    page = client.get("/drills/forward-leg-swing/").content.decode()
    figure = page.split('id="drill-figure"', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in figure
    assert "<animate" in figure  # the animation itself, inline so it can be paused
    assert 'id="figure-pause" aria-pressed="false"' in figure
    for position in key_positions("forward-leg-swing"):
        assert f"<li>{position}</li>" in figure
    assert "hipcoach/figure" in page  # the script that pauses it


def test_a_phone_keeps_a_figure_for_a_day(client: Client) -> None:
    response = client.get("/api/v1/drills/forward-leg-swing/figure.svg?still=1")
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=86400"} <= directives
