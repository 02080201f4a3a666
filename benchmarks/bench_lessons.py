"""Benchmark the lessons: the worked example's step, slider computation and redraw times, notebook execution time.

Run with the test environment:  .venv-test/bin/python benchmarks/bench_lessons.py [--no-notebooks]
Targets (issues 2, 3 and 5): each Part I notebook about 3 s or less under nbval and headless,
each Part II notebook under 15 s; a slider update computes in well under 1 ms and redraws its
figure in under 150 ms. Issue 10: one step through `trace` within 2x of the same step in bare
numpy, and a 2000-step move of the training slider computing in 50 ms or less. Figures are
measured side by side in one run; the ratio column is measured / target (or / the bare step).
"""

import subprocess
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnfromscratch import example
from nnfromscratch.visuals import widgets  # noqa: E402
from nnfromscratch_tools.manifest import load_book  # noqa: E402

ROOT = load_book().root

# In-process figures are CPU time of this thread: on a machine shared with other work they barely move,
# where wall-clock time swings by 2x or more. The notebooks (other processes) are timed by the wall clock.
clock = time.thread_time


def best_of(fn, repeat=5, number=1):
    times = []
    for _ in range(repeat):
        start = clock()
        for _ in range(number):
            fn()
        times.append((clock() - start) / number)
    return min(times)


def notebooks():
    """One pytest run over all notebooks in one process (-n 0: one notebook at a time); time per notebook from
    --durations=0."""
    print("Notebook time under nbval (kernel start + every cell + teardown, from one pytest run; "
          "target 3 s for Part I, 15 s for Part II)")
    lessons = load_book().lessons
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "--durations=0", "--durations-min=0",
                             *[str(l.path) for l in lessons]], cwd=ROOT, capture_output=True, text=True)
    total = time.perf_counter() - start
    per = {l.stem: 0.0 for l in lessons}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith("s") and "::Cell" in parts[2]:
            stem = Path(parts[2].split("::")[0]).stem
            per[stem] = per.get(stem, 0.0) + float(parts[0][:-1])
    target = {l.stem: 3.0 if l.part == "I" else 15.0 for l in lessons}
    for stem, took in per.items():
        print(f"  {stem:<24} {took:5.2f} s   ratio to {target[stem]:g} s: {took / target[stem]:4.2f}")
    print(f"  whole run: {total:.1f} s wall for {len(lessons)} notebooks, pytest exit code {result.returncode}")
    headless(lessons)


def headless(lessons):
    """Headless execution as `course.py execute` does it (nbclient, fresh kernel), per notebook."""
    from nnfromscratch_tools.build import execute, notebook_from_source

    print("Headless execution with nbclient (fresh kernel per notebook; target 3 s for Part I, 15 s for Part II)")
    for lesson in lessons:
        nb = notebook_from_source(lesson.source)
        start = time.perf_counter()
        execute(nb, lesson.path.parent)
        took = time.perf_counter() - start
        target = 3.0 if lesson.part == "I" else 15.0
        print(f"  {lesson.stem:<24} {took:5.2f} s   ratio to {target:g} s: {took / target:4.2f}")


def bare_step(W1, b1, W2, b2, x, y, alpha):
    """One training step of the worked example in plain numpy, as a learner would write it: no checks, the
    textbook sigmoid 1/(1 + e^-z) (the package's is the stable one, never overflowing), nothing kept."""
    h1 = 1 / (1 + np.exp(-(W1 @ x + b1)))
    y_hat = 1 / (1 + np.exp(-(W2 @ h1 + b2)))
    loss = 0.5 * np.sum((y_hat - y) ** 2)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return (W1 - alpha * np.outer(delta1, x), b1 - alpha * delta1, W2 - alpha * np.outer(delta2, h1),
            b2 - alpha * delta2, loss)


def stable_sigmoid(z):
    """The package's sigmoid formula (`activations.sigmoid` without its input check): e^-|z| never overflows."""
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def bare_step_stable(W1, b1, W2, b2, x, y, alpha):
    """`bare_step` with the package's stable sigmoid: how much of the gap to `trace` is that formula."""
    h1 = stable_sigmoid(W1 @ x + b1)
    y_hat = stable_sigmoid(W2 @ h1 + b2)
    loss = 0.5 * np.sum((y_hat - y) ** 2)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return (W1 - alpha * np.outer(delta1, x), b1 - alpha * delta1, W2 - alpha * np.outer(delta2, h1),
            b2 - alpha * delta2, loss)


