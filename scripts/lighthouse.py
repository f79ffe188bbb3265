"""Lighthouse's mobile scores for the home page, a drill page and the player, against a running hipcoach.

    make run &                       # or any server
    python scripts/lighthouse.py http://127.0.0.1:8000

Needs Node (npx fetches lighthouse@12.2.3 once) and Chromium (CHROME_PATH, else /usr/bin/chromium). The player is
played as a visitor: the script answers the safety questions first (no warning sign), as a visitor would, and hands
Lighthouse that browser session. Prints one line per page and category; exits 1 when a score is under 95.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices")
BAR = 95
PAGES = {
    "home": "/",
    "drill": "/drills/90-90-stretch/",
    "player": "/play/once/?context=pre-run&minutes=5",
}


def visitor_session(base: str) -> str:
    """A visitor's session cookie after the safety questions, every answer "no", age 34, no pain."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + PAGES["player"]).read().decode()
    answers = dict.fromkeys(set(re.findall(r'type="radio" name="([^"]+)"', page)), "no")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("The player did not ask the safety questions: is this a hipcoach server?")
    form = {**answers, "csrfmiddlewaretoken": token.group(1), "age": "34", "pain_now": "0", "next": PAGES["player"]}
    request = urllib.request.Request(
        base + "/screen/safety-check/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + PAGES["player"]},
    )
    opener.open(request).read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def scores(url: str, cookie: str, folder: Path) -> dict[str, int]:
    report = folder / "report.json"
    subprocess.run(
        [
            "npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            f"--only-categories={','.join(CATEGORIES)}", f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )  # fmt: skip
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main(base: str) -> int:
    base = base.rstrip("/")
    cookie = visitor_session(base)
    low = False
    with tempfile.TemporaryDirectory() as folder:
        for name, path in PAGES.items():
            measured = scores(base + path, cookie, Path(folder))
            low = low or min(measured.values()) < BAR
            print(name, path, " ".join(f"{category} {score}" for category, score in measured.items()))
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
