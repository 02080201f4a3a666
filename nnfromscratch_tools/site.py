"""The course as a static website, built from book.toml: `python3 course.py book` writes `_build/site/`.

- `index.html`: the course description and every lesson with its objectives, a link to its page,
  "open in Binder" (the learner version) and "solutions in Binder" (the solved notebook).
- one page per lesson, the solved notebook rendered by nbconvert's HTML exporter, with:
  the maths converted to MathML when the site is built (browsers render it natively, so
  pages need no network and no MathJax); no script or style from another site (nbconvert's
  require.js and mermaid loaders are removed), so a page makes no third-party request; each figure's alt text taken from the sentence
  before it; each slider replaced by a note that it is live in JupyterLab (widget state is
  not stored; the cell after each slider shows it at fixed values); previous/next links.

It builds offline; `tests/tools/test_site.py` builds it and checks every link and image.
"""

import html
import re
import shutil
import time
from pathlib import Path

from .manifest import load_book

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)

CSS = """
body { max-width: 60rem; margin: 0 auto; padding: 0 1rem 3rem; }
nav.course { display: flex; gap: 1.5rem; flex-wrap: wrap; padding: 0.8rem 0; border-bottom: 1px solid #ccc;
             font-family: sans-serif; }
nav.course a { color: #0072B2; }
.widget-note { border-left: 4px solid #E69F00; background: #fff8e6; padding: 0.5rem 0.8rem; font-family: sans-serif; }
math[display="block"] { margin: 0.8em 0; }
"""


_PROTECTED = re.compile(r"(<script.*?</script>|<style.*?</style>|<pre.*?</pre>|<code.*?</code>)", re.S | re.I)


def math_to_mathml(page):
    """Replace the $...$ and $$...$$ that nbconvert leaves in a page (outside code, scripts and styles) with
    MathML, so the page shows its maths with no script and no network (browsers render MathML natively)."""
    from latex2mathml.converter import convert

    def replace(match):
        block, inline = match.group(1), match.group(2)
        tex = html.unescape(block if block is not None else inline)
        return convert(tex, display="block" if block is not None else "inline")

    parts = _PROTECTED.split(page)
    return "".join(p if i % 2 else _MATH.sub(replace, p) for i, p in enumerate(parts))


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>\s*", re.S | re.I)


def remove_remote_scripts(page):
    """Drop every script that loads something from another site: nbconvert's template adds require.js from a CDN
    (for widgets, which the pages do not have) and a loader that imports mermaid from a CDN (for diagrams, which
    the lessons do not have). The pages then make no request to any other site, and work offline."""
    def keep(match):
        attributes, body = match.group(1), match.group(2)
        remote = re.search(r"\bsrc\s*=\s*[\"']?(https?:)?//", attributes, re.I) or re.search(r"https?://", body)
        return "" if remote else match.group(0)

    return _SCRIPT.sub(keep, page)


def _first_sentence(markdown):
    text = re.sub(r"[#*`$\\]", "", markdown).strip()
    text = re.sub(r"\s+", " ", text)
    return (re.split(r"(?<=[.!?:])\s", text)[0] if text else "")[:200]


def _prepare(nb, binder_url):
    """Replace sliders with a note, and collect one alt text per PNG figure, in order."""
    alts, context = [], "Figure"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            context = _first_sentence(cell.source) or context
            continue
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                note = (f'<div class="widget-note" role="note">Interactive slider: it is live when you run the lesson '
                        f'in JupyterLab (<a href="{html.escape(binder_url)}">open in Binder</a>). The cell after it '
                        f'shows what it draws at fixed values.</div>')
                outputs.append({"output_type": "display_data", "metadata": {}, "data": {"text/html": note}})
                continue
            if "image/png" in data:
                alts.append(f"Figure: {context}")
            outputs.append(out)
        cell.outputs = outputs
    return alts


def _add_alt_texts(page, alts):
    """Give the n-th embedded PNG figure the n-th alt text (replacing nbconvert's generic one)."""
    counter = iter(range(len(alts) + 10 ** 6))

    def replace(match):
        i = next(counter)
        alt = html.escape(alts[i] if i < len(alts) else "Figure", quote=True)
        tag = re.sub(r'\salt="[^"]*"', "", match.group(0))
        return tag.replace("<img", f'<img alt="{alt}"', 1)

    return re.sub(r'<img\b[^>]*src="data:image/png;base64,[^"]*"[^>]*>', replace, page)


