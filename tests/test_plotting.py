import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers.plotting import COLORS, concept_color, figure, use_book_style  # noqa: E402


def test_book_style_applies():
    with plt.style.context("default"):
        use_book_style()
        assert plt.rcParams["axes.spines.top"] is False
        assert plt.rcParams["figure.constrained_layout.use"] is True


def test_one_colour_per_concept():
    assert len(set(COLORS.values())) == len(COLORS)
    assert concept_color("sgd") == COLORS["sgd"]
    with pytest.raises(ValueError, match="name must be one of"):
        concept_color("adam")


def test_figure_sizes():
    fig, axes = figure(2)
    assert len(axes) == 2 and fig.get_size_inches()[0] == pytest.approx(7.6)
    plt.close(fig)
