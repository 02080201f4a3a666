"""Input checks shared by every function: turn arrays in, and bad shapes into clear messages.

Every public function of the package calls these first, so a learner who passes a
transposed matrix or a list of the wrong length reads what was expected, what
arrived, and the likely cause, instead of a broadcasting traceback from numpy.
Nothing here reshapes silently.
"""

import numpy as np


def as_float_array(a, name, func):
    """Return `a` as a floating-point array without copying when it already is one.

    Integer and boolean input becomes float64; float32 stays float32 (Part II trains
    in float32 and must not be upcast silently). Raises ValueError for anything numpy
    cannot read as numbers.
    """
    if type(a) is np.ndarray and a.dtype.kind == "f":  # the common case, kept fast for training loops
        return a
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError) as err:  # ragged nested lists, for example
        raise ValueError(f"{func}: {name} could not be read as an array of numbers ({err}).") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise ValueError(
            f"{func}: {name} must hold real numbers, but has dtype {arr.dtype} "
            f"(received {type(a).__name__})."
        )
    return arr


def require_ndim(arr, name, func, ndims, meaning):
    """Raise ValueError unless `arr.ndim` is one of `ndims`; `meaning` describes the expected shape."""
    if arr.ndim not in ndims:
        raise ValueError(f"{func}: {name} must be {meaning}, but has shape {arr.shape}.")


def require_same_shape(a, a_name, b, b_name, func, hint=""):
    """Raise ValueError unless `a` and `b` have exactly the same shape (no broadcasting)."""
    if a.shape != b.shape:
        message = f"{func}: {a_name} has shape {a.shape} but {b_name} has shape {b.shape}; they must match."
        if a.ndim == b.ndim == 2 and a.shape == b.shape[::-1]:
            message += f" One of them is transposed: did you mean {b_name}.T?"
        elif hint:
            message += " " + hint
        raise ValueError(message)


def require_finite(arr, name, func, cause):
    """Raise ValueError if `arr` holds inf or nan; `cause` says what usually produces them."""
    finite = np.isfinite(arr)
    if not finite.all():
        bad = int(finite.size - np.count_nonzero(finite))
        raise ValueError(f"{func}: {name} has {bad} non-finite entries (inf or nan). {cause}")


def as_labels(labels, n, k, func):
    """`labels` as n integer class numbers 0..k-1 (whole-number floats accepted), or a ValueError saying why not."""
    labels = np.asarray(labels)
    if labels.shape != (n,):
        raise ValueError(f"{func}: expected {n} labels (one per row of the logits), got shape {labels.shape}.")
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        else:
            raise ValueError(f"{func}: labels must be integer class numbers 0..{k - 1}, got dtype {labels.dtype}.")
    if n and (labels.min() < 0 or labels.max() >= k):
        bad = labels[(labels < 0) | (labels >= k)][0]
        raise ValueError(f"{func}: label {bad} is out of range: the network has {k} outputs, so labels must be "
                         f"0..{k - 1}.")
    return labels
