"""The static website: every lesson has a page, links and images resolve, maths is MathML, headings form an outline."""

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from nnfromscratch_tools.manifest import load_book

ROOT = load_book().root
from nnfromscratch_tools.site import build_site

BOOK = load_book()
pytestmark = pytest.mark.slow  # building the website takes seconds


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.headings, self.math, self._skip = [], [], [], 0, 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "img":
            self.images.append(a)
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "math":
            self.math += 1
        if tag in ("script", "style", "pre", "code"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "pre", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    build_site(out)
    return out, time.perf_counter() - start


def parse(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_builds_quickly_with_a_page_per_lesson(site):
    out, seconds = site
    assert seconds < 30
    assert (out / "index.html").exists()
    for lesson in BOOK.lessons:
        assert (out / f"{lesson.stem}.html").exists(), f"no page for {lesson.file}"


def test_every_internal_link_and_image_resolves(site):
    out, _ = site
    for path in sorted(out.glob("*.html")):
        page = parse(path)
        for href in page.links:
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto") or href.startswith("#"):
                continue
            target = (path.parent / unquote(url.path)).resolve()
            assert target.exists(), f"{path.name}: broken link {href}"
        for img in page.images:
            src = img.get("src", "")
            assert src.startswith("data:image/png;base64,") or (path.parent / src).exists(), f"{path.name}: {src[:60]}"
            assert len(src) > 1000 and img.get("alt", "").startswith("Figure: "), f"{path.name}: image without alt"


def test_lesson_pages_have_maths_figures_navigation_and_an_outline(site):
    out, _ = site
    for i, lesson in enumerate(BOOK.lessons):
        page = parse(out / f"{lesson.stem}.html")
        text = "".join(page.text)
        assert page.math > 0, f"{lesson.stem}: no maths"
        assert not re.search(r"\$[^$\n]*\\(frac|partial|sigma|hat)", text), f"{lesson.stem}: TeX left unconverted"
        assert page.images, f"{lesson.stem}: no figures"
        assert page.headings[0] == 1 and page.headings.count(1) == 1, f"{lesson.stem}: one h1 first"
        assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:])), f"{lesson.stem}: skipped level"
        assert BOOK.binder_url(lesson.learner_file) in "".join(page.links) or any(
            BOOK.binder_url(lesson.learner_file) == l for l in page.links)
        if i + 1 < len(BOOK.lessons):
            assert f"{BOOK.lessons[i + 1].stem}.html" in page.links


def test_sliders_are_replaced_by_a_note(site):
    out, _ = site
    html = (out / "01_forward_pass.html").read_text(encoding="utf-8")
    assert html.count('class="widget-note"') == 2 and "interactive(children" not in html


def test_index_lists_every_lesson_with_objectives_and_binder_links(site):
    out, _ = site
    page = parse(out / "index.html")
    text = "".join(page.text)
    for lesson in BOOK.lessons:
        assert lesson.title in text and lesson.objectives[0] in text
        assert BOOK.binder_url(lesson.learner_file) in page.links and BOOK.binder_url(lesson.file) in page.links
