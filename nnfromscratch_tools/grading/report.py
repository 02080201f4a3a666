"""The class report: what an instructor should reteach on Monday.

Per exercise: how many submissions passed, and the catalogued mistakes ranked by how many submissions
made them, each with its hint; then what else went wrong (not written, time limits, exceptions). One
self-contained HTML page (no scripts, no external requests), from the same SubmissionResults as the CSV.
"""

import html
from collections import Counter

from nnfromscratch.exercises import EXERCISES

OTHER = {"not implemented": "not written yet", "time limit": "ran out of time", "wrong": "wrong, no known mistake",
         "argument modified in place": "changed an argument in place", "reference used": "called the package's answer",
         "unreadable": "file could not be read", "wrong lesson": "notebook of another lesson"}


def summarise(results):
    """{exercise: {"submissions": n, "passed": k, "mistakes": Counter(name -> count)}} in lesson order."""
    summary = {}
    for result in results:
        for e in result.exercises:
            entry = summary.setdefault(e.name, {"submissions": 0, "passed": 0, "mistakes": Counter()})
            entry["submissions"] += 1
            if e.passed:
                entry["passed"] += 1
            else:
                entry["mistakes"][e.mistake or "not graded"] += 1
    return summary


def class_report(results, book):
    """The report as an HTML page."""
    summary = summarise(results)
    hints = {name: {m.name: m.hint for m in EXERCISES[name].mistakes} for name in summary if name in EXERCISES}
    lessons = sorted({r.lesson for r in results if r.lesson})
    titles = {lesson.stem: lesson.title for lesson in book.lessons}
    parts = [f"<h1>Class report: {html.escape(', '.join(titles.get(s, s) for s in lessons) or 'no lesson')}</h1>",
             f"<p>{len(results)} submissions; mean score {_mean(results):.2f} of "
             f"{max((r.max_score for r in results), default=0):g}.</p>"]
    for name, entry in summary.items():
        n, passed = entry["submissions"], entry["passed"]
        rate = passed / n if n else 0.0
        parts.append(f"<section><h2><code>{html.escape(name)}</code>: {passed} of {n} passed ({rate:.0%})</h2>"
                     f'<div class="bar" role="img" aria-label="{rate:.0%} passed"><span style="width:{rate:.0%}">'
                     "</span></div>")
        known = [(m, c) for m, c in entry["mistakes"].most_common() if m in hints.get(name, {})]
        other = [(m, c) for m, c in entry["mistakes"].most_common() if m not in hints.get(name, {})]
        if known:
            parts.append("<h3>Known mistakes, most frequent first</h3><table><tr><th>mistake</th>"
                         "<th>submissions</th><th>hint to reteach</th></tr>")
            parts += [f"<tr><td>{html.escape(m)}</td><td>{c}</td><td>{html.escape(hints[name][m])}</td></tr>"
                      for m, c in known]
            parts.append("</table>")
        if other:
            parts.append("<h3>Other failures</h3><ul>")
            parts += [f"<li>{html.escape(OTHER.get(m, m))}: {c}</li>" for m, c in other]
            parts.append("</ul>")
        parts.append("</section>")
    style = ("body{font-family:sans-serif;max-width:55rem;margin:0 auto;padding:1rem;line-height:1.45}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
             ".bar{background:#eee;width:20rem;height:.8rem}.bar span{display:block;height:100%;background:#009E73}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Class report</title>'
            f"<style>{style}</style></head><body><main>{''.join(parts)}</main></body></html>\n")


def _mean(results):
    return sum(r.score for r in results) / len(results) if results else 0.0
