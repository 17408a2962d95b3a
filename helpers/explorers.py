"""Explorers: sliders over a figure that work in a live kernel AND in the static book.

``explore(figure_fn, step=[...], eta=[...])`` returns one object whose display is
a single Jupyter output carrying two views of the same thing:

* an ipywidgets control (``application/vnd.jupyter.widget-view+json``), which a
  live kernel (Jupyter Lab, Colab) shows and redraws on every move; and
* a scrubbable HTML fallback (``text/html``): every frame of the grid rendered
  to PNG beforehand, with plain range inputs and a few lines of JavaScript, which
  the book build prefers (see ``nb_mime_priority_overrides`` in _config.yml), so
  the sliders in the online book move with no kernel behind them.

The frames are rendered only when asked for (``static=True``) or when the book
build sets DNL_STATIC_EXPLORERS=1, so a student's live run pays for none of them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import multiprocessing
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

SCRIPT = (Path(__file__).with_name("explorer.js")).read_text(encoding="utf-8")
MAX_FRAMES = 80
MAX_BYTES = 2_500_000  # per explorer; a page stays under ~5 MB with two of them
LIVE_DPI = 100  # a live kernel draws one frame at a time, so it can afford sharper ones


def static_wanted() -> bool:
    """True when the book build asks for static frames (DNL_STATIC_EXPLORERS=1)."""
    return os.environ.get("DNL_STATIC_EXPLORERS", "") not in ("", "0")


def _label(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


class Explorer:
    """A figure function over a small grid of parameter values. See ``explore``."""

    def __init__(
        self,
        figure_fn: Callable[..., Figure],
        grid: dict[str, Sequence],
        *,
        start: dict[str, Any] | None = None,
        static: bool | None = None,
        dpi: int = 80,
        alt: str = "",
    ):
        if not callable(figure_fn):
            raise TypeError(f"figure_fn must be callable, got {type(figure_fn).__name__}")
        if not grid:
            raise ValueError(
                "grid must name at least one parameter, e.g. explore(fn, step=[0, 10, 100])"
            )
        self.grid = {}
        for name, values in grid.items():
            values = list(values) if not isinstance(values, (str, bytes)) else []
            if not values:
                raise ValueError(f"grid[{name!r}] must be a non-empty sequence of values")
            self.grid[name] = values
        n_frames = 1
        for values in self.grid.values():
            n_frames *= len(values)
        if n_frames > MAX_FRAMES:
            raise ValueError(
                f"grid has {n_frames} combinations; at most {MAX_FRAMES} are allowed "
                "(each is a pre-rendered image in the static book): use fewer values"
            )
        start = dict(start or {})
        unknown = set(start) - set(self.grid)
        if unknown:
            raise ValueError(
                f"start names {sorted(unknown)}, which are not in grid {sorted(self.grid)}"
            )
        for name, value in start.items():
            if value not in self.grid[name]:
                raise ValueError(
                    f"start[{name!r}]={value!r} is not one of grid[{name!r}]={self.grid[name]}"
                )
        self.start = {name: start.get(name, values[0]) for name, values in self.grid.items()}
        self.figure_fn, self.dpi, self.alt = figure_fn, dpi, alt
        self.static = static_wanted() if static is None else static

    # -- one frame -----------------------------------------------------------------
    def render(self, **params) -> Figure:
        fig = self.figure_fn(**params)
        if not isinstance(fig, Figure):
            raise TypeError(f"figure_fn must return a matplotlib Figure, got {type(fig).__name__}")
        return fig

    def png(
        self, dpi: int | None = None, layout: list | None = None, **params
    ) -> tuple[bytes, list]:
        """One frame as (PNG bytes, its axes positions). ``layout``: positions to reuse
        instead of running the layout engine again (half of a frame's rendering time)."""
        fig = self.render(**params)
        if layout is not None and len(layout) == len(fig.axes):
            fig.set_layout_engine("none")
            for ax, position in zip(fig.axes, layout):
                ax.set_position(position)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi or self.dpi)
        positions = [ax.get_position() for ax in fig.axes]
        plt.close(fig)
        return buffer.getvalue(), positions

    # -- the live view -------------------------------------------------------------
    def widget(self):
        """The ipywidgets view: one slider per parameter and the figure below."""
        import ipywidgets as widgets
        from IPython.display import Image

        sliders = {
            name: widgets.SelectionSlider(
                options=[(_label(v), v) for v in values],
                value=self.start[name],
                description=name,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="420px"),
            )
            for name, values in self.grid.items()
        }
        out = widgets.Output()

        def redraw(**params):
            # Replacing the Output's outputs (rather than printing into it) works the
            # same in a kernel and outside one, e.g. in tests.
            image = Image(self.png(dpi=LIVE_DPI, **params)[0])
            out.outputs = ()
            out.append_display_data(image)

        widgets.interactive_output(redraw, sliders)
        box = widgets.VBox([*sliders.values(), out])
        box.sliders, box.output = sliders, out  # handles for tests and for the curious
        return box

    # -- the static view -----------------------------------------------------------
    def _frame(self, combo: tuple, layout: list | None) -> tuple[bytes, list]:
        return self.png(layout=layout, **{n: self.grid[n][i] for n, i in zip(self.grid, combo)})

    def frames_png(self) -> dict[tuple, bytes]:
        """Every frame of the grid as PNG bytes, by its index tuple. The first frame is laid
        out here and its axes positions reused for the rest, which are drawn by
        ``frame_processes()`` forked copies of this process (the same figure function on the
        same data: the same pixels), or here when that is 1."""
        combos = list(itertools.product(*(range(len(v)) for v in self.grid.values())))
        first, layout = self._frame(combos[0], None)
        rest = combos[1:]
        workers = min(frame_processes(), len(rest))
        if workers <= 1:
            pngs = [self._frame(combo, layout)[0] for combo in rest]
        else:
            global _RENDERING
            _RENDERING = (self, layout)  # what the forked workers draw from
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns on any fork of a process with threads (a kernel
                    # has some); the workers only draw with matplotlib and exit
                    warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
                    with multiprocessing.get_context("fork").Pool(workers) as pool:
                        chunk = -(-len(rest) // workers)  # one share per worker, in order
                        pngs = pool.map(_draw_frame, rest, chunksize=chunk)
            finally:
                _RENDERING = None
        return dict(zip(combos, [first, *pngs]))

    def static_html(self) -> str:
        """Every frame as a PNG data URI, with range inputs and a little JavaScript."""
        names = list(self.grid)
        frames = {}
        total = 0
        for combo, png in self.frames_png().items():
            data = base64.b64encode(png)
            total += len(data)
            frames[",".join(map(str, combo))] = "data:image/png;base64," + data.decode()
        if total > MAX_BYTES:
            raise ValueError(
                f"the static explorer is {total / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.1f} MB "
                "budget per explorer: lower dpi or use fewer grid values"
            )
        uid = "dnl-explorer-" + hashlib.sha1("".join(frames.values()).encode()).hexdigest()[:10]
        start = [self.grid[n].index(self.start[n]) for n in names]
        controls = "".join(
            f'<label class="dnl-explorer-control">{html.escape(n)} '
            f'<input type="range" min="0" max="{len(self.grid[n]) - 1}" step="1" value="{i}" '
            f'data-param="{k}"> <output>{html.escape(_label(self.grid[n][i]))}</output></label>'
            for k, (n, i) in enumerate(zip(names, start))
        )
        labels = [[_label(v) for v in self.grid[n]] for n in names]
        payload = json.dumps({"labels": labels, "frames": frames}).replace("</", "<\\/")
        first = frames[",".join(map(str, start))]
        alt = html.escape(self.alt or "figure of " + ", ".join(names))
        return f"""<div class="dnl-explorer" id="{uid}">
<div class="dnl-explorer-controls">{controls}</div>
<img class="dnl-explorer-frame" src="{first}" alt="{alt}">
<script type="application/json" class="dnl-explorer-data">{payload}</script>
<script>{SCRIPT.replace("ROOT_ID", uid)}</script>
</div>"""

    # -- one output, two views -----------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        box = self.widget()
        # the widget view as ipywidgets 7 (Colab) and 8 both display it
        bundle = {
            "text/plain": repr(box),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": box.model_id,
            },
        }
        if self.static:
            bundle["text/html"] = self.static_html()
        return bundle


_RENDERING: tuple | None = None  # (explorer, layout) while forked workers draw its frames


def _draw_frame(combo: tuple) -> bytes:
    explorer, layout = _RENDERING
    return explorer._frame(combo, layout)[0]


def frame_processes() -> int:
    """How many processes draw a static explorer's frames: DNL_FRAME_PROCESSES, else one per
    core this process may use, at most 2 (the frames are independent; a chapter run alone on
    a 2-core machine leaves the second core idle otherwise). Fork is needed (Linux)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get("DNL_FRAME_PROCESSES", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise ValueError(f"DNL_FRAME_PROCESSES must be a positive integer, got {wanted!r}")
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(2, cores or 1))


def explore(
    figure_fn: Callable[..., Figure],
    *,
    start: dict | None = None,
    static: bool | None = None,
    dpi: int = 80,
    alt: str = "",
    **grid: Sequence,
) -> Explorer:
    """Sliders over ``figure_fn(**params)`` for every combination of the ``grid`` values.

    Example: ``explore(plot_decay, step=[0, 10, 100], eta=[0.5, 1.0])``. Keep the grid
    small (at most MAX_FRAMES combinations): the static book carries every frame.
    """
    return Explorer(figure_fn, grid, start=start, static=static, dpi=dpi, alt=alt)
