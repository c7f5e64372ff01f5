"""Test helpers for the review page: headless Chromium, and facts to click on.

Also a way to look at the page by eye (a screenshot, at a fact or measure link):

    .venv/bin/python tests/review_browser.py /tmp/shot.png samples/001_df3ed95b26241507.txt '#d0-f5'

    >>> CHROMIUM_FLAGS[0]
    '--headless'
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from policyparse.models import Deadline, Frequency, Target
from policyparse.review import Page

# what Chromium needs to run headless as root in a container, without touching the network
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
]


def chromium() -> str | None:
    """The Chromium binary, or None."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(binary: str, url: str, *extra: str, budget_ms: int = 3000, timeout: float = 60) -> str:
    """Load ``url`` headless with a fresh profile; return stdout (the DOM with --dump-dom)."""
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile:
        proc = subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *extra, url],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return proc.stdout


def probe(dom: str) -> dict:
    """The JSON a test script left in ``<pre id="probe">``."""
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    if not m:
        raise AssertionError("the page script left no probe result:\n" + dom[-2000:])
    return json.loads(html.unescape(m.group(1)))


def with_script(page_html: str, script: str) -> str:
    """The page with a test script run after its own."""
    return page_html.replace("</body>", f"<script>{script}</script></body>")


_TARGET = re.compile(r"(\d+(?:\.\d+)?)(%|个|名|次|家)(以上)?")
_DEADLINE = re.compile(r"(?:到|至)?(20\d\d)年(?:底前|底|前)?")
_PERIOD = {"年": "year", "季度": "quarter", "月": "month", "周": "week"}
_FREQ = re.compile(r"每(年|季度|月|周)")


def ensure_facts(page: Page) -> Page:
    """Give a page spanned facts to click when its extraction found none.

    The review page is under test, not the extractors: simple regexes stand in
    for them, so the test means the same whatever the extractors find today.
    """
    if any(getattr(f, "span", None) for m in page.doc.measures for k in ("targets", "deadlines", "frequencies") for f in getattr(m, k)):
        return page
    for m in page.doc.measures:
        a = m.span.start
        own = page.text[a : m.span.end]
        for x in _TARGET.finditer(own):
            m.targets.append(
                Target(text=x.group(0), value=float(x.group(1)), unit=x.group(2), comparator=">=" if x.group(3) else "==",
                       span={"start": a + x.start(), "end": a + x.end()})
            )
        for x in _DEADLINE.finditer(own):
            m.deadlines.append(Deadline(text=x.group(0), date=f"{x.group(1)}-12-31", span={"start": a + x.start(), "end": a + x.end()}))
        for x in _FREQ.finditer(own):
            m.frequencies.append(Frequency(text=x.group(0), period=_PERIOD[x.group(1)], span={"start": a + x.start(), "end": a + x.end()}))
    return page


def screenshot(binary: str, url: str, out: Path) -> Path:
    run_chromium(binary, url, f"--screenshot={out}")
    return out


if __name__ == "__main__":
    import sys

    from policyparse.review import build_html, prepare

    shot, *inputs = sys.argv[1:]
    anchor = inputs.pop() if inputs and inputs[-1].startswith("#") else ""
    binary = chromium()
    if binary is None:
        sys.exit("Chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "review.html"
        page.write_text(build_html([p for i in inputs for p in prepare(i)]), encoding="utf-8")
        screenshot(binary, page.as_uri() + anchor, Path(shot).resolve())
    print(shot)