def _nav(book, index, position):
    lessons = book.lessons
    lesson = lessons[index]
    links = ['<a href="index.html">Contents</a>']
    if index > 0:
        links.append(f'<a href="{lessons[index - 1].stem}.html" rel="prev">← {html.escape(lessons[index - 1].title)}</a>')
    if index + 1 < len(lessons):
        links.append(f'<a href="{lessons[index + 1].stem}.html" rel="next">{html.escape(lessons[index + 1].title)} →</a>')
    links.append(f'<a href="{html.escape(book.binder_url(lesson.learner_file))}">Open in Binder (learner version)</a>')
    return f'<nav class="course" aria-label="{position} lesson navigation">' + " ".join(links) + "</nav>"


def render_lesson(book, index, exporter):
    """One lesson page as HTML text."""
    import nbformat

    lesson = book.lessons[index]
    nb = nbformat.read(lesson.path, as_version=4)
    alts = _prepare(nb, book.binder_url(lesson.learner_file))
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": lesson.title}})
    page = re.sub(r"<script[^>]*mathjax[^>]*>.*?</script>\s*", "", page, flags=re.S | re.I)
    page = re.sub(r"<script type=\"text/x-mathjax-config\">.*?</script>\s*", "", page, flags=re.S)
    page = remove_remote_scripts(page)
    page = _add_alt_texts(math_to_mathml(page), alts)
    page = page.replace("</head>", f"<style>{CSS}</style>\n</head>", 1)
    page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(lesson.title)} · {html.escape(book.title)}</title>",
                  page, count=1, flags=re.S)
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _nav(book, index, "top"), page, count=1)
    return page.replace("</body>", _nav(book, index, "bottom") + "</body>", 1)


def render_index(book):
    items = []
    for number, lesson in enumerate(book.lessons):
        objectives = "".join(f"<li>{html.escape(o)}</li>" for o in lesson.objectives)
        exercises = ", ".join(f"<code>{html.escape(e)}</code>" for e in lesson.exercises)
        items.append(
            f'<li><h3><a href="{lesson.stem}.html">{html.escape(lesson.title)}</a></h3>'
            f"<p>Part {html.escape(lesson.part)} · exercises: {exercises}</p><ul>{objectives}</ul>"
            f'<p><a href="{html.escape(book.binder_url(lesson.learner_file))}">Open in Binder (learner version)</a> · '
            f'<a href="{html.escape(book.binder_url(lesson.file))}">Solutions in Binder</a> · '
            f'<a href="{lesson.stem}.html">Read the solved lesson</a></p></li>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(book.title)}</title>
<style>body {{ font-family: sans-serif; max-width: 55rem; margin: 0 auto; padding: 1rem; line-height: 1.5; }}
a {{ color: #0072B2; }} ol > li {{ margin-bottom: 1.2rem; }}</style></head>
<body><main>
<h1>{html.escape(book.title)}</h1>
<p>{html.escape(book.description)}</p>
<p><a href="{html.escape(book.binder_url(book.lessons[0].learner_file))}">Start in Binder</a>: the sliders and
exercises are live there (or run <code>python3 course.py lab</code> locally). These pages show the solved lessons
with their stored outputs; the sliders are live only in JupyterLab.</p>
<h2>Lessons</h2>
<ol start="0">{''.join(items)}</ol>
</main></body></html>
"""


def build_site(out=None, book=None):
    """Write the site to `out` (default: the course's _build/site/, replaced); return the list of files written."""
    from nbconvert import HTMLExporter

    start = time.perf_counter()
    book = book or load_book()
    out = Path(out) if out is not None else book.site_dir
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    exporter = HTMLExporter(template_name="lab")
    exporter.embed_images = True
    written = [out / "index.html"]
    written[0].write_text(render_index(book), encoding="utf-8")
    for index, lesson in enumerate(book.lessons):
        path = out / f"{lesson.stem}.html"
        path.write_text(render_lesson(book, index, exporter), encoding="utf-8")
        written.append(path)
    print(f"{len(written)} pages in {out} ({time.perf_counter() - start:.1f} s)")
    return written
