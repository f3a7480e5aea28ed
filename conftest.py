"""Doctest namespace: ``sg``, ``sympy`` and ``Fraction`` are available in every docstring example.

The Markdown pages (docs/*.md, README.md) get no injected names: each page imports
what it uses, so that its examples run as written when pasted into a fresh interpreter.
"""

import fractions

import pytest
import sympy

import singularities

_NAMESPACE = {"sg": singularities, "sympy": sympy, "Fraction": fractions.Fraction}


@pytest.fixture(autouse=True)
def _doctest_namespace(request, doctest_namespace):
    """Inject :data:`_NAMESPACE` into docstring examples; remove it for a Markdown page (the dict is shared)."""
    markdown = str(getattr(request.node, "path", "")).endswith(".md")
    for name, value in _NAMESPACE.items():
        if markdown:
            doctest_namespace.pop(name, None)
        else:
            doctest_namespace[name] = value
