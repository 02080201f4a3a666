"""Data sets: toy 2-D problems made with numpy, the shipped 8x8 digits, and a cached MNIST download.

Everything is returned as (X, labels): X of shape (n, features), labels integers of shape (n,).
Randomness comes from an explicit `np.random.Generator` or seed.
"""

import gzip
import hashlib
import os
import struct
import urllib.request
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent  # the shipped files sit beside this module


# --- toy problems --------------------------------------------------------------------------------------------

def make_xor(n=200, noise=0.15, seed=0):
    """Four clusters at the corners of a square; opposite corners share a class (not linearly separable)."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners * 2.0 - 1.0 + rng.normal(scale=noise, size=(n, 2))
    return X, (corners[:, 0] ^ corners[:, 1]).astype(np.int64)


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    t = rng.uniform(0, np.pi, size=n)
    X = np.where(labels[:, None] == 0,
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    return X + rng.normal(scale=noise, size=(n, 2)), labels.astype(np.int64)


def make_spirals(n=300, classes=2, noise=0.2, seed=0):
    """`classes` interleaved spiral arms around the origin."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    r = rng.uniform(0.05, 1.0, size=n)
    angle = labels * 2 * np.pi / classes + r * 2.5 * np.pi + rng.normal(scale=noise, size=n) * 0.3
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)]), labels.astype(np.int64)


# --- the digits -------------------------------------------------------------------------------------------------

def load_digits(dtype=np.float32):
    """The UCI 8x8 handwritten digits shipped with the package (CC BY 4.0; see data/README.md).

    Returns (X, labels): X (1797, 64) with pixels scaled from 0..16 to [0, 1], labels (1797,) in 0..9.
    Reads the compressed file in the package; needs no network.
    """
    with gzip.open(DATA_DIR / "digits.csv.gz", "rt") as fh:
        table = np.loadtxt(fh, delimiter=",")
    return (table[:, :-1] / 16.0).astype(dtype), table[:, -1].astype(np.int64)


def train_val_test_split(X, labels, fractions=(0.7, 0.1, 0.2), seed=0):
    """Shuffle (from seed) and split into train, validation and test parts: returns six arrays.

    fractions: of the rows for train, validation, test (they must sum to 1).
    """
    if len(X) != len(labels):
        raise ValueError(f"X has {len(X)} rows but labels has {len(labels)} entries.")
    if len(fractions) != 3 or not np.isclose(sum(fractions), 1.0) or min(fractions) < 0:
        raise ValueError(f"fractions must be three numbers >= 0 (train, validation, test) summing to 1, "
                         f"not {fractions}.")
    order = np.random.default_rng(seed).permutation(len(X))
    bounds = np.round(np.cumsum(fractions)[:2] * len(X)).astype(int)  # a part of fraction 0 stays empty
    parts = np.split(order, bounds)
    return tuple(a for idx in parts for a in (X[idx], labels[idx]))


def with_label_noise(labels, fraction, classes=10, seed=0):
    """A copy of `labels` in which each label, with probability `fraction`, is changed to another class chosen at
    random (mislabelled examples, as real data sets have). Returns (noisy labels, mask of the changed ones)."""
    labels = np.asarray(labels)
    if not 0 <= fraction <= 1:
        raise ValueError(f"with_label_noise: fraction must be between 0 and 1, not {fraction}.")
    rng = np.random.default_rng(seed)
    changed = rng.random(len(labels)) < fraction
    noisy = labels.copy()
    noisy[changed] = (labels[changed] + rng.integers(1, classes, size=int(changed.sum()))) % classes
    return noisy, changed


# --- MNIST, downloaded once ---------------------------------------------------------------------------------------

MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # torchvision's mirror of the original files
# MD5 checksums of the four files as published by torchvision's MNIST loader.
MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}


def read_idx(path):
    """Read an IDX file (MNIST's format, gzip-compressed or not) into a numpy array of its dtype and shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as fh:
        data = fh.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic number).")
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if data[2] not in dtypes:
        raise ValueError(f"{path}: unknown IDX data type 0x{data[2]:02x}.")
    ndim = data[3]
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    array = np.frombuffer(data, dtype=dtypes[data[2]], offset=4 + 4 * ndim)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"{path}: the header says shape {shape} but the file holds {array.size} values.")
    return array.reshape(shape)


def _md5(path):
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_mnist(cache_dir=None, base_url=MNIST_URL, files=MNIST_FILES, dtype=np.float32):
    """MNIST's 60,000 training and 10,000 test images, downloaded once and checked against their checksums.

    Returns (X_train (60000, 784), labels_train, X_test (10000, 784), labels_test), pixels scaled to [0, 1].
    cache_dir defaults to $NNFROMSCRATCH_DATA or ~/.cache/nnfromscratch; a cached file is re-downloaded
    only if its checksum is wrong. Needs a network connection the first time.
    """
    cache = Path(cache_dir or os.environ.get("NNFROMSCRATCH_DATA") or Path.home() / ".cache" / "nnfromscratch")
    cache.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for key, (name, md5) in files.items():
        path = cache / name
        if not path.exists() or _md5(path) != md5:
            tmp = path.with_suffix(path.suffix + ".part")
            try:
                urllib.request.urlretrieve(base_url + name, tmp)
            except OSError as err:
                raise OSError(f"Could not download {base_url + name} ({err}). MNIST needs a network connection "
                              f"once; or put the four files in {cache}. Offline, use load_digits().") from None
            if _md5(tmp) != md5:
                tmp.unlink()
                raise ValueError(f"{name}: the download's checksum does not match; the file was discarded.")
            tmp.replace(path)
        arrays[key] = read_idx(path)
    scale = lambda images: (images.reshape(len(images), -1) / 255.0).astype(dtype)  # noqa: E731
    return (scale(arrays["train_images"]), arrays["train_labels"].astype(np.int64),
            scale(arrays["test_images"]), arrays["test_labels"].astype(np.int64))
