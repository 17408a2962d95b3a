import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers.explorers import MAX_FRAMES, explore  # noqa: E402


def line_figure(slope, shift=0):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [shift, shift + slope])
    ax.set_ylim(-3, 3)
    return fig


def test_static_view_has_every_frame_and_a_slider_per_parameter():
    html = explore(line_figure, slope=[-1, 0, 1], shift=[0, 1], static=True).static_html()
    assert len(re.findall(r'type="range"', html)) == 2
    frames = re.findall(r'"(\d+,\d+)": "data:image/png;base64,([^"]+)"', html)
    assert sorted(k for k, _ in frames) == [f"{i},{j}" for i in range(3) for j in range(2)]
    pngs = {base64.b64decode(data) for _, data in frames}
    assert len(pngs) == 6 and all(p.startswith(b"\x89PNG") for p in pngs)


def test_frames_drawn_by_forked_processes_are_the_same_pixels(monkeypatch):
    explorer = explore(line_figure, slope=[-1, 0, 1], shift=[0, 1, 2], static=True)
    monkeypatch.setenv("DNL_FRAME_PROCESSES", "1")
    alone = explorer.frames_png()
    monkeypatch.setenv("DNL_FRAME_PROCESSES", "2")
    forked = explorer.frames_png()
    assert list(alone) == list(forked) and all(alone[k] == forked[k] for k in alone)
    assert len(set(alone.values())) == 9
    monkeypatch.setenv("DNL_FRAME_PROCESSES", "two")
    with pytest.raises(ValueError, match="DNL_FRAME_PROCESSES must be a positive integer"):
        explorer.frames_png()


def test_one_output_carries_the_widget_and_the_static_view():
    bundle = explore(line_figure, slope=[0, 1], static=True)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'class="dnl-explorer"' in bundle["text/html"]
    live_only = explore(line_figure, slope=[0, 1], static=False)._repr_mimebundle_()
    assert "text/html" not in live_only


def test_moving_the_widget_slider_redraws_the_figure():
    box = explore(line_figure, slope=[-1, 0, 1], start={"slope": 0}, static=False).widget()
    first = box.output.outputs
    assert len(first) == 1 and "image/png" in first[0]["data"]
    box.sliders["slope"].value = 1
    second = box.output.outputs
    assert len(second) == 1 and second[0]["data"]["image/png"] != first[0]["data"]["image/png"]


def test_static_frames_only_when_the_build_asks(monkeypatch):
    monkeypatch.delenv("DNL_STATIC_EXPLORERS", raising=False)
    assert explore(line_figure, slope=[0]).static is False
    monkeypatch.setenv("DNL_STATIC_EXPLORERS", "1")
    assert explore(line_figure, slope=[0]).static is True


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="grid must name at least one parameter"):
        explore(line_figure)
    with pytest.raises(ValueError, match=r"grid\['slope'\] must be a non-empty sequence"):
        explore(line_figure, slope=[])
    with pytest.raises(ValueError, match=f"at most {MAX_FRAMES} are allowed"):
        explore(line_figure, slope=range(100))
    with pytest.raises(ValueError, match=r"start\['slope'\]=5 is not one of"):
        explore(line_figure, slope=[0, 1], start={"slope": 5})
    with pytest.raises(TypeError, match="figure_fn must be callable"):
        explore(42, slope=[0])
    with pytest.raises(TypeError, match="figure_fn must return a matplotlib Figure"):
        explore(lambda slope: None, slope=[0], static=True).static_html()


def test_widget_redraws_in_a_real_kernel():
    """The live view in an IPython kernel, with widget comms as in Jupyter Lab: moving the
    slider (as the front end does, by setting its value) replaces the figure."""
    import nbformat
    from nbclient import NotebookClient

    source = """
import matplotlib.pyplot as plt
from helpers.explorers import explore

def fig_fn(a):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, a])
    return fig

box = explore(fig_fn, a=[1, 2, 3], static=False).widget()
before = box.output.outputs[0]["data"]["image/png"]
box.sliders["a"].value = 3
after = box.output.outputs[0]["data"]["image/png"]
print(len(box.output.outputs), before != after)
"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
    assert printed.strip() == "1 True"
