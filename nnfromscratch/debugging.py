r"""Find the bug: three networks, each with one planted bug, to diagnose with the tools of `diagnostics`.

Each suspect is a package `Network` built with a faulty pair of layer functions (the same slots a learner's own
`dense_forward` / `dense_backward` plug into). Its forward pass is always right; one step of its backward pass is
not. `suspect(name, sizes=..., activation=...)` builds it, so that a learner can change one thing at a time and
watch whether the symptom goes away. `check_diagnosis(find_the_bug)` says, for each suspect, whether the
location named is right, and why.

Reading this file gives the answers away: diagnose with the tools first.
"""

import os

import numpy as np

from . import data
from .activations import get_activation
from .layers import dense_backward, dense_forward, forward_prop
from .network import Network

# Where a bug can be, one name per step of training a network (the answers `find_the_bug` may give).
LOCATIONS = {
    "forward pass": "Z = X W^T + b and H = f(Z), in a layer's forward pass",
    "loss gradient": "dL/dZ of the output layer, (P - Y) / n",
    "activation gradient": "Delta = f'(Z) * dL/dH, the activation's derivative in a layer's backward pass",
    "weight gradient": "dL/dW = Delta^T X",
    "bias gradient": "dL/db = the sum of Delta over the batch",
    "input gradient": "dL/dX = Delta W, the gradient a layer sends to the layer below",
    "update": "W <- W - alpha dL/dW, the optimiser's step",
}


# --- the planted bugs -------------------------------------------------------------------------------------------

def _backward_weight_grad_over_n(dH, cache):
    """Suspect A: dW divided by the batch size once more, though dH already carries the loss's 1/n."""
    dX, dW, db = dense_backward(dH, cache)
    return dX, dW / len(cache[0]), db


def _forward_keeping_z(W, b, X, activation):
    """Suspect B's forward: right, but it also keeps the pre-activation Z in the cache."""
    H, cache = dense_forward(W, b, X, activation)
    return H, (cache, forward_prop(W, b, X, "linear"))


def _backward_grad_at_z(dH, cache):
    """Suspect B: the activation's derivative evaluated at the pre-activation Z instead of the output H."""
    (X, W, H, activation), Z = cache
    return dense_backward(dH, (X, W, Z, activation))


def _backward_missing_transpose(dH, cache):
    """Suspect C: dX = Delta W^T (the transpose of W where W itself belongs)."""
    X, W, H, activation = cache
    _, dW, db = dense_backward(dH, cache, need_dX=False)
    delta = get_activation(activation).grad(H, dH)
    return delta @ W.T, dW, db


# name -> (layer_forward, layer_backward, default sizes, default activation, data set)
SUSPECTS = {
    "A": (dense_forward, _backward_weight_grad_over_n, [64, 32, 10], "relu", "digits"),
    "B": (_forward_keeping_z, _backward_grad_at_z, [64, 32, 32, 10], "tanh", "digits"),
    "C": (dense_forward, _backward_missing_transpose, [2, 2, 2, 2], "tanh", "moons"),
}


def suspect(name, sizes=None, activation=None, seed=0):
    """Suspect network `name` ("A", "B" or "C"): a float64 `Network` with one planted bug.

    sizes, activation: override its defaults (`SUSPECTS`) to test a hypothesis; the initialisation is He's for
    ReLU and LeCun's otherwise.
    """
    if name not in SUSPECTS:
        raise ValueError(f"suspect: choose one of {sorted(SUSPECTS)}, not {name!r}.")
    forward, backward, default_sizes, default_activation, _ = SUSPECTS[name]
    activation = default_activation if activation is None else activation
    return Network(default_sizes if sizes is None else sizes, activation=activation,
                   init="he" if activation == "relu" else "lecun", seed=seed,
                   layer_forward=forward, layer_backward=backward)


def suspect_data(name):
    """The data suspect `name` is trained on: (X, labels) as float64, the digits (A, B) or 200 moons (C)."""
    if name not in SUSPECTS:
        raise ValueError(f"suspect_data: choose one of {sorted(SUSPECTS)}, not {name!r}.")
    if SUSPECTS[name][4] == "digits":
        return data.load_digits(np.float64)
    return data.make_moons(200, seed=0)


