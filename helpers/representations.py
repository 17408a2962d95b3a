"""What a layer represents, in numbers: similarity of two representations (linear CKA), how
many dimensions a representation uses (participation ratio, TwoNN intrinsic dimension), what
a filter looks like (orientation selectivity, smoothness, locality), and which units a
network needs (the cost of ablating each one).

A representation is an array (n examples, features); two representations compared must have
one row per example, in the same order.
"""

from __future__ import annotations

import numpy as np
import torch

from helpers.checks import array, class_labels, integer, number


def _matrix(a, name: str) -> np.ndarray:
    a = np.asarray(array(a, name), dtype=np.float64)  # NaN and inf refused
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array (examples, features), got shape {a.shape}")
    return a


def linear_cka(a, b) -> float:
    """Linear centered kernel alignment of two representations of the same examples
    (Kornblith et al. 2019): ||B^T A||_F^2 / (||A^T A||_F ||B^T B||_F) after centering each
    feature. 1 for representations equal up to rotation and isotropic scaling; 0 when the
    centered features are orthogonal."""
    a, b = _matrix(a, "a"), _matrix(b, "b")
    if len(a) != len(b):
        raise ValueError(f"a and b must have one row per example: {len(a)} vs {len(b)} rows")
    a, b = a - a.mean(0), b - b.mean(0)
    if a.shape[1] + b.shape[1] > 2 * len(a):  # many features: the n x n Gram form is cheaper
        K, L = a @ a.T, b @ b.T
        cross, norms = np.sum(K * L), np.linalg.norm(K) * np.linalg.norm(L)
    else:
        cross = np.linalg.norm(b.T @ a) ** 2
        norms = np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b)
    if norms == 0:
        raise ValueError("a representation is constant over the examples: CKA is undefined")
    return float(cross / norms)


def participation_ratio(a) -> float:
    """(sum of the covariance eigenvalues)^2 / sum of their squares: between 1 (one direction
    carries all the variance) and the number of features (all directions equal)."""
    a = _matrix(a, "a")
    eig = np.clip(np.linalg.eigvalsh(np.cov(a, rowvar=False)), 0, None)
    if eig.sum() == 0:
        raise ValueError("a is constant over the examples: it has no dimensions")
    return float(eig.sum() ** 2 / (eig**2).sum())


def two_nn_dimension(a, discard: float = 0.1) -> float:
    """The TwoNN estimate of intrinsic dimension (Facco et al. 2017), as used on network
    layers by Ansuini et al. (2019): from the ratios mu = r2 / r1 of each point's second to
    first nearest-neighbour distance, d = slope through the origin of -log(1 - F(mu)) against
    log(mu), F the empirical distribution, the largest ``discard`` fraction of ratios left out."""
    a = _matrix(a, "a")
    discard = number(discard, "discard", low=0, high=1, open_high=True)
    if len(a) < 20:
        raise ValueError(f"a must have at least 20 points for TwoNN, got {len(a)}")
    t = torch.as_tensor(a)
    distances = torch.cdist(t, t)
    distances.fill_diagonal_(float("inf"))
    r = torch.topk(distances, 2, largest=False).values.numpy()  # (n, 2) nearest two
    keep = r[:, 0] > 0  # duplicated points have no ratio
    mu = np.sort(r[keep, 1] / r[keep, 0])
    n = len(mu)
    F = np.arange(1, n + 1) / n
    used = slice(0, int(np.floor(n * (1 - discard))))
    x, y = np.log(mu[used]), -np.log(1 - F[used])
    return float((x @ y) / (x @ x))


def neighbour_correlation(filters) -> np.ndarray:
    """Smoothness of 2-d filters (k, h, w): the correlation of each filter's values with its
    right and lower neighbours' (pooled); about 0 for white noise, near 1 for smooth blobs."""
    f = np.asarray(array(filters, "filters"), dtype=np.float64)
    if f.ndim != 3 or min(f.shape[1:]) < 2:
        raise ValueError(f"filters must have shape (k, height >= 2, width >= 2), got {f.shape}")
    out = []
    for g in f:
        left = np.concatenate([g[:, :-1].ravel(), g[:-1, :].ravel()])
        right = np.concatenate([g[:, 1:].ravel(), g[1:, :].ravel()])
        out.append(np.corrcoef(left, right)[0, 1])
    return np.array(out)


