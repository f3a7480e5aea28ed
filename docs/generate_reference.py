"""Write docs/cli.md and docs/api.md from the parser and the docstrings
(tests/test_reference_docs.py keeps them current).

Run:  python docs/generate_reference.py
"""

import inspect
import os
import pathlib

import singularities
from singularities.cli import build_parser

DOCS = pathlib.Path(__file__).resolve().parent


def cli_reference():
    """The --help text of the program and of every subcommand, as Markdown (wrapped at 100 columns)."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return _cli_reference(build_parser())
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _cli_reference(parser):
    parts = [
        "# Command-line reference",
        "",
        "Generated from the argument parser by `python docs/generate_reference.py`; the conventions behind every",
        "number are in [conventions.md](conventions.md). Exit codes: 0 success, 2 bad input (one line on stderr),",
        "1 internal error.",
        "",
        "```",
        parser.format_help().rstrip(),
        "```",
        "",
    ]
    commands = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 - argparse keeps subparsers here
    for name, sub in commands.choices.items():
        parts += [f"## `singularities {name}`", "", "```", sub.format_help().rstrip(), "```", ""]
    return "\n".join(parts)


def api_reference():
    """Every public name of the package with the first paragraph of its docstring, as Markdown."""
    parts = [
        "# API reference",
        "",
        "Generated from the docstrings by `python docs/generate_reference.py`: every name in",
        "`singularities.__all__` and `singularities.numeric.__all__`, with its signature and summary. The full",
        "docstrings (numpydoc, with examples that run as tests) are one `help(sg.name)` away.",
        "",
    ]
    import singularities.numeric as numeric

    for title, module in (("singularities", singularities), ("singularities.numeric", numeric)):
        parts += [f"## `{title}`", ""]
        for name in sorted(module.__all__, key=str.lower):
            parts += _entry(name, getattr(module, name))
    return "\n".join(parts)


def _entry(name, obj):
    if isinstance(obj, str):
        return [f"- `{name}` = `{obj!r}`", ""]
    try:
        signature = str(inspect.signature(obj)) if callable(obj) else ""
    except (TypeError, ValueError):
        signature = ""
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else type(obj).__name__
    summary = (inspect.getdoc(obj) or "").split("\n\n")[0].replace("\n", " ")
    return [f"### `{name}{signature if kind == 'function' else ''}`", "", f"*{kind}* {summary}".rstrip(), ""]


def main():
    (DOCS / "cli.md").write_text(cli_reference())
    (DOCS / "api.md").write_text(api_reference())


if __name__ == "__main__":
    main()
