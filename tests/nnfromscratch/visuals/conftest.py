"""The visuals' tests draw off screen: matplotlib's Agg backend (chosen here, before any test module imports
pyplot), `plt.show` a no-op, and every figure closed after each test."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda: None)
    yield
    plt.close("all")
