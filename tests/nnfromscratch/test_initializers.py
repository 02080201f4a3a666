"""initializers.py: each scheme's shape, dtype and seed, and its variance within sampling error."""

import numpy as np
import pytest

from nnfromscratch.initializers import INITS
from nnfromscratch.network import Network, init_params

# Var(W) each scheme promises for a layer with n_in inputs and n_out outputs
VARIANCE = {"lecun": lambda n_in, n_out: 1 / n_in, "xavier": lambda n_in, n_out: 2 / (n_in + n_out),
            "he": lambda n_in, n_out: 2 / n_in, "zeros": lambda n_in, n_out: 0.0}


def test_every_scheme_has_its_promised_variance_listed():
    assert set(INITS) == set(VARIANCE)


@pytest.mark.parametrize("name", sorted(VARIANCE))
@pytest.mark.parametrize("n_in,n_out", [(400, 300), (50, 2000)])
def test_variance_within_sampling_error(name, n_in, n_out):
    W = INITS[name](n_in, n_out, np.random.default_rng(0))
    assert W.shape == (n_out, n_in) and W.dtype == np.float64
    var, n = VARIANCE[name](n_in, n_out), W.size
    if var == 0:
        assert not W.any()
        return
    # the sample variance of n normal draws has standard deviation var * sqrt(2 / n); its mean sqrt(var / n)
    assert abs(W.var() / var - 1) < 5 * np.sqrt(2 / n)
    assert abs(W.mean()) < 5 * np.sqrt(var / n)
    # and the distribution is normal: about 68.3% within one standard deviation
    assert abs(np.mean(np.abs(W) < np.sqrt(var)) - 0.6827) < 5 * np.sqrt(0.6827 * 0.3173 / n)


@pytest.mark.parametrize("name", sorted(INITS))
def test_dtype_and_seed(name):
    a = INITS[name](5, 3, np.random.default_rng(7), np.float32)
    b = INITS[name](5, 3, np.random.default_rng(7), np.float32)
    assert a.dtype == np.float32 and a.shape == (3, 5)
    np.testing.assert_array_equal(a, b)


def test_init_params_and_the_network_use_the_registry():
    params = init_params([4, 3, 2], np.random.default_rng(0), "xavier", np.float32)
    assert [(W.shape, b.shape) for W, b in params] == [((3, 4), (3,)), ((2, 3), (2,))]
    assert all(not b.any() and b.dtype == np.float32 for _, b in params)
    np.testing.assert_array_equal(params[0][0], INITS["xavier"](4, 3, np.random.default_rng(0), np.float32))
    with pytest.raises(ValueError, match=r"init must be one of \(.*'he'.*\), not 'glorot'"):
        Network([2, 2], init="glorot")
