"""Each docs page runs as written in a fresh interpreter: it imports what it uses.

The pytest run of docs/*.md gets no injected names (conftest.py injects
``sg``, ``sympy`` and ``Fraction`` into docstrings only), so every page's
doctest is itself the check.  These tests make that explicit: one page is run
here with empty globals, and every page is checked to import ``sg`` and
``sympy`` before its first use of them.
"""

import doctest
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
IMPORTS = {"sg": r"^import singularities as sg$", "sympy": r"^import sympy$"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_imports_each_module_before_using_it(page):
    examples = doctest.DocTestParser().get_examples(page.read_text())
    imported = set()
    for example in examples:
        source = example.source.strip()
        imported |= {name for name, pattern in IMPORTS.items() if re.search(pattern, source, re.M)}
        used = {name for name in IMPORTS if re.search(rf"(?<![\w.]){name}\.", source)}
        missing = used - imported
        assert not missing, (
            f"{page.name} line {example.lineno + 1} uses {', '.join(sorted(missing))} before importing it"
        )


def test_a_page_runs_with_empty_globals():
    """docs/limits.md (a quick page), as if pasted into a fresh interpreter: no name comes from the test set-up."""
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(ROOT / "docs" / "limits.md"), module_relative=False, globs={}, optionflags=flags)
    assert result.attempted > 10 and result.failed == 0
