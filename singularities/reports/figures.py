"""The figure helpers every plot shares: the matplotlib check, the axes, labels in LaTeX, legends inside, saving.

Needs the ``plot`` extra (matplotlib), imported inside the functions only, so
the package works without it.  Every plot function of
:mod:`singularities.reports.plot` and :mod:`singularities.reports.diagrams`
follows one contract, kept here:

- ``ax=`` draws into the given Axes and touches nothing else of its figure
  (no ``tight_layout``, no ``suptitle``, no figure legend), so plots on
  subplots do not overlap;
- without ``ax``, the axes are on a new pyplot figure with constrained layout
  (``plt.figure``), which Jupyter shows inline and ``plt.show()`` shows in a
  window;
- legends and insets stay inside the axes, so a plain ``savefig`` keeps them;
- ``title=``, ``xlabel=`` and ``ylabel=`` replace the default texts (LaTeX
  between dollar signs, as matplotlib reads it);
- ``file=`` saves the whole figure there (the format follows the suffix);
- the Axes is returned.

Guide: docs/plots.md.
"""

import os
import pathlib

import sympy

from ..errors import InputError

__all__ = [
    "require_matplotlib",
    "check_plot_file",
    "axes_for",
    "finish",
    "symbol_latex",
    "expression_text",
    "renderer_of",
    "cycle",
]

_INSTALL = (
    "install the plot extra: pip install 'singularities[plot]' (pip install -e \".[plot]\" in a checkout), "
    "or pip install matplotlib"
)
_MOMENTA = {"k", "q", "p"}  # kx -> k_x, qy -> q_y: a momentum letter and the axis


def require_matplotlib():
    """Check that the ``plot`` extra (matplotlib) is importable; cheap, for callers to run before computing.

    Raises
    ------
    InputError
        If matplotlib is missing, saying how to install the extra.

    Examples
    --------
    >>> from singularities.reports.figures import require_matplotlib
    >>> require_matplotlib()  # doctest: +SKIP
    """
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError as exc:
        raise InputError(f"plots need matplotlib, which is not installed; {_INSTALL}") from exc


def check_plot_file(file):
    """Check, before any work, that a plot can be written to ``file``: its folder exists and is writable.

    Folders are not created (a typo should not make directories).

    Raises
    ------
    InputError
        If the folder is missing, is not a folder or is not writable,
        ``file`` is an existing folder, or it is not a path at all.

    Examples
    --------
    >>> from singularities.reports.figures import check_plot_file
    >>> check_plot_file("no/such/folder/dos.png")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: cannot write the plot no/such/folder/dos.png: the folder no/such/folder
    does not exist; create it (mkdir -p no/such/folder) or choose another path
    """
    if hasattr(file, "write"):
        return
    try:
        path = pathlib.Path(os.fspath(file))
    except TypeError:
        raise InputError(f"cannot write the plot to {file!r}: give a file name such as 'plot.png'") from None
    folder = path.parent
    if path.is_dir():
        problem = "it is a folder; add a file name such as plot.png"
    elif not folder.exists():
        problem = f"the folder {folder} does not exist; create it (mkdir -p {folder}) or choose another path"
    elif not folder.is_dir():
        problem = f"{folder} is not a folder; choose another path"
    elif not os.access(folder, os.W_OK):
        problem = f"the folder {folder} is not writable; choose another path"
    else:
        return
    raise InputError(f"cannot write the plot {file}: {problem}")


def axes_for(ax=None, size=(9, 6.2), projection=None):
    """The axes to draw into: ``ax`` itself, or new axes on a new pyplot figure with constrained layout.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        The caller's axes; nothing else of its figure is changed.
    size : pair of float
        Width and height in inches of a new figure.
    projection : str, optional
        "3d" for three-dimensional axes on a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InputError
        If matplotlib is missing, or ``ax`` is not matplotlib Axes.

    Examples
    --------
    >>> from singularities.reports.figures import axes_for
    >>> ax = axes_for(size=(4, 3))  # doctest: +SKIP
    """
    if ax is not None:
        if not (hasattr(ax, "plot") and hasattr(ax, "figure")):
            raise InputError(
                f"ax is {type(ax).__name__}, not matplotlib Axes; pass one from plt.subplots(), or leave it out"
            )
        return ax
    require_matplotlib()
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=size, layout="constrained")
    return figure.add_subplot(projection=projection)


