"""A learner who fills every exercise of lessons 08 to 10 trains the digits of lesson 11 with their own code.

The learner's code here is written independently of the package (other expressions, tuples instead of lists),
placed in minimal notebooks beside the learner's version of lesson 11, which is then run as the learner would.
"""

import re
import shutil

import nbformat
import pytest

from nnfromscratch_tools.manifest import load_book

pytestmark = pytest.mark.kernel

ROOT = load_book().root
SETUP = "%matplotlib inline\nimport numpy as np\nimport nnfromscratch as nn\n"

SOLUTIONS = {
    "08_batches": {
        "train_epoch": '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        loss, grads = gradients(params, X[batch], labels[batch])
        params = [(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
    },
    "09_layers": {
        "dense_forward": '''
def dense_forward(W, b, X, activation):
    Z = np.dot(X, W.T) + b
    H = {"relu": lambda z: np.maximum(z, 0.0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
         "linear": lambda z: z}[activation](Z)
    return H, (X, W, H, activation)
''',
        "dense_backward": '''
def dense_backward(dH, cache):
    X, W, H, activation = cache
    slope = {"relu": (H > 0) * 1.0, "sigmoid": H * (1 - H), "tanh": 1 - H ** 2, "linear": np.ones_like(H)}
    delta = slope[activation] * dH
    return np.dot(delta, W), np.dot(delta.T, X), np.sum(delta, axis=0)
''',
        "network_backward": '''
def network_backward(dout, caches, layer_backward):
    grads = []
    for cache in caches[::-1]:
        dout, dW, db = layer_backward(dout, cache)
        grads.insert(0, (dW, db))
    return grads
''',
    },
    "10_classification": {
        "cross_entropy": '''
def cross_entropy(labels, logits):
    z = logits - logits.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(labels)), labels]))
''',
        "softmax_cross_entropy_grad": '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(logits.shape[1])[labels]) / len(labels)
''',
    },
}


def _write(path, solutions):
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for name, source in solutions.items():
        cell = nbformat.v4.new_code_cell(source.strip())
        cell.metadata["nbgrader"] = {"grade": False, "grade_id": name, "locked": False, "schema_version": 3,
                                     "solution": True, "task": False}
        cells.append(cell)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


def _outputs(nb):
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_the_learner_s_own_functions_train_the_digits(tmp_path):
    from nbclient import NotebookClient

    for lesson, solutions in SOLUTIONS.items():
        _write(tmp_path / f"{lesson}.ipynb", solutions)
    shutil.copy(ROOT / "learner" / "11_digits.ipynb", tmp_path / "11_digits.ipynb")
    nb = nbformat.read(tmp_path / "11_digits.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = _outputs(nb)
    assert text.count("passes its check") == 6, text
    yours = re.search(r"your network: +test accuracy [\d.]+% \((\d+) of (\d+) correct\)", text)
    package = re.search(r"the package's: +test accuracy [\d.]+% \((\d+) of (\d+) correct\)", text)
    assert yours and package, text
    assert int(yours[1]) / int(yours[2]) >= 0.97
    assert yours.groups() == package.groups()
    assert "your weights and the package's after 30 epochs: below 1e-9 (round-off)" in text
