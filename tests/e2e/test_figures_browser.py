"""The figures in a browser, on a phone (390x844) and a desktop (1280x800): the library's stills, every drill page's
animated figure and its pause button, the screen wizard's figure for each side, and every figure's key poses on one
contact sheet, saved to the test artefacts.

Each page is measured in one script run where it can be (a round trip per element would make 35 drills at two sizes
slow): what the runner sees is read from the rendered page, the boxes in CSS pixels from the page's left edge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.figures import contact_sheet, default_figures
from hipcoach.core.screen import TestId

DRILLS = sorted(default_catalogue(), key=lambda drill: drill.id)
# One drill of each position, for what figure.js does the same on every page (the full loop checks it runs on each).
ONE_PER_POSITION = list({drill.position: drill for drill in DRILLS}.values())
# Long enough for an animation's clock to move, short enough for 35 drills at two sizes.
TICK_MS = 25
# The working leg's colours (svg.py's WORKING and WORKING_FAR).
WORKING = ["#e0662b", "#f2b48f"]

# Whether an element is shown (laid out, not hidden, not transparent) and its rendered box.
SHOWN = """const shown = element => {
  const r = element.getBoundingClientRect();
  return {visible: element.checkVisibility({visibilityProperty: true, opacityProperty: true}),
          left: r.left + scrollX, right: r.right + scrollX, width: r.width, height: r.height};
};"""


def size(viewport: dict[str, int]) -> str:
    return f"{viewport['width']}x{viewport['height']}"


@pytest.fixture(params=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """Every test here runs on the phone (390x844) and on a desktop (1280x800): conftest's fixtures of those names."""
    chosen: dict[str, int] = request.getfixturevalue(request.param)
    return chosen


def assert_shown_within(shown: dict[str, Any], viewport: dict[str, int], what: str) -> None:
    """Visible, with a rendered box that is not empty, and within the viewport's width."""
    assert shown["visible"], f"{what}: hidden"
    assert shown["width"] > 0, f"{what}: an empty box {shown}"
    assert shown["height"] > 0, f"{what}: an empty box {shown}"
    assert shown["left"] >= 0, f"{what}: {shown} off a {size(viewport)}"
    assert shown["right"] <= viewport["width"] + 0.5, f"{what}: {shown} off a {size(viewport)}"


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


STILLS = f"""async () => {{
  {SHOWN}
  const cards = [...document.querySelectorAll(".drill-card")];
  const stills = cards.map(card => [card, card.querySelector("img.figure-still")]);
  for (const [card] of stills) {{  // the stills load lazily, as the runner scrolls down to them
    card.scrollIntoView({{block: "center"}});
    await new Promise(resolve => requestAnimationFrame(resolve));
  }}
  scrollTo(0, 0);
  const loaded = [...document.querySelectorAll("img.figure-still")].map(img =>
    img.complete ? Promise.resolve() : new Promise(resolve => {{ img.onload = img.onerror = resolve; }}));
  await Promise.all(loaded);
  return stills.map(([card, img]) => ({{drill: card.dataset.drill, src: img && img.getAttribute("src"),
    loaded: Boolean(img && img.complete && img.naturalWidth > 0), ...(img ? shown(img) : {{}})}}));
}}"""


@pytest.mark.django_db(transaction=True)
def test_every_card_in_the_library_shows_its_drills_still(
    page: Page, live_server: Any, artefacts: Path, viewport: dict[str, int]
) -> None:
    figures: list[Response] = []
    page.on("response", lambda response: figures.append(response) if "/figure.svg" in response.url else None)
    page.goto(f"{live_server.url}/drills/")
    stills: list[dict[str, Any]] = page.evaluate(STILLS)
    assert sorted(still["drill"] for still in stills) == [drill.id for drill in DRILLS]
    for still in stills:
        assert still["src"] == f"/api/v1/drills/{still['drill']}/figure.svg?still=1", still
        assert still["loaded"], f"{still['drill']}: its still did not load"
        assert_shown_within(still, viewport, f"the still of {still['drill']}")
    assert sorted(r.url.split("/drills/")[1].split("/")[0] for r in figures) == [d.id for d in DRILLS]
    assert [r.url for r in figures if r.status != 200 or r.header_value("content-type") != "image/svg+xml"] == []
    assert page_width(page) <= viewport["width"], "the library scrolls sideways"
    page.screenshot(path=artefacts / f"figures-library-{size(viewport)}.png", full_page=True)


