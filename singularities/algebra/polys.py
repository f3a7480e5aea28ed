"""Polynomial ideals over QQ: Groebner bases under a Deadline, dimension, eliminants, splitting, Gram forms.

Every Groebner basis is computed by :func:`groebner_basis`: on FLINT (Buchberger
in bounded slices, then reduced) for ideals over QQ under the FLINT backend, else
by sympy's ``groebner`` under the watchdog of a :class:`~singularities._limits.Deadline`
(so one long Buchberger run stops at the limit).  Both return the same reduced
basis as a sympy ``GroebnerBasis``.  Splitting an ideal along the
factors of its generators (:func:`split_ideal`) loses no point of its zero set;
the pieces are described in docs/critical_points.md#components.
"""

import math
from itertools import combinations, product

import flint
import sympy
from flint.utils.flint_exceptions import DomainError
from sympy.polys.polyerrors import CoercionFailed
from sympy.polys.polytools import GroebnerBasis, Poly, parallel_poly_from_expr

from .._limits import Deadline, call_with_limit
from .backend import NotRationalError, flint_context, flint_terms, from_flint, polys_to_flint, to_flint, use_flint

__all__ = [
    "FLINT_SLICES",
    "groebner_basis",
    "ideal_contains",
    "lex_basis",
    "is_unit",
    "dimension",
    "eliminant",
    "flint_elimination",
    "resultant",
    "split_ideal",
    "maximal_pieces",
    "primitive",
    "charpoly_coefficients",
    "rank_form",
    "jacobian_gram",
    "standard_monomials",
    "normal_form_coordinates",
]

#: The bounded slices of FLINT's Buchberger run, as multiples (a, b, c) of the input's
#: (number of generators, longest length, largest coefficient bits): a slice stops when
#: the basis grows past a*count + 16 polynomials, a polynomial past b*length + 64 terms or
#: a coefficient past c*bits + 128 bits.  Bounded sizes bound the time of one FLINT call
#: (which the watchdog cannot interrupt); after the last slice sympy computes the basis.
FLINT_SLICES = ((4, 8, 16), (8, 16, 64))
_FLINT_ORDERS = ("lex", "grlex", "grevlex")


def groebner_basis(
    polys, variables, deadline=None, *, order="grevlex", stage="Groebner basis", domain=sympy.QQ, method=None
):
    """The reduced Groebner basis of ``polys``, stopped by the deadline: sympy's ``groebner``, computed on FLINT.

    Under the FLINT backend (:func:`~singularities.algebra.backend.use_flint`)
    an ideal over QQ in a lex, grlex or grevlex order is computed by FLINT's
    Buchberger algorithm in bounded slices (:data:`FLINT_SLICES`), then
    reduced; anything else (parameters, algebraic coefficients, a slice that
    hits its bounds) is computed by sympy.  Reduced Groebner bases are unique,
    so both paths return the same basis: a sympy ``GroebnerBasis`` with the
    generators, domain and order sympy would give (monic over QQ, primitive
    over ZZ), so ``.exprs``, ``.polys``, ``.reduce``, ``.contains`` and
    ``.fglm`` behave alike.

    Parameters
    ----------
    polys : sequence of sympy.Expr or sympy.Poly
    variables : sequence of sympy.Symbol
    deadline : Deadline or float, optional
    order : str
        A sympy monomial order name.
    stage : str
        What a :class:`~singularities.errors.TimeLimitError` names as the stage reached.
    domain : sympy domain or None
        The coefficient domain (``None``: the one sympy infers, as ``sympy.groebner`` without ``domain``).
    method : str or None
        ``"buchberger"`` or ``"f5b"`` computes with sympy by that algorithm on
        every backend (an independent re-check); ``None`` picks the backend's.

    Examples
    --------
    >>> from singularities.algebra.polys import groebner_basis
    >>> x, y = sympy.symbols("x y")
    >>> groebner_basis([x*y - 1, x - y], (x, y), order="lex").exprs
    [x - y, y**2 - 1]
    """
    deadline = Deadline.coerce(deadline)
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in polys]
    options = {"order": order} if domain is None else {"order": order, "domain": domain}
    if method is None and use_flint():
        basis = call_with_limit(deadline, stage, _flint_groebner, exprs, variables, options, deadline, stage)
        if basis is not None:
            return basis
    if method is not None:
        options["method"] = method
    try:
        return call_with_limit(deadline, stage, sympy.groebner, exprs, *variables, **options)
    except CoercionFailed:
        if domain is not sympy.QQ:
            raise
    # Coefficients outside QQ (sqrt(2), parameters) under the default domain: the domain sympy infers.
    del options["domain"]
    return call_with_limit(deadline, stage, sympy.groebner, exprs, *variables, **options)