def window_mass(filters, size: int) -> np.ndarray:
    """Locality of 2-d filters (k, h, w): the largest fraction of a filter's squared weight
    inside any size x size window. A filter spread evenly over 28x28 puts (7/28)^2 = 0.0625
    in a 7x7 window; a localized one puts much more."""
    f = np.asarray(array(filters, "filters"), dtype=np.float64)
    if f.ndim != 3:
        raise ValueError(f"filters must have shape (k, height, width), got {f.shape}")
    size = integer(size, "size", low=1, high=min(f.shape[1:]))
    energy = f**2
    c = energy.cumsum(1).cumsum(2)
    c = np.pad(c, ((0, 0), (1, 0), (1, 0)))
    s = c[:, size:, size:] - c[:, :-size, size:] - c[:, size:, :-size] + c[:, :-size, :-size]
    return s.reshape(len(f), -1).max(1) / energy.reshape(len(f), -1).sum(1)


def orientation_selectivity(filters, n_angles: int = 16) -> np.ndarray:
    """How much each 2-d filter (k, h, w) prefers one orientation: its energy response to
    sinusoidal gratings (spatial frequencies from one cycle per filter to Nyquist, both
    phases) at ``n_angles`` orientations, best frequency per orientation; the index is
    |sum_theta E(theta) e^{2 i theta}| / sum_theta E(theta): 0 for no preference, 1 for a
    single orientation. The filter's mean (its response to uniform light) is removed first."""
    f = np.asarray(array(filters, "filters"), dtype=np.float64)
    if f.ndim != 3:
        raise ValueError(f"filters must have shape (k, height, width), got {f.shape}")
    n_angles = integer(n_angles, "n_angles", low=4)
    f = f - f.mean((1, 2), keepdims=True)
    h, w = f.shape[1:]
    yy, xx = np.mgrid[0:h, 0:w]
    angles = np.arange(n_angles) * np.pi / n_angles
    frequencies = np.linspace(1 / max(h, w), 0.5, 10)  # cycles per pixel
    energy = np.zeros((len(f), n_angles))
    for i, theta in enumerate(angles):
        u = xx * np.cos(theta) + yy * np.sin(theta)
        best = np.zeros(len(f))
        for freq in frequencies:
            cos = np.cos(2 * np.pi * freq * u).ravel()
            sin = np.sin(2 * np.pi * freq * u).ravel()
            flat = f.reshape(len(f), -1)
            best = np.maximum(best, (flat @ cos) ** 2 + (flat @ sin) ** 2)
        energy[:, i] = best
    phase = np.exp(2j * angles)
    return np.abs(energy @ phase) / energy.sum(1)


def ablation_costs(layers, X, y, chunk: int = 32) -> list[np.ndarray]:
    """The accuracy an MLP loses when one hidden unit at a time is silenced (its output set
    to 0): one array per hidden layer, (units,), in accuracy points (0.01 = one point).
    ``layers``: the network as [(W (in, out), b (out,)), ...] with ReLU between layers.
    X and y may be tensors or NumPy arrays (kept lenient: X is taken as float32, as before);
    y must be integer class labels within the network's outputs."""
    array(X, "X", ndim=2, non_empty=True)
    array(y, "y", kind="integer", ndim=1)
    chunk = integer(chunk, "chunk")
    if not isinstance(layers, (list, tuple)) or not all(
        isinstance(layer, (list, tuple)) and len(layer) == 2 for layer in layers
    ):
        raise TypeError("layers must be a list of (W (in, out), b (out,)) pairs")
    for j, (W, b) in enumerate(layers):
        W = array(W, f"layers[{j}][0] (W)", ndim=2)
        array(b, f"layers[{j}][1] (b)", shape=(W.shape[1],))
    if len(layers) >= 2:
        class_labels(y, "y", np.shape(layers[-1][0])[1])
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example: {len(X)} vs {len(y)}")
    if len(layers) < 2:
        raise ValueError("layers must hold at least one hidden layer and the read-out")
    layers = [(torch.as_tensor(W), torch.as_tensor(b)) for W, b in layers]

    def rest(h, start):  # the network from hidden layer `start` on
        for i, (W, b) in enumerate(layers[start + 1 :], start=start + 1):
            h = h @ W + b.reshape(-1)
            if i < len(layers) - 1:
                h = torch.relu(h)
        return h

    costs = []
    with torch.no_grad():
        h = X
        for layer, (W, b) in enumerate(layers[:-1]):
            h = torch.relu(h @ W + b.reshape(-1))  # (n, units)
            base = (rest(h, layer).argmax(-1) == y).float().mean()
            lost = []
            for start in range(0, h.shape[1], chunk):
                units = torch.arange(start, min(start + chunk, h.shape[1]))
                silenced = h.expand(len(units), *h.shape).clone()
                silenced[torch.arange(len(units)), :, units] = 0
                right = (rest(silenced, layer).argmax(-1) == y).float().mean(-1)
                lost.append((base - right).numpy())
            costs.append(np.concatenate(lost))
    return costs
