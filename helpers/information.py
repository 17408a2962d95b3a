"""Plug-in information measures of discrete variables (labels, predictions), in bits.

Nakkiran et al. (2019) measure how much of a network F's performance a simpler
classifier L explains with  mu_Y(F; L) = I(F; Y) - I(F; Y | L)  (the chapter on simplicity
writes that line out).  For the discrete
variables of a classifier (predicted class, true class) these are computed from counts:
the plug-in estimate, with no binning and no tuning. It is biased upward by roughly
(number of cells) / (2 n ln 2) bits, small for binary variables and hundreds of samples.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import array


def _codes(*variables, names=None) -> tuple[list[np.ndarray], int]:
    if not variables:
        raise TypeError("pass at least one variable (an array of discrete samples)")
    names = names or [f"variable {k}" for k in range(len(variables))]
    arrays = [array(v, name).ravel() for v, name in zip(variables, names)]
    n = len(arrays[0])
    if n == 0:
        raise ValueError("the variables must hold at least one sample")
    for k, a in enumerate(arrays):
        if len(a) != n:
            raise ValueError(
                f"all variables must have one length: variable 0 has {n}, variable {k} has {len(a)}"
            )
    return [np.unique(a, return_inverse=True)[1].ravel() for a in arrays], n


def entropy(*variables) -> float:
    """Joint entropy H(X1, X2, ...) in bits of discrete samples (equal-length arrays)."""
    codes, n = _codes(*variables)
    joint = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        joint = joint * (int(c.max()) + 1) + c
    counts = np.unique(joint, return_counts=True)[1]
    p = counts / n
    return float(-(p * np.log2(p)).sum())


def mutual_information(x, y) -> float:
    """I(X; Y) = H(X) + H(Y) - H(X, Y), in bits."""
    _codes(x, y, names=["x", "y"])  # checked, with their names
    return max(entropy(x) + entropy(y) - entropy(x, y), 0.0)


def conditional_mutual_information(x, y, z) -> float:
    """I(X; Y | Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z), in bits."""
    _codes(x, y, z, names=["x", "y", "z"])  # checked, with their names
    return max(entropy(x, z) + entropy(y, z) - entropy(x, y, z) - entropy(z), 0.0)