def ideal_contains(generators, members, deadline=None, stage="ideal membership"):
    """Whether each member lies in the ideal of the generators: FLINT polynomials over QQ in one context, exactly.

    No Groebner basis when a direct test decides: a non-zero constant
    generator (the unit ideal), one generator (exact division), or monomial
    generators (every term of a member divisible by one of them).  Otherwise
    one Groebner basis of the generators (FLINT's Buchberger in the bounded
    slices of :data:`FLINT_SLICES`, in the context's order) decides each
    member by its remainder: zero iff the member is in the ideal.

    Parameters
    ----------
    generators, members : sequence of flint.fmpq_mpoly
        Polynomials in one context.
    deadline : Deadline or float, optional
        Checked between FLINT calls (each bounded in size).
    stage : str
        What a :class:`~singularities.errors.TimeLimitError` names as the stage reached.

    Returns
    -------
    list of bool or None
        One answer per member; None when the last slice hits its bounds (then
        decide with :func:`groebner_basis` and ``contains``).

    Examples
    --------
    >>> from singularities.algebra.backend import to_flint
    >>> from singularities.algebra.polys import ideal_contains
    >>> x, y = sympy.symbols("x y")
    >>> _, (f, g, a, b) = to_flint([x**2 - y, x*y - 1, y**2 - x, x + y], (x, y))
    >>> ideal_contains([f, g], [a, b])  # y**2 - x = -y*(x**2 - y) + x*(x*y - 1); x + y is 2 at the zero (1, 1)
    [True, False]
    """
    deadline = Deadline.coerce(deadline)
    generators = [p for p in generators if not p.is_zero()]
    if not generators:
        return [p.is_zero() for p in members]
    if any(p.is_constant() for p in generators):
        return [True] * len(members)
    if len(generators) == 1:
        return [_divides(generators[0], p) for p in members]
    if all(len(p) == 1 for p in generators):
        leading = [p.monoms()[0] for p in generators]
        return [all(any(all(a >= b for a, b in zip(m, g)) for g in leading) for m in p.monoms()) for p in members]
    source = generators[0].context()
    context = flint.fmpz_mpoly_ctx.get(source.names(), source.ordering())
    basis = _flint_groebner_vector([_integral(p, context) for p in generators], deadline, stage)
    if basis is None:
        return None
    answers = []
    for p in members:
        deadline.check(stage)
        answers.append(p.is_zero() or _integral(p, context).reduction_primitive_part(basis).is_zero())
    return answers


def _divides(divisor, p):
    """Whether the FLINT polynomial ``divisor`` divides ``p`` (exact division)."""
    try:
        p / divisor
    except DomainError:
        return False
    return True