def bare_training(steps, alpha=0.1):
    ex = example.worked_example()
    W1, b1, W2, b2, losses = ex.W1, ex.b1, ex.W2, ex.b2, []
    for _ in range(steps):
        W1, b1, W2, b2, loss = bare_step(W1, b1, W2, b2, ex.x, ex.y, alpha)
        losses.append(loss)
    return losses


def steps(rounds=15):
    """The worked example's step: bare numpy, `trace`, `train`, the training slider; best of `rounds`, interleaved."""
    ex = example.worked_example()
    n = 2000
    candidates = {  # name: (function, calls per timing, steps per call)
        "bare numpy step": (lambda: bare_step(ex.W1, ex.b1, ex.W2, ex.b2, ex.x, ex.y, 0.1), 500, 1),
        "bare numpy step, the package's stable sigmoid": (
            lambda: bare_step_stable(ex.W1, ex.b1, ex.W2, ex.b2, ex.x, ex.y, 0.1), 500, 1),
        "trace(new_loss=False): one step, every value": (lambda: example.trace(ex, new_loss=False), 500, 1),
        "trace(): the step and the loss after it": (lambda: example.trace(ex), 500, 1),
        f"bare numpy, {n} steps": (lambda: bare_training(n), 1, n),
        f"train(steps={n})": (lambda: example.train(alpha=0.1, steps=n), 1, n),
        f"training slider, {n} steps (training_run)": (lambda: widgets.training_run(0.1, n), 1, n),
    }
    best = {name: float("inf") for name in candidates}
    for _ in range(rounds):
        for name, (fn, number, _) in candidates.items():
            start = clock()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (clock() - start) / number)
    bare = best["bare numpy step"]
    print(f"The worked example's training step (CPU time, best of {rounds}, interleaved; targets: a trace step within 2x of the "
          f"bare step, a {n}-step slider move in 50 ms or less)")
    for name, (_, _, per) in candidates.items():
        t = best[name]
        line = f"  {name:<48} {t * 1e3:8.3f} ms   {t / per * 1e6:6.1f} us per step = {t / per / bare:4.2f} x bare"
        if name.startswith("training slider"):
            line += f"   ratio to 50 ms: {t / 0.050:4.2f}"
        print(line)


def sliders():
    print("Slider computation (best of 5, target well under 1 ms) and redraw (compute + draw to PNG, target 150 ms)")
    computations = {
        "sigmoid": lambda: widgets.sigmoid(0.3825),
        "forward (x sliders)": lambda: widgets.forward_values(1.0, -0.5),
        "nudge": lambda: widgets.nudge("W1[0,1]", 1e-3),
    }
    for name, fn in computations.items():
        t = best_of(fn, number=200)
        print(f"  compute {name:<22} {t * 1e3:7.3f} ms   ratio to 1 ms: {t / 1e-3:5.3f}")
    t = best_of(lambda: widgets.training_run(0.1, 200), repeat=3)
    print(f"  compute {'training (200 steps)':<22} {t * 1e3:7.3f} ms   ratio to 1 ms: {t / 1e-3:5.1f}"
          "   (200 training steps per slider move: see the note)")
    redraws = {
        "sigmoid": lambda: widgets.show_sigmoid(0.5),
        "forward": lambda: widgets.show_forward(1.0, -0.5),
        "loss": lambda: widgets.show_loss(0.3),
        "training": lambda: widgets.show_training(0.1, 200),
    }
    import contextlib
    import io

    def draw(fn):
        with contextlib.redirect_stdout(io.StringIO()):
            with plt.rc_context({"figure.max_open_warning": 0}):
                orig_show = plt.show
                plt.show = lambda: (plt.gcf().savefig(io.BytesIO(), format="png"), plt.close("all"))
                try:
                    fn()
                finally:
                    plt.show = orig_show

    for name, fn in redraws.items():
        t = best_of(lambda: draw(fn), repeat=5)
        print(f"  redraw  {name:<22} {t * 1e3:7.1f} ms   ratio to 150 ms: {t / 0.150:5.2f}")


if __name__ == "__main__":
    np.set_printoptions(precision=8, suppress=True)
    steps()
    sliders()
    if "--no-notebooks" not in sys.argv:
        notebooks()
