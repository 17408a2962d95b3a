"""The Marchenko-Pastur law for the spectrum of X^T X / n (chapter: minimum-norm solutions).

X is n x d with i.i.d. N(0, 1) entries and gamma = d / n. As n, d grow at fixed
gamma, the eigenvalues of the d x d matrix X^T X / n spread over [l-, l+] with
l± = (1 ± sqrt(gamma))^2, plus an atom of mass 1 - 1/gamma at zero when gamma > 1.
"""

from __future__ import annotations

import numbers

import numpy as np

from helpers.checks import array, function, integer

MAX_NODES = 4096  # Gauss-Legendre converges to ~1e-12 by 256; more only costs memory


def _check_gamma(gamma) -> float:
    if isinstance(gamma, (bool, np.bool_)) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"gamma must be a positive number (d / n), got {gamma!r}")
    gamma = float(gamma)
    if not gamma > 0 or not np.isfinite(gamma):
        raise ValueError(f"gamma must be a positive number (d / n), got {gamma!r}")
    return gamma


def marchenko_pastur_edges(gamma: float) -> tuple[float, float]:
    """(l-, l+) = ((1 - sqrt(gamma))^2, (1 + sqrt(gamma))^2)."""
    root = np.sqrt(_check_gamma(gamma))
    return (1 - root) ** 2, (1 + root) ** 2


def marchenko_pastur_atom(gamma: float) -> float:
    """Mass of the point at zero: max(0, 1 - 1/gamma)."""
    return max(0.0, 1.0 - 1.0 / _check_gamma(gamma))


def marchenko_pastur_density(x, gamma: float) -> np.ndarray:
    """Density of the continuous part at x: sqrt((l+ - x)(x - l-)) / (2 pi gamma x) on
    [l-, l+], zero elsewhere. It integrates to 1 - atom."""
    lo, hi = marchenko_pastur_edges(gamma)
    x = np.asarray(array(x, "x"), dtype=float)
    inside = (x > lo) & (x < hi) & (x > 0)
    safe = np.where(inside, x, 1.0)
    return np.where(
        inside,
        np.sqrt(np.clip((hi - safe) * (safe - lo), 0, None)) / (2 * np.pi * gamma * safe),
        0.0,
    )


def marchenko_pastur_cdf(x, gamma: float, nodes: int = 256) -> np.ndarray:
    """P(eigenvalue <= x), atom at zero included.

    Substituting l = (1 + gamma) + 2 sqrt(gamma) cos(theta) turns the integral of the
    density into that of a smooth function of theta (even at gamma = 1, where the
    density itself is unbounded at 0), which Gauss-Legendre integrates to ~1e-12.
    """
    gamma = _check_gamma(gamma)
    x = np.asarray(array(x, "x"), dtype=float)
    nodes = integer(nodes, "nodes", low=2, high=MAX_NODES)
    if x.size * nodes > 50_000_000:
        raise ValueError(
            f"x has {x.size} points: times nodes={nodes} that is more than 5e7 values; "
            "pass fewer points or fewer nodes"
        )
    centre, radius = 1 + gamma, 2 * np.sqrt(gamma)
    theta_x = np.arccos(np.clip((x - centre) / radius, -1.0, 1.0))  # pi at l-, 0 at l+
    t, w = np.polynomial.legendre.leggauss(nodes)
    # map nodes from [-1, 1] onto [theta_x, pi] for every x at once: shape x.shape + (nodes,)
    half = (np.pi - theta_x)[..., None] / 2
    theta = theta_x[..., None] + half * (t + 1)
    denominator = (
        2 * np.pi * gamma * (centre + radius * np.cos(theta))
    )  # 0 only at l = 0 when gamma = 1
    numerator = radius**2 * np.sin(theta) ** 2
    integrand = np.divide(numerator, denominator, out=np.zeros_like(theta), where=denominator > 0)
    continuous = np.sum(w * integrand, axis=-1) * half[..., 0]
    atom = marchenko_pastur_atom(gamma) * (x >= 0)
    return np.where(x < 0, 0.0, atom + continuous)


def condition_number_nonzero(gamma: float) -> float:
    """l+ / l-: the limit of lambda_max / (smallest NONZERO eigenvalue); infinite at gamma = 1."""
    lo, hi = marchenko_pastur_edges(gamma)
    return np.inf if lo == 0 else hi / lo


def ks_distance(samples, cdf) -> float:
    """Kolmogorov-Smirnov distance sup |F_n - F| between the empirical CDF of ``samples``
    and ``cdf`` (a function), checked on both sides of every jump."""
    s = np.sort(np.asarray(array(samples, "samples", ndim=1), dtype=float))
    function(cdf, "cdf")
    n = len(s)
    if n == 0:
        raise ValueError("samples must not be empty")
    # at each jump compare the empirical CDF after the jump with F(x), and before the
    # jump with F's left limit F(x-) (they differ where F has an atom, e.g. at zero);
    # tied samples (the exact zeros) form one jump, so use the last/first of each run.
    after, before = cdf(s), cdf(np.nextafter(s, -np.inf))
    last = np.r_[s[1:] != s[:-1], True]
    first = np.r_[True, s[1:] != s[:-1]]
    upper = np.arange(1, n + 1) / n
    lower = np.arange(0, n) / n
    return float(
        max(np.max(np.abs(upper[last] - after[last])), np.max(np.abs(lower[first] - before[first])))
    )
