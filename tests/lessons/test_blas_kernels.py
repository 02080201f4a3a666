"""The stored outputs of the lessons that train networks hold under another OpenBLAS kernel.

A BLAS kernel for another CPU sums matrix products in another order, so the last bits of every trained weight
differ. The lessons print only what survives that (accuracies to 0.1% with the count of correct examples, losses
to 4 decimals, ...). This test re-runs their stored outputs under nbval with OpenBLAS forced to an old kernel
(Prescott: SSE3, no FMA) in a subprocess, and so checks that claim on this machine.
"""

import os
import subprocess
import sys

import pytest

from nnfromscratch_tools.manifest import load_book

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

ROOT = load_book().root
LESSONS = ["08_batches", "09_layers", "10_classification", "11_digits"]
OTHER_KERNEL = "Prescott"

FINGERPRINT = ("import hashlib, numpy as np; a = np.random.default_rng(0).normal(size=(200, 200)).astype(np.float32); "
               "print(hashlib.sha256((a @ a).tobytes()).hexdigest())")


def _run(env_extra, *args, timeout=60):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_lessons_print_the_same_under_another_openblas_kernel():
    default = _run({}, "-c", FINGERPRINT).stdout
    other = _run({"OPENBLAS_CORETYPE": OTHER_KERNEL}, "-c", FINGERPRINT).stdout
    if default == other:
        pytest.skip(f"OPENBLAS_CORETYPE={OTHER_KERNEL} changes nothing here (not OpenBLAS with DYNAMIC_ARCH, or "
                    "the same kernel)")
    notebooks = [str(ROOT / "notebooks" / f"{lesson}.ipynb") for lesson in LESSONS]
    result = _run({"OPENBLAS_CORETYPE": OTHER_KERNEL, "OPENBLAS_NUM_THREADS": "1"}, "-m", "pytest", *notebooks,
                  "-q", "-p", "no:cacheprovider", timeout=900)
    assert result.returncode == 0, result.stdout[-4000:]
