"""data: the toy problems, the shipped digits, the seeded splits and the MNIST loader (offline, on tiny files)."""

import numpy as np
import pytest

from nnfromscratch import data


@pytest.mark.parametrize("make", [data.make_xor, data.make_moons, data.make_spirals], ids=lambda m: m.__name__)
def test_toy_problems_are_seeded_two_feature_two_class(make):
    X, labels = make(50)
    X2, labels2 = make(50)
    assert X.shape == (50, 2) and labels.shape == (50,) and set(labels) == {0, 1}
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(labels, labels2)


def test_the_shipped_digits():
    X, labels = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32 and set(labels) == set(range(10))
    assert 0.0 <= X.min() and X.max() <= 1.0


def test_mnist_loader_offline_on_tiny_files(tmp_path):
    import gzip
    import hashlib
    import struct

    rng = np.random.default_rng(0)
    images, labels = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8), np.arange(5, dtype=np.uint8)
    src = tmp_path / "server"
    src.mkdir()
    files = {}
    for key, name, array, magic in [("train_images", "ti.gz", images, 0x0803), ("train_labels", "tl.gz", labels, 0x0801),
                                    ("test_images", "si.gz", images[:2], 0x0803), ("test_labels", "sl.gz", labels[:2], 0x0801)]:
        header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
        (src / name).write_bytes(gzip.compress(header + array.tobytes()))
        files[key] = (name, hashlib.md5((src / name).read_bytes()).hexdigest())
    cache = tmp_path / "cache"
    Xtr, ytr, Xte, yte = data.load_mnist(cache, base_url=src.as_uri() + "/", files=files)
    assert Xtr.shape == (5, 784) and Xte.shape == (2, 784) and Xtr.dtype == np.float32
    np.testing.assert_allclose(Xtr[1], images[1].ravel() / 255.0, rtol=1e-6)
    assert ytr.tolist() == [0, 1, 2, 3, 4]
    (src / "ti.gz").unlink()  # cached: no second download
    data.load_mnist(cache, base_url=src.as_uri() + "/", files=files)
    bad = dict(files, train_labels=("tl.gz", "0" * 32))
    (cache / "tl.gz").unlink()
    with pytest.raises(ValueError, match="checksum does not match"):
        data.load_mnist(cache, base_url=src.as_uri() + "/", files=bad)


def test_splits_are_disjoint_and_seeded():
    X, labels = np.arange(100).reshape(50, 2), np.arange(50)
    a = data.train_val_test_split(X, labels, seed=1)
    b = data.train_val_test_split(X, labels, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert sorted(np.concatenate([a[1], a[3], a[5]]).tolist()) == list(range(50))
    assert (len(a[1]), len(a[3]), len(a[5])) == (35, 5, 10)


def test_split_sizes_follow_the_fractions_exactly():
    X, labels = np.zeros((5, 1)), np.arange(5)
    parts = data.train_val_test_split(X, labels, (0.1, 0.9, 0.0))
    assert [len(p) for p in parts[1::2]] == [0, 5, 0] or [len(p) for p in parts[1::2]] == [1, 4, 0]
    assert len(parts[5]) == 0
    with pytest.raises(ValueError, match="three numbers"):
        data.train_val_test_split(X, labels, (0.5, 0.5))