def investigate(name, sizes=None, activation=None, seed=0):
    """Run the four sanity checks on suspect `name` (optionally with other sizes or another activation) and print
    what they show. Never raises for the suspect's sake: a crash is reported with its message.

    1. the initial loss against ln(classes), the loss of a uniform guess;
    2. the gradient check on 5 examples, per parameter: the share of entries that agree with finite differences
       and the median ratio analytic / numerical (`diagnostics.layer_agreement`);
    3. the update-to-weight ratio of each layer at learning rate 0.1, on a batch of 32;
    4. overfitting 20 examples: 100 epochs of full-batch gradient descent at learning rate 0.1.
    """
    from .diagnostics import check_network, layer_agreement, update_ratios
    from .network import TrainingDiverged

    net = suspect(name, sizes, activation, seed)
    X, labels = suspect_data(name)
    print(f"Suspect {name}: {net!r} on the {SUSPECTS[name][4]}")
    print(f"1. initial loss {net.loss(X, labels):.4f} (ln {net.sizes[-1]} = {np.log(net.sizes[-1]):.4f})")
    try:
        summary = layer_agreement(check_network(net, X[:5], labels[:5]))
        _, grads = net.gradients(X[:32], labels[:32])
    except ValueError as err:
        shapes = ", ".join(f"W{i} {W.shape}" for i, (W, _) in enumerate(net.params, 1))
        print(f"2. the backward pass failed on a batch of 5 ({shapes}): {str(err).splitlines()[0]}")
        return
    print("2. gradient check on 5 examples (share of entries that agree; ratio analytic / numerical: median, and "
          "smallest to largest):")
    for i in range(1, len(net.params) + 1):
        print("     " + "   ".join(f"{p}: {summary[p][0]:4.0%} agree, ratio {summary[p][1]:8.4f} "
                                    f"({summary[p][2]:.4f} to {summary[p][3]:.4f})" for p in (f"W{i}", f"b{i}")))
    print("3. update/weight ratio per layer at learning rate 0.1: "
          + ", ".join(f"{r:.1e}" for r in update_ratios(net.params, grads, 0.1)))
    X20, labels20 = X[:20], labels[:20]
    before = net.loss(X20, labels20)
    try:
        net.fit(X20, labels20, epochs=100, learning_rate=0.1, batch_size=20)
        accuracy = net.accuracy(X20, labels20)
        print(f"4. overfitting 20 examples: loss {before:.4f} -> {net.loss(X20, labels20):.4f} in 100 epochs, "
              f"accuracy {accuracy:.0%} ({round(accuracy * 20)} of 20)")
    except TrainingDiverged as err:
        print(f"4. overfitting 20 examples: diverged. {err}")


# --- the verdict --------------------------------------------------------------------------------------------

_ANSWERS = {"A": "weight gradient", "B": "activation gradient", "C": "input gradient"}