# The drill page's figure and its button as the runner meets them: whether the figure is shown and its box, its
# title, and its animation clock now and TICK_MS later.
DRILL_FIGURE = f"""async () => {{
  {SHOWN}
  const figures = document.querySelectorAll("#drill-figure svg"), svg = figures[0];
  const button = document.getElementById("figure-pause");
  if (!svg) return {{figures: 0}};
  const before = svg.getCurrentTime();
  await new Promise(resolve => setTimeout(resolve, {TICK_MS}));
  return {{
    figures: figures.length, title: svg.querySelector("title")?.textContent, shown: shown(svg),
    pageWidth: document.documentElement.scrollWidth, animations: svg.querySelectorAll("animate").length,
    paused: svg.animationsPaused(), moved: svg.getCurrentTime() - before,
    button: {{shown: !button.hidden, pressed: button.getAttribute("aria-pressed"), text: button.textContent}},
  }};
}}"""
PLAYING = {"shown": True, "pressed": "false", "text": "Pause"}
PAUSED = {"shown": True, "pressed": "true", "text": "Play"}


def drill_figure(page: Page, name: str, viewport: dict[str, int], what: str) -> dict[str, Any]:
    """The drill page's figure, checked shown: one, the drill's own, visible, within the viewport's width, and the
    page no wider."""
    state: dict[str, Any] = page.evaluate(DRILL_FIGURE)
    assert state["figures"] == 1, f"{what}: {state['figures']} figures"
    assert state["title"] == name, f"{what}: another drill's figure"
    assert_shown_within(state["shown"], viewport, what)
    assert state["pageWidth"] <= viewport["width"], f"{what}: the page scrolls sideways"
    return state


def playing(state: dict[str, Any]) -> bool:
    return bool(state["animations"] > 0 and not state["paused"] and state["moved"] > 0)


def still(state: dict[str, Any]) -> bool:
    return bool(state["paused"] and state["moved"] == 0)


@pytest.mark.django_db(transaction=True)
def test_every_drill_page_plays_its_figure_and_the_button_pauses_and_resumes_it(
    page: Page, live_server: Any, artefacts: Path, viewport: dict[str, int]
) -> None:
    button = page.locator("#figure-pause")
    for drill in DRILLS:
        page.goto(f"{live_server.url}/drills/{drill.id}/")
        state = drill_figure(page, drill.name, viewport, drill.id)
        assert state["button"] == PLAYING, drill.id
        assert playing(state), f"{drill.id}: the figure does not move: {state}"

        button.click()
        state = drill_figure(page, drill.name, viewport, f"{drill.id}, paused")
        assert state["button"] == PAUSED, drill.id
        assert still(state), f"{drill.id}: the pause button did not pause the figure: {state}"

        button.click()
        state = drill_figure(page, drill.name, viewport, f"{drill.id}, resumed")
        assert state["button"] == PLAYING, drill.id
        assert playing(state), f"{drill.id}: the figure did not resume: {state}"
    page.screenshot(path=artefacts / f"figures-drill-{DRILLS[-1].id}-{size(viewport)}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_runner_who_asks_for_reduced_motion_sees_the_figure_still_until_they_press_play(
    page: Page, live_server: Any, viewport: dict[str, int]
) -> None:
    page.emulate_media(reduced_motion="reduce")
    for drill in ONE_PER_POSITION:
        page.goto(f"{live_server.url}/drills/{drill.id}/")
        state = drill_figure(page, drill.name, viewport, drill.id)
        assert state["button"] == PAUSED, drill.id
        assert still(state), f"{drill.id}: the figure moves though the runner asked for reduced motion: {state}"

        page.click("#figure-pause")  # the runner can still choose to watch it move
        state = drill_figure(page, drill.name, viewport, drill.id)
        assert state["button"] == PLAYING, drill.id
        assert playing(state), f"{drill.id}: Play did not start the figure: {state}"