def _integral(p, context):
    """An ``fmpq_mpoly`` scaled by its common denominator, as an ``fmpz_mpoly`` in ``context``."""
    terms = p.to_dict()
    scale = math.lcm(*(int(c.q) for c in terms.values()))
    return context.from_dict({m: int(c.p) * (scale // int(c.q)) for m, c in terms.items()})


def _flint_groebner_vector(integral, deadline, stage):
    """A Groebner basis (``fmpz_mpoly_vec``, not reduced) of ``fmpz_mpoly`` generators in their context's order,
    computed in the bounded slices of :data:`FLINT_SLICES`; None past the last slice."""
    context = integral[0].context()
    vector = flint.fmpz_mpoly_vec(integral, context)
    count, length = len(integral), max(len(p) for p in integral)
    bits = int(max(max(map(abs, p.coeffs())) for p in integral)).bit_length()
    for a, b, c in FLINT_SLICES:
        deadline.check(stage)
        basis, done = vector.buchberger_naive(limits=(a * count + 16, b * length + 64, c * bits + 128))
        if done:
            return basis
    return None


def lex_basis(exprs, variables, deadline=None, stage="lex basis"):
    """The lex basis of a zero-dimensional ideal: on FLINT directly, else through grevlex and FGLM.

    Under the FLINT backend the lex basis is computed by FLINT's Buchberger
    algorithm in bounded slices (sympy's FGLM took 113 s on a three-variable
    ideal that FLINT's lex run does in 0.03 s); when the slices hit their
    bounds the grevlex basis is converted by FGLM on FLINT (multiplication
    matrices from FLINT normal forms, the walk modulo a prime, the lex
    polynomials solved for exactly over QQ and checked), and on the sympy
    backend, or where that does not apply, by sympy's FGLM (much faster than
    sympy's lex Buchberger).  The reduced basis is unique, so all give the
    same one.

    Examples
    --------
    >>> from singularities.algebra.polys import lex_basis
    >>> x, y = sympy.symbols("x y")
    >>> lex_basis([x**2 + y**2 - 2, x - y], (x, y)).exprs
    [x - y, y**2 - 1]
    """
    deadline = Deadline.coerce(deadline)
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in exprs]
    if use_flint():
        options = {"order": "lex", "domain": sympy.QQ}
        basis = call_with_limit(deadline, stage, _flint_groebner, exprs, variables, options, deadline, stage)
        if basis is not None and not is_unit(basis) and basis.is_zero_dimensional:
            return basis
    basis = groebner_basis(exprs, variables, deadline, stage=stage)
    if is_unit(basis):
        return basis
    if use_flint():
        lex = call_with_limit(deadline, stage, _flint_fglm, basis, variables, deadline, stage)
        if lex is not None:
            return lex
    return call_with_limit(deadline, stage, basis.fglm, "lex")


def is_unit(basis):
    """Whether a reduced Groebner basis is that of the unit ideal (no common zero, even complex).

    Examples
    --------
    >>> from singularities.algebra.polys import groebner_basis, is_unit
    >>> x = sympy.Symbol("x")
    >>> is_unit(groebner_basis([x, x - 1], (x,))), is_unit(groebner_basis([x**2], (x,)))
    (True, False)
    """
    return list(basis.exprs) == [1]


def dimension(basis, variables):
    """(dimension, a maximal independent set of variable indices) of a proper ideal, from its leading monomials.

    Examples
    --------
    >>> from singularities.algebra.polys import dimension, groebner_basis
    >>> x, y, z = sympy.symbols("x y z")
    >>> # the lines x = z = 0 and y = z = 0; x is free on the second
    >>> dimension(groebner_basis([x*y, z], (x, y, z)), (x, y, z))
    (1, (0,))
    """
    n = len(variables)
    leading = [p.monoms(order=basis.order)[0] for p in basis.polys]
    pure = {i for e in leading for i in range(n) if e[i] > 0 and sum(e) == e[i]}
    if len(pure) == n:  # a pure power of every variable leads: zero-dimensional (no walk over the 2^n subsets)
        return 0, ()
    for size in range(n, -1, -1):
        for subset in combinations(range(n), size):
            if all(any(e[i] > 0 for i in range(n) if i not in subset) for e in leading):
                return size, subset
    return -1, ()  # pragma: no cover - only for the unit ideal, which callers exclude


def eliminant(exprs, variables, variable, deadline=None):
    """The generator of I ∩ QQ[variable] for a zero-dimensional ideal I (the last element of its lex basis).

    Examples
    --------
    >>> from singularities.algebra.polys import eliminant
    >>> x, y = sympy.symbols("x y")
    >>> eliminant([x**2 + y**2 - 2, x - y], (x, y), x)
    x**2 - 1
    """
    others = [v for v in variables if v != variable]
    basis = lex_basis(exprs, (*others, variable), deadline, f"eliminant in {variable}")
    return next(e for e in reversed(basis.exprs) if e.free_symbols <= {variable})


def flint_elimination(exprs, unknowns, parameters, deadline=None, stage="elimination"):
    """Generators of (exprs) ∩ QQ[parameters] from FLINT's lex basis in bounded slices, or None where it does not fit.

    With the unknowns before the parameters lex is an elimination order: the
    elements of the reduced lex basis free of the unknowns generate the
    elimination ideal (Cox, Little, O'Shea, *Ideals, Varieties, and
    Algorithms*, ch. 3 §1, the Elimination Theorem).  The basis is the one
    :func:`groebner_basis` returns, so the generators are exact and the same
    on every path.  Returns None under the sympy backend, for input not over
    QQ, or when a slice reaches its bounds (:data:`FLINT_SLICES`): the caller
    then takes another route, never a long uninterruptible FLINT call.

    Examples
    --------
    >>> from singularities.algebra.polys import flint_elimination
    >>> x, t = sympy.symbols("x t")
    >>> flint_elimination([x**2 - t, x - 1], (x,), (t,))
    [t - 1]
    >>> flint_elimination([x - sympy.sqrt(2) * t], (x,), (t,)) is None  # not over QQ: the caller takes another route
    True
    """
    if not use_flint():
        return None
    deadline, unknowns = Deadline.coerce(deadline), tuple(unknowns)
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in exprs]
    if any(not c.is_Rational for e in exprs for c in sympy.Poly(e, *unknowns, *parameters).coeffs()):
        return None
    options = {"order": "lex", "domain": sympy.QQ}
    variables = unknowns + tuple(parameters)
    basis = call_with_limit(deadline, stage, _flint_groebner, exprs, variables, options, deadline, stage)
    if basis is None:
        return None
    return [e for e in basis.exprs if not e.free_symbols & set(unknowns)]


def resultant(p, q, variable, variables):
    """res_variable(p, q) of two polynomials in ``variables`` (a sympy expression): on FLINT over QQ, else sympy.

    The resultant is the determinant of the Sylvester matrix, so both paths
    give the same polynomial.

    Examples
    --------
    >>> from singularities.algebra.polys import resultant
    >>> x, y = sympy.symbols("x y")
    >>> resultant(x**2 - y, x - 1, x, (x, y))  # (1)^2 - y
    1 - y
    """
    variables = tuple(variables)
    if use_flint():
        try:
            _, (fp, fq) = to_flint([p, q], variables)
        except NotRationalError:
            pass
        else:
            return from_flint(fp.resultant(fq, f"x{variables.index(variable)}"), variables)
    return sympy.resultant(p, q, variable)


def split_ideal(equations, variables, deadline=None):
    """The ideal of ``equations`` split along the factors of its generators (docs/critical_points.md#components).

    V(I) is the union of V(I + a) over the factors a of any generator, so
    splitting loses no point; each step strictly enlarges the ideal, so the
    tree is finite.  Returns the leaves as Groebner bases (grevlex) with
    irreducible, square-free generators; a leaf may still be reducible.

    Examples
    --------
    >>> from singularities.algebra.polys import split_ideal
    >>> x, y = sympy.symbols("x y")
    >>> sorted(sympy.sstr(b.exprs) for b in split_ideal([x*y, x*(x - 1)], (x, y)))
    ['[x - 1, y]', '[x]']
    """
    deadline, variables = Deadline.coerce(deadline), tuple(variables)
    stack, seen, leaves = [list(equations)], set(), []
    while stack:
        deadline.check("splitting the critical set")
        basis = groebner_basis(stack.pop(), variables, deadline, stage="splitting the critical set")
        key = tuple(basis.exprs)
        if is_unit(basis) or key in seen:
            continue
        seen.add(key)
        pieces = _factors_of_a_generator(basis, variables, deadline)
        if pieces is None:
            leaves.append(basis)
        else:
            stack += [list(basis.exprs) + [piece] for piece in pieces]
    return leaves


def maximal_pieces(leaves, variables, deadline, budget):
    """The leaves whose zero set lies inside no other leaf's (of equal zero sets, the first is kept).

    Containment is tested within ``budget`` (a Deadline) per test; undecided
    counts as "not inside", so a piece is never dropped on a guess.

    Examples
    --------
    >>> from singularities._limits import Deadline
    >>> from singularities.algebra.polys import groebner_basis, maximal_pieces
    >>> x, y = sympy.symbols("x y")
    >>> line, point = groebner_basis([y], (x, y)), groebner_basis([x, y], (x, y))
    >>> [b.exprs for b in maximal_pieces([line, point], (x, y), Deadline(), Deadline())]
    [[y]]
    """
    kept = []
    for i, leaf in enumerate(leaves):
        inside = any(
            j != i
            and _inside(leaf, other, variables, budget, deadline)
            and not (j > i and _inside(other, leaf, variables, budget, deadline))
            for j, other in enumerate(leaves)
        )
        if not inside:
            kept.append(leaf)
    return kept


def primitive(expr, variables):
    """An integer multiple of expr with coprime integer coefficients and positive leading coefficient.

    Examples
    --------
    >>> from singularities.algebra.polys import primitive
    >>> x, y = sympy.symbols("x y")
    >>> primitive(-x/2 + y/3, (x, y))
    3*x - 2*y
    """
    _, poly = sympy.Poly(expr, *variables).clear_denoms()
    _, poly = poly.primitive()
    return (-poly if poly.LC() < 0 else poly).as_expr()


def charpoly_coefficients(matrix):
    """Coefficients of det(t I - M) from t^n down to t^0, expanded in the entries' symbols.

    Examples
    --------
    >>> from singularities.algebra.polys import charpoly_coefficients
    >>> charpoly_coefficients([[2, 1], [1, 2]])  # t^2 - 4 t + 3
    [1, -4, 3]
    """
    t = sympy.Dummy("t")
    return [sympy.expand(c) for c in sympy.Matrix(matrix).charpoly(t).all_coeffs()]


def rank_form(matrix, size):
    """A polynomial whose real zeros are where the symmetric PSD ``matrix`` has rank < ``size``.

    It is e_size, the elementary symmetric function of degree ``size`` of the
    eigenvalues (all >= 0, so e_size = 0 exactly when fewer than ``size`` are nonzero).

    Examples
    --------
    >>> from singularities.algebra.polys import rank_form
    >>> x = sympy.Symbol("x")
    >>> rank_form(sympy.diag(x**2, 1), 2)
    x**2
    """
    if size <= 0:
        return sympy.Integer(1)
    return sympy.expand((-1) ** size * charpoly_coefficients(matrix)[size])


def jacobian_gram(equations, variables):
    """J^T J for the Jacobian J of the equations: at real points its rank is rank J.

    Examples
    --------
    >>> from singularities.algebra.polys import jacobian_gram
    >>> x, y = sympy.symbols("x y")
    >>> jacobian_gram([x**2 + y**2 - 1], (x, y)).tolist()
    [[4*x**2, 4*x*y], [4*x*y, 4*y**2]]
    """
    jacobian = sympy.Matrix([[sympy.diff(e, v) for v in variables] for e in equations])
    return jacobian.T * jacobian


def standard_monomials(basis, variables):
    """The exponents of the monomials outside the leading-term ideal (a basis of QQ[x]/I), or None if infinitely many.

    Examples
    --------
    >>> from singularities.algebra.polys import standard_monomials
    >>> x, y = sympy.symbols("x y")
    >>> standard_monomials(sympy.groebner([x**2, y**2], x, y, order="grevlex"), (x, y))
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    leading = [sympy.Poly(p, *variables).monoms(order=sympy.polys.orderings.grevlex)[0] for p in basis.exprs]
    bound = [next((m[i] for m in leading if m[i] > 0 and sum(m) == m[i]), None) for i in range(len(variables))]
    if any(b is None for b in bound):
        return None
    return [
        e for e in product(*(range(b) for b in bound)) if not any(all(x >= y for x, y in zip(e, m)) for m in leading)
    ]


def normal_form_coordinates(expr, standard, variables):
    """The coefficients of a normal form on the standard monomials (its coordinates in QQ[x]/I).

    Examples
    --------
    >>> from singularities.algebra.polys import normal_form_coordinates
    >>> x, y = sympy.symbols("x y")
    >>> normal_form_coordinates(3*x*y - 2, [(0, 0), (0, 1), (1, 0), (1, 1)], (x, y))
    [-2, 0, 0, 3]
    """
    poly = sympy.Poly(expr, *variables)
    return [poly.coeff_monomial(sympy.Mul(*(v**e for v, e in zip(variables, m)))) for m in standard]


def _factors_of_a_generator(basis, variables, deadline):
    """The distinct irreducible factors of the first generator that is not irreducible and square-free."""
    for generator in basis.exprs:
        _, factors = call_with_limit(deadline, "factoring the gradient ideal", sympy.factor_list, generator, *variables)
        pieces = [f for f, _ in factors if f.free_symbols]
        if len(pieces) > 1 or any(m > 1 for _, m in factors):
            return pieces
    return None


def _flint_groebner(exprs, variables, options, deadline, stage):
    """The reduced Groebner basis by FLINT in bounded slices, or None (not over QQ / ZZ, or past the last slice)."""
    try:
        polys, opt = parallel_poly_from_expr(exprs, *variables, **options)
    except (sympy.PolificationFailed, CoercionFailed):
        return None
    polys = [p for p in polys if not p.is_zero]
    if not polys or opt.order.alias not in _FLINT_ORDERS or not (opt.domain.is_QQ or opt.domain.is_ZZ):
        return None
    try:
        _, generators = polys_to_flint(polys, opt.order.alias)
    except NotRationalError:
        return None
    basis = _flint_groebner_vector(generators, deadline, stage)
    if basis is None:
        return None
    deadline.check(stage)
    return _sympy_basis(basis.autoreduction(groebner=True), opt)


def _flint_fglm(basis, variables, deadline, stage):
    """The reduced lex basis from a reduced grevlex one by FGLM on FLINT, or None (not over QQ, not zero-dimensional).

    Faugere, Gianni, Lazard, Mora (1994), the walk of sympy's ``matrix_fglm``:
    the multiplication matrices come from FLINT normal forms
    (:func:`_multiplication_matrices`), the walk runs modulo a prime and the
    lex polynomials are solved for exactly and checked (:func:`_fglm_walk`).
    Reduced bases are unique, so this is the basis ``basis.fglm("lex")`` gives.
    """
    opt = basis._options
    if opt.order.alias != "grevlex" or not opt.domain.is_QQ or not basis.is_zero_dimensional:
        return None
    n = len(opt.gens)
    try:
        _, generators = polys_to_flint(list(basis.polys), "grevlex")
    except NotRationalError:
        return None
    leading = [tuple(p.monoms()[0])[:n] for p in generators]
    standard = _staircase(leading, n)
    matrices = _multiplication_matrices(generators, standard, n, deadline, stage)
    lex_polys = _fglm_walk(matrices, standard, n, deadline, stage)
    if lex_polys is None:
        return None
    lex_opt = opt.clone({"order": sympy.polys.orderings.lex})
    lex_polys = sorted(lex_polys, key=lambda terms: lex_opt.order(max(terms)), reverse=True)
    return GroebnerBasis._new([Poly._from_dict(terms, lex_opt) for terms in lex_polys], lex_opt)


def _staircase(leading, n):
    """The standard monomials (not divisible by a leading monomial), sorted by grevlex."""
    seen, queue = {(0,) * n}, [(0,) * n]
    while queue:
        m = queue.pop()
        for i in range(n):
            t = m[:i] + (m[i] + 1,) + m[i + 1 :]
            if t not in seen and not any(all(a >= b for a, b in zip(t, lm)) for lm in leading):
                seen.add(t)
                queue.append(t)
    return sorted(seen, key=sympy.polys.orderings.grevlex)


#: How many monomials one FLINT reduction call takes in :func:`_multiplication_matrices`.
_FGLM_BATCH = 24


def _multiplication_matrices(generators, standard, n, deadline, stage):
    """[M_i as fmpq_mat]: column j holds the normal form of x_i * standard[j] on the standard monomials.

    The normal forms come from FLINT's reduction by the grevlex basis in a ring
    with one more variable z: sum_k z^k m_k + z^K reduces to
    sum_k z^k NF(m_k) + z^K (G does not involve z), and the coefficient of z^K
    in FLINT's primitive remainder restores the scale it divided out.
    """
    size, index = len(standard), {m: j for j, m in enumerate(standard)}
    ring = flint_context(n + 1, "grevlex", kind="fmpz")
    vector = flint.fmpz_mpoly_vec(
        [ring.from_dict({tuple(m) + (0,): c for m, c in g.to_dict().items()}) for g in generators], ring
    )
    entries = [[[0] * size for _ in range(size)] for _ in range(n)]
    todo = []  # (i, j, monomial) whose normal form is not the monomial itself
    for i in range(n):
        for j, m in enumerate(standard):
            t = m[:i] + (m[i] + 1,) + m[i + 1 :]
            if t in index:
                entries[i][index[t]][j] = 1
            else:
                todo.append((i, j, t))
    for start in range(0, len(todo), _FGLM_BATCH):
        deadline.check(stage)
        batch = todo[start : start + _FGLM_BATCH]
        tag = len(batch)
        terms = {t + (k,): 1 for k, (_, _, t) in enumerate(batch)}
        terms[(0,) * n + (tag,)] = 1
        remainder = ring.from_dict(terms).reduction_primitive_part(vector).to_dict()
        scale = flint.fmpq(remainder[(0,) * n + (tag,)])
        for exponent, c in remainder.items():
            k = exponent[n]
            if k < tag:
                i, j, _ = batch[k]
                entries[i][index[tuple(exponent[:n])]][j] = flint.fmpq(c) / scale
    return [flint.fmpq_mat(size, size, [x for row in matrix for x in row]) for matrix in entries]


#: The primes of the modular FGLM walk (Mersenne primes): see :func:`_fglm_walk`.
_FGLM_PRIMES = (2**61 - 1, 2**31 - 1)
#: How many right-hand sides one exact ``fmpq_mat.solve`` call of :func:`_fglm_walk` takes.
_FGLM_SOLVE_BATCH = 8


def _fglm_walk(matrices, standard, n, deadline, stage):
    """The lex basis (as {monomial: coefficient in QQ} dicts, monic), or None: FGLM's walk mod p, then exact.

    The walk of sympy's ``matrix_fglm`` runs modulo a prime (``nmod_mat``, no
    coefficient growth) and gives a candidate lex staircase S, an order ideal
    of D = dim QQ[x]/I monomials whose normal forms have rank D mod p, hence
    over QQ.  Each minimal monomial t outside S is then written exactly,
    NF(t) = sum c_s NF(s) by ``fmpq_mat.solve``, so t - sum c_s s lies in the
    ideal.  If every such t is the lex-largest monomial of its polynomial, the
    leading-term ideal contains <t>, whose D standard monomials are S: the
    polynomials are the reduced lex basis.  An unlucky prime fails that check
    (or divides a denominator) and the next prime is tried; None after the last.
    """
    size = len(standard)
    for prime in _FGLM_PRIMES:
        walk = _modular_walk(matrices, n, size, prime, deadline, stage)
        if walk is not None:
            basis = _exact_lex_polys(matrices, size, *walk, deadline, stage)
            if basis is not None:
                return basis
    return None


def _modular_walk(matrices, n, size, prime, deadline, stage):
    """(staircase, parents, leading) of the FGLM walk modulo ``prime``, or None if it divides a denominator.

    ``parents[j] = (i, k)``: staircase[j] = x_i * staircase[k]; ``leading`` lists
    (t, (i, k)) for the lex leading monomials t = x_i * staircase[k].
    """
    modular = []
    for matrix in matrices:
        numerators, denominator = matrix.numer_denom()
        if int(denominator) % prime == 0:
            return None
        modular.append(flint.nmod_mat(numerators, prime) * flint.nmod(pow(int(denominator), -1, prime), prime))
    one = (0,) * n
    staircase, parents, leading = [one], [None], []
    vectors = [flint.nmod_mat(size, 1, [1] + [0] * (size - 1), prime)]
    inverse = flint.nmod_mat(size, size, [int(r == c) for r in range(size) for c in range(size)], prime)
    rows = list(range(size))  # logical row r of P (P v_j = e_j) is row rows[r] of ``inverse``
    pending = {_raised(one, i): (i, 0) for i in range(n)}
    while pending:
        deadline.check(stage)
        monomial = min(pending)
        i, k = pending.pop(monomial)
        v = modular[i] * vectors[k]
        coordinates = (inverse * v).entries()
        s = len(staircase)
        pivot = next((r for r in range(s, size) if int(coordinates[rows[r]]) != 0), None)
        if pivot is None:
            leading.append((monomial, (i, k)))
            pending = {m: c for m, c in pending.items() if not all(a >= b for a, b in zip(m, monomial))}
            continue
        inverse = _rank_one_update(inverse, coordinates, rows[pivot], size, prime)
        rows[pivot], rows[s] = rows[s], rows[pivot]
        staircase.append(monomial)
        parents.append((i, k))
        vectors.append(v)
        for r in range(n):
            m = _raised(monomial, r)
            if m not in pending and not any(all(a >= b for a, b in zip(m, t)) for t, _ in leading):
                pending[m] = (r, s)
    return staircase, parents, leading


def _exact_lex_polys(matrices, size, staircase, parents, leading, deadline, stage):
    """The lex polynomials t - sum c_s s over QQ for the walk's leading monomials, or None if one fails the check."""
    if len(staircase) != size:  # pragma: no cover - rank D mod p already
        return None
    vectors = [flint.fmpq_mat(size, 1, [1] + [0] * (size - 1))]
    for i, k in parents[1:]:
        vectors.append(matrices[i] * vectors[k])
    columns = [v.entries() for v in vectors]
    staircase_matrix = flint.fmpq_mat(size, size, [columns[c][r] for r in range(size) for c in range(size)])
    polys = []
    for start in range(0, len(leading), _FGLM_SOLVE_BATCH):
        deadline.check(stage)
        batch = leading[start : start + _FGLM_SOLVE_BATCH]
        images = [(matrices[i] * vectors[k]).entries() for _, (i, k) in batch]
        rhs = flint.fmpq_mat(size, len(batch), [image[r] for r in range(size) for image in images])
        solution = staircase_matrix.solve(rhs).entries()
        for b, (t, _) in enumerate(batch):
            terms = {t: sympy.QQ(1)}
            for r in range(size):
                c = solution[r * len(batch) + b]
                if c != 0:
                    if staircase[r] > t:  # t would not lead: the prime was unlucky
                        return None
                    terms[staircase[r]] = -sympy.QQ(int(c.p), int(c.q))
            polys.append(terms)
    return polys