# For each suspect: why each location is, or is not, where its bug is, from the evidence the tools give.
_WHY = {
    "A": {
        "weight gradient": "every dW is off by one and the same factor, 1/n for a batch of n examples, while every db "
                           "agrees with finite differences: dW was divided by n again, though Delta already carries "
                           "the loss's 1/n. Its update-to-weight ratios are about n times too small, so it crawls.",
        "forward pass": "the initial loss is near ln 10 and the gradient checker differentiates the network's own "
                        "forward pass: a forward bug would not make dW and db disagree with it. Look at which "
                        "gradients disagree.",
        "loss gradient": "every gradient flows from the loss gradient, so a wrong one would spoil the bias gradients "
                         "too; but every db agrees with finite differences.",
        "activation gradient": "a wrong Delta would spoil db = sum(Delta) as well, but every db agrees; and the output "
                               "layer, which has no activation to differentiate, has a wrong dW too.",
        "bias gradient": "every db agrees with finite differences; it is the weight gradients that are off.",
        "input gradient": "a wrong dX only reaches the layers below, leaving the output layer's own gradients right; "
                          "but the output layer's dW is off too.",
        "update": "the gradient checker already disagrees, before any update is taken. A bug in the update would "
                  "leave every gradient right.",
    },
    "B": {
        "activation gradient": "the output layer's gradients agree and every hidden layer's disagree, by ratios near "
                               "but not equal to 1; with activation='relu' (whose derivative is the same whether read "
                               "from Z or from H) the same network passes the check: tanh's derivative was evaluated "
                               "at the pre-activation Z, 1 - Z**2, instead of at the output, 1 - H**2. Where |Z| > 1 "
                               "that derivative is even negative, which is why it diverges on 20 examples.",
        "forward pass": "the initial loss is near ln 10 and the gradient checker differentiates the network's own "
                        "forward pass: a forward bug would not make the gradients disagree with it.",
        "loss gradient": "the output layer's dW and db agree with finite differences, so the gradient arriving from "
                         "the loss is right.",
        "weight gradient": "the output layer's dW agrees, and in the hidden layers db disagrees as much as dW: the "
                           "error is already in Delta, before dW is formed from it.",
        "bias gradient": "the output layer's db agrees, and in the hidden layers dW disagrees as much as db: the error "
                         "is already in Delta.",
        "input gradient": "switch to activation='relu': with the same layer code the check then passes. A wrong dX "
                          "would not care which activation the layers use; a wrong activation derivative does.",
        "update": "the gradient checker already disagrees, before any update is taken.",
    },
    "C": {
        "input gradient": "the output layer's gradients agree and the hidden layers' disagree, by ratios far from 1, "
                          "whichever activation is used (relu too); with layers of different widths, e.g. sizes=[2, 3, 2], the backward "
                          "pass fails with a shape error in the product that forms dX: dX was computed as Delta W^T, "
                          "the missing (here: extra) transpose of the original notebook, which only runs silently "
                          "when W is square.",
        "forward pass": "the initial loss is near ln 2 and the network runs with any sizes forwards; the gradient "
                        "checker differentiates the network's own forward pass, so a forward bug would not make the "
                        "gradients disagree with it.",
        "loss gradient": "the output layer's dW and db agree with finite differences, so the gradient arriving from "
                         "the loss is right.",
        "activation gradient": "switch to activation='relu': the hidden layers' gradients still disagree, so the "
                               "activation's derivative is not the cause.",
        "weight gradient": "the output layer's dW agrees and, in the layers below, db disagrees as much as dW: what "
                           "arrives at those layers is already wrong, before dW is formed.",
        "bias gradient": "the output layer's db agrees and, below it, dW disagrees as much as db: what arrives at "
                         "those layers is already wrong.",
        "update": "the gradient checker already disagrees, before any update is taken.",
    },
}


def diagnose(name, location):
    """(right, explanation) for the answer `location` about suspect `name`."""
    if name not in _WHY:
        raise ValueError(f"diagnose: choose a suspect among {sorted(_WHY)}, not {name!r}.")
    if location not in LOCATIONS:
        options = ", ".join(repr(k) for k in LOCATIONS)
        return False, f"{location!r} is not one of the locations: answer one of {options}."
    right = location == _ANSWERS[name]
    return right, _WHY[name][location]


def check_diagnosis(find_the_bug):
    """Ask `find_the_bug(name)` where the bug of each suspect is, and print for each whether it is right, and why.

    Like `checks.check`, it never raises because of the learner's code, except under nbgrader (NBGRADER_EXECUTION
    set to autograde or validate), where a diagnosis that is not right on all three raises an AssertionError whose
    message is the verdict, so that nbgrader scores the cell 0.
    """
    lines = []
    for name in sorted(_ANSWERS):
        try:
            answer = find_the_bug(name)
        except NotImplementedError:
            lines = ["❌ find_the_bug(name): not written yet (it raises NotImplementedError). Replace "
                     "`raise NotImplementedError()` with your answers."]
            break
        except Exception as err:  # the learner's code: report, never raise
            lines.append(f"❌ suspect {name}: find_the_bug({name!r}) raised {type(err).__name__}: {err}")
            continue
        if not isinstance(answer, str):
            lines.append(f"❌ suspect {name}: answer with the name of a location (a string such as "
                         f"'update'), not {type(answer).__name__}.")
            continue
        right, why = diagnose(name, answer.strip())
        if right:
            lines.append(f"✅ suspect {name}: right, the bug is in the {answer.strip()}. Why: {why}")
        elif answer.strip() in LOCATIONS:
            lines.append(f"❌ suspect {name}: not the {answer.strip()}. Evidence against it: {why}")
        else:
            lines.append(f"❌ suspect {name}: {why}")
    verdict = "\n".join(lines)
    if not all(line.startswith("✅") for line in lines) and os.environ.get("NBGRADER_EXECUTION", "").lower() in (
            "autograde", "validate"):
        raise AssertionError(verdict)
    print(verdict)
