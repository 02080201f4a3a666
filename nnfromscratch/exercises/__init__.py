"""The exercise catalogue: every exercise of the course as one unit (reference, input cases, known mistakes
with their hints), assembled here into one registry.

    exercise.py   what an exercise is (Exercise, Case, Mistake)
    part1.py      Part I's exercises, part2.py Part II's, part3.py Part III's: add an exercise there, as one unit
    runner.py     the one way a learner's function is run (in the kernel by check(), in the sandbox by the grader)
    judge.py      the verdict from what it did, the same wherever it ran

The check cells reach this through `nnfromscratch.checks.check`.
"""

import numpy as np

from . import part1, part2, part3
from .exercise import Case, Exercise, Mistake

EXERCISES = {e.name: e for e in (*part1.EXERCISES, *part2.EXERCISES, *part3.EXERCISES)}


def cases_for(name, seed=0):
    """The inputs of exercise `name`, drawn with `seed` (0 is what the notebooks' check cells use) or a Generator."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return EXERCISES[name].cases(rng)


__all__ = ["EXERCISES", "Case", "Exercise", "Mistake", "cases_for"]
