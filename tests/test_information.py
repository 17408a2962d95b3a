import math

import numpy as np
import pytest
from sklearn.metrics import mutual_info_score

from helpers.information import conditional_mutual_information, entropy, mutual_information


# ---------------------------------------------------------------- information measures
def test_entropy_of_known_distributions():
    assert entropy([0, 1, 0, 1]) == pytest.approx(1.0)
    assert entropy([3, 3, 3]) == pytest.approx(0.0)
    assert entropy([0, 1, 2, 3]) == pytest.approx(2.0)
    assert entropy([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(2.0)  # joint of two fair bits


def test_mutual_information_matches_scikit_learn():
    rng = np.random.default_rng(0)
    for _ in range(5):
        a = rng.integers(0, 3, 500)
        b = np.where(rng.random(500) < 0.7, a, rng.integers(0, 3, 500))
        assert mutual_information(a, b) == pytest.approx(
            mutual_info_score(a, b) / math.log(2), abs=1e-12
        )


def test_conditional_mutual_information_is_the_average_over_groups():
    rng = np.random.default_rng(1)
    z = rng.integers(0, 2, 800)
    y = rng.integers(0, 2, 800)
    x = np.where(rng.random(800) < 0.5 + 0.3 * z, y, 1 - y)
    by_group = sum(
        np.mean(z == g) * mutual_info_score(x[z == g], y[z == g]) / math.log(2) for g in (0, 1)
    )
    assert conditional_mutual_information(x, y, z) == pytest.approx(by_group, abs=1e-12)


def test_bad_input_names_the_problem():
    with pytest.raises(ValueError, match="one length"):
        mutual_information([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="at least one sample"):
        entropy([])
