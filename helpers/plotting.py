"""The book's figure style, its colours and its one idiom for many runs.

``use_book_style()`` is called once in each chapter's setup cell. Two kinds of colour:
a concept ("the theory", "SGD", "the linear classifier") has the same colour in every
chapter, from ``COLORS``; a role (the k-th of several series, a depth) takes
``series_color(k)`` or ``depth_color(depth)``, so no concept's colour is borrowed for
something else. ``plot_runs`` draws one thin line per run (seed) and their mean.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from helpers.checks import array, integer, number

STYLE = Path(__file__).with_name("book.mplstyle")

# Okabe-Ito colours (distinguishable with colour blindness), one per concept.
COLORS = {
    "theory": "#000000",  # a closed form or an analytic prediction: black, dashed
    "sgd": "#0072B2",  # stochastic gradient descent / the trained network
    "gd": "#56B4E9",  # full-batch gradient descent
    "min_norm": "#D55E00",  # the minimum-norm (pseudo-inverse) solution
    "linear": "#009E73",  # a linear model or linear classifier
    "ridge": "#CC79A7",  # explicit regularisation
    "diverged": "#E69F00",  # unstable runs, warnings
    "data": "#999999",  # raw data and histograms
}
THEORY_LINE = {"color": COLORS["theory"], "linestyle": "--", "linewidth": 1.4}
# roles: several series of one kind (Okabe-Ito order), and depth (a sequential map)
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
DEPTHS = {1: "#9ecae1", 2: "#4292c6", 3: "#08519c", 4: "#08306b"}


def use_book_style() -> None:
    """Apply the book's matplotlib style (book.mplstyle) for the rest of the session."""
    plt.style.use(STYLE)


def concept_color(name: str) -> str:
    """The colour of concept ``name``; an unknown name is an error, not a new colour."""
    if name not in COLORS:
        raise ValueError(f"name must be one of {sorted(COLORS)}, got {name!r}")
    return COLORS[name]


def series_color(k: int) -> str:
    """The colour of the k-th series (k = 0, 1, ...) of a figure: a role, not a concept."""
    k = integer(k, "k", low=0)
    return SERIES[k % len(SERIES)]


def depth_color(depth: int) -> str:
    """The colour of a network depth (1-4), darker when deeper."""
    return DEPTHS[integer(depth, "depth", low=1, high=max(DEPTHS))]


def plot_runs(ax, steps, values, *, color: str, label: str | None = None, **kwargs):
    """One thin line per run and their mean, thick: values (records, runs). Returns the
    mean line. Extra keyword arguments go to the mean line."""
    values = np.asarray(array(values, "values", finite=False), dtype=float)
    steps = array(steps, "steps", ndim=1)
    if not isinstance(color, str):
        raise TypeError(
            f"color must be a colour string (COLORS[...], series_color(k)), got {color!r}"
        )
    if values.ndim != 2 or len(values) != len(steps):
        raise ValueError(
            f"values must have shape (len(steps)={len(steps)}, runs), got {values.shape}"
        )
    ax.plot(steps, values, color=color, linewidth=0.7, alpha=0.35)
    return ax.plot(steps, values.mean(1), color=color, label=label, **kwargs)[0]


def figure(
    ncols: int = 1, nrows: int = 1, *, width: float | None = None, height: float | None = None, **kw
):
    """A new figure in the book's size: (fig, axes); width/height in inches (None: the
    book's default; 0 or a negative size is refused, not replaced by the default)."""
    ncols, nrows = integer(ncols, "ncols", high=12), integer(nrows, "nrows", high=12)
    if width is not None:
        width = number(width, "width (inches)", low=0, open_low=True, high=40)
    if height is not None:
        height = number(height, "height (inches)", low=0, open_low=True, high=40)
    default_width = (
        mpl.rcParams["figure.figsize"][0] if ncols == 1 else min(3.3 * ncols + 1.0, 10.5)
    )
    size = (width or default_width, height or 3.3 * nrows)
    return plt.subplots(nrows, ncols, figsize=size, **kw)
