"""Doctest namespace: ``sg`` and ``sympy`` are available in every docstring example."""

import pytest
import sympy

import singularities


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["sg"] = singularities
    doctest_namespace["sympy"] = sympy
    doctest_namespace["Fraction"] = __import__("fractions").Fraction