def _raised(monomial, i):
    """The exponent tuple of x_i * monomial."""
    return monomial[:i] + (monomial[i] + 1,) + monomial[i + 1 :]


def _rank_one_update(inverse, coordinates, k, size, prime):
    """P' = P - (c - e_k) P_k / c_k mod ``prime``: P' v = e_k where P v = c (c_k != 0), other images kept."""
    scale = flint.nmod(1, prime) / coordinates[k]
    row = flint.nmod_mat(1, size, [int(inverse[k, j] * scale) for j in range(size)], prime)
    column = flint.nmod_mat(size, 1, [int(c) - 1 if r == k else int(c) for r, c in enumerate(coordinates)], prime)
    return inverse - column * row


def _sympy_basis(reduced, opt):
    """FLINT's reduced basis as sympy's GroebnerBasis: normalised and sorted as sympy's (largest leading term first)."""
    domain = opt.domain if opt.domain.is_ZZ else sympy.QQ
    reduced = sorted((p for p in reduced if not p.is_zero()), key=lambda p: opt.order(p.monoms()[0]), reverse=True)
    return GroebnerBasis._new([Poly._from_dict(flint_terms(p, domain), opt) for p in reduced], opt)


def _inside(basis, other, variables, budget, deadline):
    """Whether V(basis) lies inside V(other): every generator of ``other`` is in the radical of ``basis``.

    A generator b is in the radical when it reduces to 0, or when
    basis + (1 - t b) is the unit ideal (Rabinowitsch).  Undecided within the
    budget counts as "not inside".
    """
    t = sympy.Dummy("t")
    for b in other.exprs:
        if basis.reduce(b)[1] == 0:
            continue
        with deadline.attempt("comparing components") as step:
            test = groebner_basis(
                list(basis.exprs) + [1 - t * b], (*variables, t), budget, stage="comparing components"
            )
        if not step.ok or not is_unit(test):
            return False
    return True
