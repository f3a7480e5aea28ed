"""The acceptance notebook examples/walkthrough.ipynb runs in a fresh kernel without errors, and its plots show inline.

Issue 18: a notebook walks both users' jobs (a lattice from model to van Hove table and DOS plot; a loss from
model to RLCT, verification and table) and its figures appear inline (an image/png output, not the text
"<Figure size ...>").  Needs nbclient, nbformat and ipykernel (the ``test`` extra) and matplotlib.
"""

import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "walkthrough.ipynb"
PLOTS = ("plot_dos(", "plot_phase_diagram(", "plot_spectroscope(")  # a cell that calls one draws a figure


@pytest.fixture(scope="module")
def executed():
    """The notebook run top to bottom in a new kernel that imports this checkout's package (about 30 s)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(ROOT))  # the checkout under test, not another installed copy
        patch.delenv("MPLBACKEND", raising=False)  # the kernel's own inline backend, as in Jupyter
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        )
        client.execute()
    return notebook


def test_the_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def test_every_cell_runs_without_error(executed):
    errors = [
        (index, output.get("ename"), output.get("evalue"))
        for index, cell in enumerate(executed.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []


def test_each_plot_cell_shows_its_figure_inline(executed):
    plot_cells = [cell for cell in executed.cells if cell.cell_type == "code" and any(p in cell.source for p in PLOTS)]
    assert len(plot_cells) >= 3  # the DOS, the subplots (DOS and phase diagram), the spectroscope
    for cell in plot_cells:
        images = [o for o in cell.outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
        assert len(images) == 1, cell.source  # one figure each, displayed once
        shown_as_text = [
            o
            for o in cell.outputs
            if o.get("data", {}).get("text/plain", "").startswith("<Figure size") and "image/png" not in o["data"]
        ]
        assert not shown_as_text, cell.source  # the complaint of issue 18: a figure as text, no image


def test_both_jobs_reach_their_tables(executed):
    """The van Hove table holds the hand-derived values (docs in the notebook), the RLCT table Aoyagi-Watanabe's."""
    outputs = "\n".join(
        output.get("data", {}).get("text/markdown", "") + output.get("data", {}).get("text/plain", "")
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    # square lattice, t' = 2/5: band bottom -28/5 (step 5/(36 pi)), saddles 8/5 (L = -5/(12 pi^2)), top 12/5
    for value in ("-28/5", "8/5", "12/5", "5/(36*pi)", "-5/(12*pi**2)", "5/(4*pi)"):
        assert value in outputs
    # reduced rank regression M = N = 2, H = 1, r = 0: Aoyagi-Watanabe (2005), 2(H+r)(M+N) - (M-N)^2 - (H+r)^2 = 7,
    # M + H + N + r odd, so lambda = (7 + 1)/8 = 1 and m = 2; the row prints lambda, m, status, and the formula's pair
    assert "| 2 | 2 | 1 | 0 | 1 | 2 | proven | 1 | 2 |" in outputs
