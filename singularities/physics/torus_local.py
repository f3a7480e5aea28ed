"""The local analysis of one critical point on a torus: type, Poincare-Hopf index and DOS, shared by torus and bands.

A Morse point is classified from the solver's exact Hessian inertia; any other
point through :func:`~singularities.local.classify.classify` of its (translated)
energy.  The Poincare-Hopf index of a classified point comes from its real
normal form (Eisenbud-Levine-Khimshiashvili, :func:`gradient_index`), and the
DOS asymptotics are scaled to the torus normalisation
(docs/conventions.md#density-of-states).  Used by
:mod:`singularities.physics.torus` and :mod:`singularities.physics.bands`.
"""

from dataclasses import replace

import sympy

from ..algebra.polys import groebner_basis, normal_form_coordinates, standard_monomials
from ..algebra.realroots import hessian_inertia
from ..domain import Periods
from ..errors import InputError
from ..local.classify import Classification, classify
from ..local.normal_forms import normal_form
from .dos import dos_asymptotics

__all__ = ["poincare_hopf_index", "gradient_index", "SAMPLE_MODULI"]

SAMPLE_MODULI = (
    sympy.Integer(1),
    sympy.Integer(-3),
    sympy.Integer(3),
    sympy.Rational(1, 2),
    sympy.Integer(0),
    sympy.Integer(-1),
)


def poincare_hopf_index(classification):
    """The index of grad f at a classified isolated critical point, exactly.

    For a Morse point it is (-1)^(Morse index).  Otherwise it is the index of
    the gradient of the real normal form (``classification.normal_form``,
    with an admissible modulus value), computed by :func:`gradient_index`; the
    index is a topological invariant of the germ, so the normal form's is
    the point's.  None when the point is not classified.

    Examples
    --------
    >>> from singularities.physics.torus import poincare_hopf_index
    >>> [poincare_hopf_index(sg.classify(f)) for f in ("x**2 - y**2", "x**3 - 3*x*y**2", "x**4 + y**2", "x**3 + y**2")]
    [-1, -2, 1, 0]
    """
    c = classification
    if c.family is None or c.family == "P":  # P8: its real forms are not distinguished yet, and their indices differ
        return None
    if c.corank == 0:
        return (-1) ** c.inertia[1]
    form = normal_form(c.family, c.index, c.real_form_label)
    expression = c.normal_form
    if form.modulus is not None:
        value = next((a for a in SAMPLE_MODULI if form.admits(a)), None)
        if value is None:  # pragma: no cover - every real form admits one of SAMPLE_MODULI
            return None
        expression = expression.xreplace({form.modulus: value})
    names = tuple(sorted(expression.free_symbols, key=lambda s: s.name))
    names = tuple(v for v in c.energy.variables if v in expression.free_symbols) if c.energy is not None else names
    if len(names) != len(c.point):
        return None
    return gradient_index([sympy.diff(expression, v) for v in names], names)


def gradient_index(components, variables):
    """The local degree at 0 of a polynomial map F: R^n -> R^n whose only complex zero is 0
    (Eisenbud-Levine-Khimshiashvili).

    Q = R[x]/(F) is then the local algebra at 0; with J = det DF and any
    linear functional phi on Q with phi(J) > 0, the index is the signature
    of the bilinear form (a, b) -> phi(a b) on Q (Eisenbud and Levine, Ann.
    Math. 106 (1977) 19-44; Khimshiashvili 1977).  Here phi is the
    coefficient of one standard monomial of the normal form of J, with the
    sign that makes phi(J) > 0; the signature is exact (rational Gram matrix).

    Raises
    ------
    InputError
        If F has a zero other than 0 or 0 is not an isolated zero.

    Examples
    --------
    >>> from singularities.physics.torus import gradient_index
    >>> x, y = sympy.symbols("x y")
    >>> gradient_index([3*x**2 - 3*y**2, -6*x*y], (x, y))  # grad of the monkey saddle
    -2
    >>> gradient_index([2*x*y, x**2 + 3*y**2], (x, y))  # grad of D4+ = x^2 y + y^3
    0
    """
    variables = tuple(variables)
    basis = groebner_basis([sympy.expand(c) for c in components], variables)
    standard = standard_monomials(basis, variables)
    if standard is None or any(basis.reduce(v ** len(standard))[1] != 0 for v in variables):
        raise InputError(
            "the map has a zero other than the origin (or a non-isolated zero); "
            "the signature formula needs 0 as its only zero"
        )
    jacobian = sympy.Matrix([[sympy.diff(c, v) for v in variables] for c in components]).det()
    coefficients = normal_form_coordinates(basis.reduce(sympy.expand(jacobian))[1], standard, variables)
    pivot = max((i for i, c in enumerate(coefficients) if c != 0), key=lambda i: sum(standard[i]))
    sign = 1 if coefficients[pivot] > 0 else -1
    monomials = [sympy.Mul(*(v**e for v, e in zip(variables, m))) for m in standard]
    gram = sympy.Matrix(
        len(standard),
        len(standard),
        lambda i, j: (
            sign * normal_form_coordinates(basis.reduce(monomials[i] * monomials[j])[1], standard, variables)[pivot]
        ),
    )
    n_plus, n_minus, _ = hessian_inertia(gram)
    return n_plus - n_minus


def _morse_classification(energy, point, value, inertia):
    """A1 with the exact inertia from the solver (as classify_critical_points does for Morse points)."""
    n_plus, n_minus = inertia
    names = energy.variables
    form = sum(v**2 for v in names[:n_plus]) - sum(v**2 for v in names[n_plus:])
    opens = "above" if n_minus == 0 else "below" if n_plus == 0 else "both"
    return Classification(
        point=point,
        value=value,
        family="A",
        index=1,
        real_form_label=None,
        corank=0,
        inertia=inertia,
        milnor_number=1,
        modality=0,
        normal_form=form,
        weights=(sympy.Rational(1, 2),) * len(names),
        opens=opens,
        reason="corank 0: a Morse point (exact Hessian inertia)",
        residual=sympy.Integer(0),
        energy=energy.at(point),
    )


def _classify(target, point, deadline):
    """classify() at the target, reported at ``point``; failures become a note."""
    # catch=Exception: an algebraic point the exact jets cannot handle is reported, not fatal
    with deadline.attempt("classifying a critical point", catch=Exception) as step:
        result = classify(target, timeout=step.deadline)
        return (result if tuple(target.point) == tuple(point) else replace(result, point=point)), ""
    if step.timed_out:
        return None, "not classified: the jet computation ran out of time"
    return None, f"not classified: the jets at this point could not be computed exactly ({step.failure})"


def _dos(target, point, periods, deadline, classification=None):
    """The local DOS in the torus normalisation (the target is a function of k - point
    in k units, see :meth:`TorusPolynomial.translated`)."""
    # catch=Exception: a DOS failure is a note on the point, never a crash of the torus analysis
    with deadline.attempt("the DOS asymptotics", catch=Exception) as step:
        local = dos_asymptotics(target, classification=classification, timeout=step.deadline)
        local = local.scaled(1 / Periods(tuple(periods)).volume, "torus")
        return (local if tuple(target.point) == tuple(point) else replace(local, point=point)), ""
    if step.timed_out:
        return None, "DOS asymptotics: time limit"
    return None, f"DOS asymptotics not computed ({step.failure})"
