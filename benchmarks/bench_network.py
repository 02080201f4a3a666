"""Benchmark Part II: one epoch of MNIST-sized training, side by side with its matrix products alone and PyTorch;
an optimiser given a numpy learning rate; column-ordered input.

    OPENBLAS_NUM_THREADS=1 .venv-test/bin/python benchmarks/bench_network.py

Data: 60,000 x 784 float32 (random values: only the arithmetic matters here), 10 classes;
network 784-128-10, ReLU, softmax cross-entropy, batch 128, SGD, one thread. Targets
(issue 5): our epoch at most 0.75 x PyTorch's, and within 1.3 x its matrix products alone;
the digits to 97% test accuracy in under 5 s. PyTorch is optional (`pip install torch==2.13.0`,
a CPU wheel on these machines); without it that line is skipped.

Issue 10: Momentum on 784-512-10 (batch 128) with a np.float64 learning rate (what `cosine_decay` or
`np.logspace` give) against a Python float: the optimisers convert hyperparameters with float(), so both
compute in float32 (target ratio 1.0); beside them the same update fed the np.float64 unconverted, which is
what the conversion avoids. And `fit` on column-ordered input (np.asfortranarray, like a DataFrame's
`.values`) against row-ordered: fit makes X C-contiguous once (target ratio 1.0); beside them one epoch of
batch gathers alone from each order, which is what the conversion avoids.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread, for us and for numpy's BLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from nnfromscratch import data, optimizers  # noqa: E402
from nnfromscratch.network import Network  # noqa: E402

N, D, H, K, BATCH, REPEAT = 60_000, 784, 128, 10, 128, 5
WIDE = 512  # the hidden width of the optimiser comparison


def best_interleaved(epochs):
    """Best CPU time (of this thread, which with one thread does all the arithmetic, numpy's BLAS included) of each
    function over REPEAT rounds, the functions taking turns within each round, so that a slow moment of the
    machine hits all of them alike."""
    times = {name: [] for name in epochs}
    for _ in range(REPEAT):
        for name, fn in epochs.items():
            start = time.thread_time()
            fn()
            times[name].append(time.thread_time() - start)
    return {name: min(t) for name, t in times.items()}


def ours(X, labels):
    def epoch():
        Network([D, H, K], seed=0, dtype=np.float32).fit(X, labels, epochs=1, learning_rate=0.1, batch_size=BATCH)
    return epoch


def matmuls_only(X):
    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((H, D), dtype=np.float32), rng.standard_normal((K, H), dtype=np.float32)
    d2 = rng.standard_normal((BATCH, K), dtype=np.float32)

    def epoch():
        order = rng.permutation(N)
        for first in range(0, N, BATCH):
            Xb = X[order[first:first + BATCH]]
            h = Xb @ W1.T
            h @ W2.T
            d2[: len(Xb)].T @ h
            d1 = d2[: len(Xb)] @ W2
            d1.T @ Xb
    return epoch


def pytorch(X, labels):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(labels)

    def epoch():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, K))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.CrossEntropyLoss()
        order = torch.randperm(N)
        for first in range(0, N, BATCH):
            idx = order[first:first + BATCH]
            optimizer.zero_grad()
            loss_fn(model(Xt[idx]), yt[idx]).backward()
            optimizer.step()
    epoch.version = torch.__version__
    return epoch


class MomentumUnconverted(optimizers.Momentum):
    """Momentum fed its hyperparameters as given (a np.float64 rate makes numpy compute the update in float64 and
    cast it back into the float32 parameters): what `optimizers._rates` avoids. For the comparison only."""

    def update(self, p, g, velocity):
        return optimizers.momentum_update(p, g, velocity, self.learning_rate, self.beta)


def momentum(X, labels, optimizer):
    def epoch():
        Network([D, WIDE, K], seed=0, dtype=np.float32).fit(X, labels, epochs=1, batch_size=BATCH,
                                                             optimizer=optimizer())
    return epoch


def gathers(X):
    order = np.random.default_rng(0).permutation(N)

    def epoch():
        for first in range(0, N, BATCH):
            X[order[first:first + BATCH]]
    return epoch


def ratio_lines(title, best, pairs):
    print(title)
    for name, t in best.items():
        print(f"  {name:<44} {t * 1e3:7.0f} ms")
    for (a, b, target) in pairs:
        print(f"  {a} / {b} = {best[a] / best[b]:.2f}   ({target})")


def digits():
    X, labels = data.load_digits()
    Xtr, ytr, Xva, yva, Xte, yte = data.train_val_test_split(X, labels, seed=0)
    start = time.thread_time()
    net = Network([64, 64, 10], seed=0, dtype=np.float32)
    net.fit(Xtr, ytr, epochs=30, learning_rate=0.2, batch_size=16, validation=(Xva, yva))
    return time.thread_time() - start, net.accuracy(Xte, yte)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.random((N, D), dtype=np.float32)
    labels = rng.integers(0, K, size=N)
    epochs = {"ours": ours(X, labels), "matmuls": matmuls_only(X)}
    torch_epoch = pytorch(X, labels)
    if torch_epoch is not None:
        epochs["torch"] = torch_epoch
    best = best_interleaved(epochs)
    t_ours, t_mm, t_torch = best["ours"], best["matmuls"], best.get("torch")
    version = getattr(torch_epoch, "version", "")
    print(f"One epoch, {N} x {D} float32, {D}-{H}-{K}, batch {BATCH}, one thread (CPU time, best of {REPEAT}, "
          "interleaved):")
    print(f"  nnfromscratch        {t_ours:6.3f} s")
    print(f"  matrix products only {t_mm:6.3f} s   ours / matmuls = {t_ours / t_mm:.2f}   (target <= 1.3)")
    if t_torch is None:
        print("  PyTorch not installed: pip install torch==2.13.0 to compare")
    else:
        print(f"  PyTorch {version:<12} {t_torch:6.3f} s   ours / PyTorch = {t_ours / t_torch:.2f}   (target <= 0.75)")
    rate = np.float64(0.01)
    best = best_interleaved({
        "Momentum(np.float64(0.01))": momentum(X, labels, lambda: optimizers.Momentum(rate)),
        "Momentum(0.01)": momentum(X, labels, lambda: optimizers.Momentum(0.01)),
        "Momentum, np.float64 rate unconverted": momentum(X, labels, lambda: MomentumUnconverted(rate)),
    })
    ratio_lines(f"One epoch, {D}-{WIDE}-{K}, batch {BATCH}, Momentum, float32 parameters (best of {REPEAT}, "
                "interleaved):", best,
                [("Momentum(np.float64(0.01))", "Momentum(0.01)", "target 1.0: the rate's type does not matter"),
                 ("Momentum, np.float64 rate unconverted", "Momentum(0.01)", "what the conversion avoids")])
    F = np.asfortranarray(X)
    best = best_interleaved({"fit, row-ordered X (C)": ours(X, labels), "fit, column-ordered X (Fortran)": ours(F, labels),
                             "fit's one copy of the Fortran X into C order": lambda: np.ascontiguousarray(F),
                             "batch gathers of an epoch, C": gathers(X), "batch gathers of an epoch, Fortran": gathers(F)})
    ratio_lines(f"One epoch, {D}-{H}-{K}, batch {BATCH}, SGD, by the memory order of X (best of {REPEAT}, interleaved):",
                best, [("fit, column-ordered X (Fortran)", "fit, row-ordered X (C)",
                        "target 1.0 but for fit's one copy of X, paid once per fit, not per epoch"),
                       ("batch gathers of an epoch, Fortran", "batch gathers of an epoch, C",
                        "what the conversion avoids")])
    seconds, accuracy = digits()
    print(f"Digits 64-64-10, 30 epochs: test accuracy {accuracy:.4f} in {seconds:.2f} s   (target >= 0.97 in < 5 s)")
