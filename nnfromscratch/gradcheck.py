r"""Gradient checking: compare analytic gradients with central finite differences.

The central difference $\frac{f(\theta + \epsilon e_i) - f(\theta - \epsilon e_i)}{2\epsilon}$
has error $O(\epsilon^2)$ (truncation) plus about $\varepsilon_{mach}|f|/\epsilon$
(round-off); $\epsilon = 10^{-6}$ balances the two for float64 and well-scaled f.
"""

from dataclasses import dataclass

import numpy as np

from .validate import as_float_array


def numerical_gradient(f, x, eps=1e-6):
    r"""Central-difference gradient: $g_i = \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}$.

    f: maps an array shaped like x to a float (it receives a perturbed copy, so x is
    never changed); x: any shape; eps: the step. Returns a float64 array shaped like x.
    Costs 2 * x.size calls of f.
    """
    x = np.array(as_float_array(x, "x", "numerical_gradient"), dtype=np.float64)  # private float64 copy
    eps = float(eps)
    if not eps > 0:
        raise ValueError(f"numerical_gradient: eps must be > 0, not {eps}.")
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[i] = x[i] + eps
        f_plus = _scalar(f(shifted))
        shifted[i] = x[i] - eps
        f_minus = _scalar(f(shifted))
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value):
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(
            f"numerical_gradient: f must return one number (the loss), but returned shape {arr.shape}. "
            "Did you return the outputs instead of the loss?"
        )
    return float(arr.reshape(()))


def relative_error(a, b, floor=1e-12):
    r"""Elementwise relative error $\frac{|a - b|}{\max(|a| + |b|, \text{floor})}$, between 0 and 1.

    a, b: the same shape (scalars allowed). Returns that shape (a float for scalars).
    0 means equal; about 1e-7 or less means a correct gradient checked with
    central differences; about 1 means unrelated numbers (or opposite signs).
    The floor keeps 0/0 at 0 when both entries are zero.
    """
    a = np.asarray(as_float_array(a, "a", "relative_error"), dtype=np.float64)
    b = np.asarray(as_float_array(b, "b", "relative_error"), dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a has shape {a.shape} but b has shape {b.shape}; they must match.")
    err = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)
    return float(err) if err.ndim == 0 else err


@dataclass
class GradCheckRow:
    """One entry of one parameter: analytic and numerical gradient, their relative error."""

    param: str
    index: tuple
    analytic: float
    numerical: float
    rel_error: float
    ok: bool

    @property
    def label(self):
        return f"{self.param}[{','.join(str(i) for i in self.index)}]"


@dataclass
class GradCheckReport:
    """The result of `check_gradients`: one row per parameter entry.

    `ok` is True when every entry agrees; `mismatches` lists the rows that do not;
    `str(report)` (or `print(report)`) is a table with the failing entries marked.
    """

    rows: list
    rtol: float
    atol: float

    @property
    def ok(self):
        return all(row.ok for row in self.rows)

    @property
    def mismatches(self):
        return [row for row in self.rows if not row.ok]

    def table(self, digits=8):
        """The rows as aligned text: entry, analytic, numerical, relative error, verdict.

        The numerical column has two decimals fewer than the analytic one: its last digits
        are round-off (about 1e-11 here) that varies between CPUs.
        """
        width = digits + 6
        lines = [f"{'entry':<10}{'analytic':>{width}}{'numerical':>{width}}{'rel. error':>12}  verdict"]
        for r in self.rows:
            verdict = "ok" if r.ok else "MISMATCH"
            # Errors below 1e-6 are round-off whose last digits vary with the CPU: print a bound.
            rel = f"{r.rel_error:.1e}" if r.rel_error >= 1e-6 else "< 1e-06"
            lines.append(
                f"{r.label:<10}{r.analytic:>{width}.{digits}f}{r.numerical:>{width}.{digits - 2}f}{rel:>12}  {verdict}"
            )
        return "\n".join(lines)

    def summary(self):
        """One line: how many entries agree, and which do not."""
        bad = self.mismatches
        if not bad:
            return f"All {len(self.rows)} gradient entries agree with finite differences (rtol={self.rtol:g})."
        labels = ", ".join(r.label for r in bad)
        return f"{len(bad)} of {len(self.rows)} gradient entries disagree with finite differences: {labels}."

    def __str__(self):
        return self.table() + "\n" + self.summary()


def check_gradients(loss_fn, params, grads, eps=1e-6, rtol=1e-5, atol=1e-9):
    """Compare analytic gradients with central differences, for every entry of every parameter.

    loss_fn: maps a dict of parameters (same keys and shapes as `params`) to the loss.
    params: dict name -> array; grads: dict name -> analytic gradient of the same shape.
    An entry agrees when its relative error is at most rtol or the two values are
    within atol (for entries that are zero or nearly so). Returns a GradCheckReport.
    """
    missing = [name for name in params if name not in grads]
    if missing:
        raise ValueError(f"check_gradients: no analytic gradient given for {missing}.")
    rows = []
    for name, value in params.items():
        value = np.asarray(value)
        analytic = np.asarray(grads[name], dtype=np.float64)
        if analytic.shape != value.shape:
            raise ValueError(
                f"check_gradients: the gradient of {name} has shape {analytic.shape} but {name} has shape "
                f"{value.shape}; a gradient has the shape of its parameter."
                + (f" Did you mean its transpose?" if analytic.shape == value.shape[::-1] else "")
            )

        def f(v, name=name):
            return loss_fn({**params, name: v})

        numerical = numerical_gradient(f, value, eps)
        rel = relative_error(analytic, numerical)
        close = (np.asarray(rel) <= rtol) | (np.abs(analytic - numerical) <= atol)
        for i in np.ndindex(value.shape):
            rows.append(GradCheckRow(name, i, float(analytic[i]), float(numerical[i]),
                                     float(np.asarray(rel)[i]), bool(close[i])))
    return GradCheckReport(rows, rtol, atol)
