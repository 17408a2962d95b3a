"""The book's figure style and its one colour per concept.

``use_book_style()`` is called once in each chapter's setup cell; a concept
("the theory", "SGD", "the linear classifier") has the same colour in every
chapter, taken from ``COLORS``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

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


def use_book_style() -> None:
    """Apply the book's matplotlib style (book.mplstyle) for the rest of the session."""
    plt.style.use(STYLE)


def concept_color(name: str) -> str:
    """The colour of concept ``name``; an unknown name is an error, not a new colour."""
    if name not in COLORS:
        raise ValueError(f"name must be one of {sorted(COLORS)}, got {name!r}")
    return COLORS[name]


def figure(ncols: int = 1, nrows: int = 1, *, width: float | None = None, height: float | None = None, **kw):
    """A new figure in the book's size: (fig, axes); width/height in inches."""
    default_width = mpl.rcParams["figure.figsize"][0] if ncols == 1 else min(3.3 * ncols + 1.0, 10.5)
    size = (width or default_width, height or 3.3 * nrows)
    return plt.subplots(nrows, ncols, figsize=size, **kw)