# A wizard step's figures: each one's data, whether it is shown and its box; and, held at their first frame, the
# user-space box of the whole figure and of its working leg.
WIZARD_FIGURES = f"""async () => {{
  {SHOWN}
  const holders = [...document.querySelectorAll(".wizard-figure")];
  const svgs = holders.map(holder => holder.querySelector("svg")).filter(Boolean);
  for (const svg of svgs) {{ svg.pauseAnimations(); svg.setCurrentTime(0); }}
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const union = paths => {{
    if (!paths.length) return null;
    const boxes = paths.map(path => path.getBBox());
    return {{left: Math.min(...boxes.map(b => b.x)), right: Math.max(...boxes.map(b => b.x + b.width)),
             top: Math.min(...boxes.map(b => b.y)), bottom: Math.max(...boxes.map(b => b.y + b.height))}};
  }};
  return {{
    title: document.querySelector("h1").textContent, pageWidth: document.documentElement.scrollWidth,
    figures: holders.map(holder => {{
      const svg = holder.querySelector("svg");
      const paths = svg ? [...svg.querySelectorAll("g path")] : [];
      return {{figure: holder.dataset.figure, side: holder.dataset.figureSide,
               svgs: holder.querySelectorAll("svg").length, markup: svg ? svg.outerHTML : "",
               shown: svg ? shown(svg) : null, whole: union(paths),
               working: union(paths.filter(path => {WORKING}.includes(path.getAttribute("stroke"))))}};
    }}),
  }};
}}"""


def assert_mirrored(left: dict[str, float], right: dict[str, float], what: str) -> None:
    """The left picture is the right one flipped left to right about x = 0 (to the drawing's whole units)."""
    flipped = {"left": -right["right"], "right": -right["left"], "top": right["top"], "bottom": right["bottom"]}
    assert left == pytest.approx(flipped, abs=1.5), f"{what}: left {left}, right flipped {flipped}"


@pytest.mark.django_db(transaction=True)
def test_every_screen_step_shows_its_figure_for_each_side_the_left_the_mirror_of_the_right(
    page: Page, live_server: Any, artefacts: Path, viewport: dict[str, int], answer_the_questions: Any
) -> None:
    answer_the_questions(live_server.url)
    seen = []
    while page.locator("h1").inner_text() != "Ready for your result":
        step: dict[str, Any] = page.evaluate(WIZARD_FIGURES)
        figures = step["figures"]
        assert figures, f"{step['title']}: no figure"
        test = TestId(figures[0]["figure"])
        assert step["title"] == test.description
        seen.append(test)
        for figure in figures:
            assert figure["figure"] == test.value, figure["side"]
            assert figure["svgs"] == 1, f"{test.value}, {figure['side']}: {figure['svgs']} figures"
            assert_shown_within(figure["shown"], viewport, f"{test.value}, {figure['side']}")
        sides = [figure["side"] for figure in figures]
        if test is TestId.DEEP_SQUAT:  # both legs at once: one figure
            assert sides == ["right"]
        else:
            assert sides == ["left", "right"], test
            left, right = figures
            assert left["markup"] != right["markup"], f"{test.value}: the same figure for both sides"
            assert_mirrored(left["whole"], right["whole"], f"{test.value}: the figure")
            assert right["working"] is not None, f"{test.value}: no working leg drawn"
            assert_mirrored(left["working"], right["working"], f"{test.value}: the working leg")
        assert step["pageWidth"] <= viewport["width"], f"{test.value}: the step scrolls sideways"
        if test is TestId.THOMAS:
            page.screenshot(path=artefacts / f"figures-screen-step-{size(viewport)}.png", full_page=True)
        if page.locator("input[name=follow_up]").count():  # seated IR's follow-up: asked even when skipped
            page.check("input[name=follow_up][value=no]")
        page.click("button:has-text('Not measured: skip')")
    assert seen == list(TestId)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_contact_sheet_draws_every_key_pose_of_every_figure(page: Page, artefacts: Path) -> None:
    figures = default_figures()
    poses = [f"{figure.id}: {key.name}" for figure in figures for key in figure.poses]
    page.set_content(f"<!doctype html><body style='margin:0'>{contact_sheet(figures)}</body>")
    cells: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll("body > svg > svg")].map(cell => {
          const frame = cell.getBoundingClientRect(), drawn = cell.querySelector("g").getBoundingClientRect();
          const inside = drawn.left >= frame.left - 1 && drawn.right <= frame.right + 1
            && drawn.top >= frame.top - 1 && drawn.bottom <= frame.bottom + 1;
          return {label: cell.previousElementSibling.textContent, width: drawn.width, height: drawn.height, inside};
        })"""
    )
    assert [cell["label"] for cell in cells] == poses
    assert [c["label"] for c in cells if not (c["width"] > 0 and c["height"] > 0)] == [], "poses drawn empty"
    assert [c["label"] for c in cells if not c["inside"]] == [], "poses drawn outside their cell"
    page.screenshot(path=artefacts / "contact-sheet.png", full_page=True)
    assert (artefacts / "contact-sheet.png").stat().st_size > 0