def finish(ax, *, title=None, xlabel=None, ylabel=None, file=None, defaults=("", "", "")):
    """Set the title and axis labels (the caller's, else the plot's ``defaults``) and save to ``file``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str, optional
        The caller's texts; None keeps the default.
    file : str or path, optional
        Save the whole figure there (checked first, see :func:`check_plot_file`).
    defaults : triple of str
        The plot's own title, x label and y label.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Raises
    ------
    InputError
        If the file cannot be written.

    Examples
    --------
    >>> from singularities.reports.figures import axes_for, finish
    >>> ax = finish(axes_for(), title="a", xlabel="$k_x$", ylabel="$E$")  # doctest: +SKIP
    """
    texts = (title, xlabel, ylabel)
    default_title, default_x, default_y = (d if t is None else t for t, d in zip(texts, defaults))
    ax.set_title(default_title, fontsize="medium")
    ax.set_xlabel(default_x)
    ax.set_ylabel(default_y)
    _save(_root_figure(ax), file)
    return ax


def symbol_latex(symbol):
    """LaTeX for a variable or parameter name: kx -> k_{x}, tp -> t', tpp -> t'', t3 -> t_{3}.

    Examples
    --------
    >>> from singularities.reports.figures import symbol_latex
    >>> [symbol_latex(n) for n in ("kx", "tp", "tpp", "t3", "lambda")]
    ['k_{x}', "t'", "t''", 't_{3}', '\\\\lambda']
    """
    name = str(symbol)
    stem = name.rstrip("p")
    if len(stem) == 1 and len(name) > 1:
        return stem + "'" * (len(name) - 1)
    if len(name) == 2 and name[0] in _MOMENTA and name[1] in "xyz":
        return f"{name[0]}_{{{name[1]}}}"
    return sympy.latex(sympy.Symbol(name))


def expression_text(expression, width=60):
    """An expression for a title or legend: its LaTeX between dollars, or its plain text when that is long.

    The LaTeX is used only when matplotlib's mathtext can typeset it (sympy
    writes some macros mathtext lacks); the plain text is cut to ``width``
    characters with "...".

    Examples
    --------
    >>> import sympy
    >>> from singularities.reports.figures import expression_text
    >>> expression_text(sympy.sympify("kx**2 + 3*ky/2"))  # doctest: +SKIP
    '$k_{x}^{2} + \\frac{3 k_{y}}{2}$'
    """
    expression = sympy.sympify(expression)
    text = sympy.sstr(expression)
    if len(text) > width:
        return text[: width - 3] + "..."
    names = {s: symbol_latex(s) for s in expression.free_symbols}
    latex = f"${sympy.latex(expression, symbol_names=names)}$"
    return latex if _typesets(latex) else text


def renderer_of(ax):
    """The renderer of the axes' figure, to measure texts and legends before drawing; None if there is none.

    Examples
    --------
    >>> from singularities.reports.figures import axes_for, renderer_of
    >>> renderer_of(axes_for()) is not None  # doctest: +SKIP
    True
    """
    figure = _root_figure(ax)
    get = getattr(figure.canvas, "get_renderer", None) or getattr(figure, "_get_renderer", None)
    try:
        return get() if get is not None else None
    except (AttributeError, TypeError, RuntimeError):
        return None


def cycle(items):
    """Repeat ``items`` for ever (colours for any number of curves).

    Examples
    --------
    >>> from singularities.reports.figures import cycle
    >>> colours = cycle(("red", "blue"))
    >>> [next(colours) for _ in range(3)]
    ['red', 'blue', 'red']
    """
    while True:
        yield from items


def _typesets(latex):
    require_matplotlib()
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(latex)
    except ValueError:
        return False
    return True


def _root_figure(ax):
    figure = ax.figure
    return getattr(figure, "figure", None) or figure  # a SubFigure's .figure is the root Figure


def _save(figure, file):
    if file is None:
        return
    check_plot_file(file)
    try:
        figure.savefig(file, dpi=130)
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot write the plot {file}: {exc}; choose a writable path ending in .png, .pdf or .svg"
        ) from exc
