"""Normal forms and model functions with independently derived RLCTs and Newton data.

Every row was derived by hand, without the package, and was NOT computed by
the theorem the package implements (it only records whether that theorem
applies). Each row cites its derivation in ``source``, using the methods below.
Scratch checks (an independent convex-hull computation of t and c, and
numerical volume/zeta-function fits for the less standard rows) were run
outside the repository.

Conventions
-----------
``threshold`` (lambda) and ``multiplicity`` (m): the largest pole of
Z(s) = int_U |g|^s dx is at s = -lambda, of order m; equivalently
vol{x in U : |g(x)| < t} ~ C t^lambda (log 1/t)^(m-1).

``newton_distance`` t and ``codimension`` c refer to the Newton polyhedron
Gamma_+ of the expanded polynomial at the origin in the GIVEN coordinates
(convex hull of the exponents plus the nonnegative orthant); c is the
codimension of the smallest face of Gamma_+ that contains (t, ..., t).

``newton_settles``: True when the Newton-polyhedron theorem (strong or weak
non-degeneracy on every compact face, applied to g itself or to h when
g = const * h**k) determines lambda and m. False rows have a compact face
polynomial with a singular zero in the real torus; their values come from a
coordinate change.

Derivation methods cited in ``source``
--------------------------------------
[MON] Monomial: int_{[0,1]^n} prod x_i^(a_i s) dx = prod 1/(a_i s + 1), so
      lambda = min 1/a_i over a_i > 0 and m = number of i attaining it.
[QH]  Weighted homogeneous g >= 0 with g = 0 only at 0, g(r^w x) = r g(x):
      the substitution x_i -> t^(w_i) x_i gives vol{g < t} = t^(sum w) vol{g < 1},
      so lambda = sum w_i, m = 1.
[POW] lambda(h^k) = lambda(h)/k, same m (|h^k|^s = |h|^(ks)).
[PROD] f(u) h(v) in disjoint variables on a product neighbourhood:
      Z = Z_f Z_h, so the poles multiply (orders add when they coincide).
[BL]  Homogeneous g of degree d in (x, y) with real linear factors of
      multiplicities e_i: one blow-up at 0 (chart y = x v, dx dy = |x| dx dv)
      gives |x|^(ds+1) prod |v - v_i|^(e_i s) * (no-real-zero factor), i.e.
      the exceptional curve (pole -2/d) and disjoint strict transforms
      (poles -1/e_i) meeting it transversally. lambda = min(2/d, min 1/e_i);
      m = 2 if 2/d = min 1/e_i (the curves meet), else 1.
[X]   Integration in one variable ("Thom-Sebastiani"): for q small,
      int_{-1}^{1} |x^k + q|^s dx = |q|^(s + 1/k) B_{sign q}(s) + sum_j c_j(s) q^j,
      where B_+(s), B_-(s) are the regularised int_R |v^k +- 1|^s dv; B has
      a simple pole at s = -1 exactly when v^k +- 1 has a real root (k = 2:
      only B_-, k = 3: both); its poles at s = j - 1/k cancel against those
      of c_j(s) (the left side is holomorphic for q != 0). Integrating
      |q(y)|^(s + 1/k) against the rest reduces to a lower-dimensional zeta
      function. So lambda(x^k + q) = 1/k + lambda(q) when that is < 1; for
      k = 2 and q taking negative values the B_- pole at s = -1 competes
      (order +1 if 1/2 + lambda(q) = 1, and the -1 pole alone if > 1).
[CC]  Analytic change of coordinates with Jacobian 1 (e.g. u = x - y,
      u = y - x^2), after which one of the above applies.
[ADE] Literature: complex log canonical thresholds of the simple
      singularities (A_k: 1/2 + 1/(k+1), D_k: 1/2 + 1/(2k-2), E6 7/12,
      E7 5/9, E8 8/15, m = 1; e.g. Kollar, "Singularities of pairs", 1997,
      section 8), all < 1 so the real pole at -1 never competes; each such
      row is re-derived with [X] or [BL] as well.

Newton data (t, c) were computed by hand: for a compact edge through the
exponents, t solves sum t/alpha_i = 1 on the supporting hyperplane
sum a_i/alpha_i = 1; for monomials t = max a_i and c = number of i with
a_i = t.
"""

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Truth:
    name: str  # short id, e.g. "monomial_x2y3"
    function: str  # sympy syntax, e.g. "x**2*y**3"
    variables: tuple  # e.g. ("x", "y")
    threshold: str  # lambda as an exact string: "1/2", "1", "3/2"
    multiplicity: int  # m
    newton_distance: str  # t, Newton polyhedron at the origin in the given coordinates
    codimension: int  # codimension of the smallest face containing (t,...,t)
    sign_changing: bool  # does g take both signs in every neighbourhood of 0?
    newton_settles: bool  # does the Newton-polyhedron theorem determine (lambda, m)?
    source: str  # the derivation in one or two sentences, or a citation


@dataclass(frozen=True)
class NewtonFact:
    """Only the Newton data (t, c) is asserted; no RLCT claim."""

    name: str
    function: str
    variables: tuple
    newton_distance: str
    codimension: int
    source: str


XY = ("x", "y")
XYZ = ("x", "y", "z")

T = Truth

TRUTHS = (
    # ------------------------------------------------------------------
    # Monomials [MON]. Gamma_+ = a + orthant; t = max a_i; the diagonal
    # point lies on the faces {x_i = a_i} with a_i = t, so c = #{i: a_i = t}.
    # ------------------------------------------------------------------
    T(
        "monomial_x",
        "x",
        ("x",),
        "1",
        1,
        "1",
        1,
        True,
        True,
        "[MON] int |x|^s dx = 2/(s+1). Gamma_+ = [1, oo), t = 1 is the vertex.",
    ),
    T("monomial_x2", "x**2", ("x",), "1/2", 1, "2", 1, False, True, "[MON] pole of 2/(2s+1) at -1/2."),
    T("monomial_x3", "x**3", ("x",), "1/3", 1, "3", 1, True, True, "[MON] pole of 2/(3s+1) at -1/3."),
    T(
        "monomial_x_in_xy",
        "x",
        XY,
        "1",
        1,
        "1",
        1,
        True,
        True,
        "[MON] with exponent (1, 0); (1,1) lies on the non-compact facet {a = 1}.",
    ),
    T(
        "monomial_x2_in_xy",
        "x**2",
        XY,
        "1/2",
        1,
        "2",
        1,
        False,
        True,
        "[MON] exponent (2, 0); (2,2) lies on the non-compact facet {a = 2}.",
    ),
    T(
        "monomial_x3_in_xyz",
        "x**3",
        XYZ,
        "1/3",
        1,
        "3",
        1,
        True,
        True,
        "[MON] exponent (3, 0, 0); (3,3,3) lies on the facet {a = 3}.",
    ),
    T(
        "monomial_xy",
        "x*y",
        XY,
        "1",
        2,
        "1",
        2,
        True,
        True,
        "[MON] (1/(s+1))^2: double pole at -1. (1,1) is the vertex.",
    ),
    T(
        "monomial_xy2",
        "x*y**2",
        XY,
        "1/2",
        1,
        "2",
        1,
        True,
        True,
        "[MON] poles -1 and -1/2; (2,2) lies on the facet {b = 2} only.",
    ),
    T("monomial_x2y2", "x**2*y**2", XY, "1/2", 2, "2", 2, False, True, "[MON] (1/(2s+1))^2; (2,2) is the vertex."),
    T(
        "monomial_x2y3",
        "x**2*y**3",
        XY,
        "1/3",
        1,
        "3",
        1,
        True,
        True,
        "[MON] poles -1/2 and -1/3; (3,3) lies on the facet {b = 3} only.",
    ),
    T("monomial_x3y3", "x**3*y**3", XY, "1/3", 2, "3", 2, True, True, "[MON] (1/(3s+1))^2; (3,3) is the vertex."),
    T("monomial_xyz", "x*y*z", XYZ, "1", 3, "1", 3, True, True, "[MON] (1/(s+1))^3; (1,1,1) is the vertex."),
    T(
        "monomial_x2y2z2",
        "x**2*y**2*z**2",
        XYZ,
        "1/2",
        3,
        "2",
        3,
        False,
        True,
        "[MON] (1/(2s+1))^3; (2,2,2) is the vertex.",
    ),
    T(
        "monomial_x2y3z2",
        "x**2*y**3*z**2",
        XYZ,
        "1/3",
        1,
        "3",
        1,
        True,
        True,
        "[MON] only the y-factor gives -1/3; (3,3,3) lies on {b = 3} only.",
    ),
    T(
        "monomial_x3y3z2",
        "x**3*y**3*z**2",
        XYZ,
        "1/3",
        2,
        "3",
        2,
        True,
        True,
        "[MON] two factors give -1/3; (3,3,3) lies on {a = 3} and {b = 3}: an edge.",
    ),
    T(
        "monomial_x4y2z4",
        "x**4*y**2*z**4",
        XYZ,
        "1/4",
        2,
        "4",
        2,
        False,
        True,
        "[MON] x and z give -1/4; (4,4,4) lies on {a = 4} and {c = 4}: an edge.",
    ),
    # ------------------------------------------------------------------
    # Positive definite weighted homogeneous forms [QH], [POW].
    # One compact facet sum a_i/alpha_i = 1, so t = 1/sum(1/alpha_i), c = 1.
    # ------------------------------------------------------------------
    T(
        "sum_x2_y2",
        "x**2 + y**2",
        XY,
        "1",
        1,
        "1",
        1,
        False,
        True,
        "[QH] vol{x^2+y^2<t} = pi t exactly. Edge (2,0)-(0,2), t = 1.",
    ),
    T(
        "sum_x2_y4",
        "x**2 + y**4",
        XY,
        "3/4",
        1,
        "4/3",
        1,
        False,
        True,
        "[QH] weights 1/2 + 1/4 (also A3, [ADE]). t(1/2 + 1/4) = 1.",
    ),
    T(
        "sum_x2_y6",
        "x**2 + y**6",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        False,
        True,
        "[QH] weights 1/2 + 1/6 (A5). t(1/2 + 1/6) = 1.",
    ),
    T("sum_x4_y6", "x**4 + y**6", XY, "5/12", 1, "12/5", 1, False, True, "[QH] weights 1/4 + 1/6 = 5/12. t = 12/5."),
    T(
        "sum_x2_y2_z2",
        "x**2 + y**2 + z**2",
        XYZ,
        "3/2",
        1,
        "2/3",
        1,
        False,
        True,
        "[QH] vol of the ball of radius sqrt(t) ~ t^(3/2); no real zero but 0, so no pole at -1.",
    ),
    T(
        "sum_x2_y4_z6",
        "x**2 + y**4 + z**6",
        XYZ,
        "11/12",
        1,
        "12/11",
        1,
        False,
        True,
        "[QH] weights 1/2 + 1/4 + 1/6 = 11/12.",
    ),
    T("sum_x4_y4_z4", "x**4 + y**4 + z**4", XYZ, "3/4", 1, "4/3", 1, False, True, "[QH] weights 3 * 1/4."),
    T(
        "sum_x2_y4_z4",
        "x**2 + y**4 + z**4",
        XYZ,
        "1",
        1,
        "1",
        1,
        False,
        True,
        "[QH] weights 1/2 + 1/4 + 1/4 = 1 (exact scaling, so no log). "
        "(1,1,1) = 1/2 (2,0,0) + 1/4 (0,4,0) + 1/4 (0,0,4) is interior to the triangle.",
    ),
    T(
        "sum_x2_y2_in_xyz",
        "x**2 + y**2",
        XYZ,
        "1",
        1,
        "1",
        1,
        False,
        True,
        "[QH] vol = pi t * (length of the z-interval). (1,1,1) lies on the non-compact facet {a + b = 2}.",
    ),
    T(
        "power_x2_y2_sq",
        "(x**2 + y**2)**2",
        XY,
        "1/2",
        1,
        "2",
        1,
        False,
        True,
        "[POW] of sum_x2_y2 (or [QH] with weights 1/4, 1/4). Newton polygon is 2x that of x^2+y^2.",
    ),
    T(
        "power_x2_y2_cube",
        "(x**2 + y**2)**3",
        XY,
        "1/3",
        1,
        "3",
        1,
        False,
        True,
        "[POW] of sum_x2_y2. Newton polygon is 3x that of x^2+y^2.",
    ),
    T(
        "power_x2_y2_z2_sq",
        "(x**2 + y**2 + z**2)**2",
        XYZ,
        "3/4",
        1,
        "4/3",
        1,
        False,
        True,
        "[POW] of sum_x2_y2_z2: (3/2)/2. Homogeneous of degree 4: facet a+b+c = 4, t = 4/3.",
    ),
    T(
        "sum_x2y2_z2",
        "x**2*y**2 + z**2",
        XYZ,
        "1",
        2,
        "1",
        2,
        False,
        True,
        "vol = int_{|xy|<sqrt t} 2 sqrt(t - x^2 y^2) dx dy and the density of p = |xy| on [-1,1]^2 is 4 log(1/p), "
        "so vol ~ pi t log(1/t). (1,1,1) is the midpoint of the compact edge (2,2,0)-(0,0,2): c = 2.",
    ),
    # ------------------------------------------------------------------
    # Squares K = f^2 [POW]. Newton data of f^k is k times that of f.
    # ------------------------------------------------------------------
    T("square_xy", "(x*y)**2", XY, "1/2", 2, "2", 2, False, True, "[POW] of x*y (1, 2); same as monomial_x2y2."),
    T(
        "square_x2_minus_y2",
        "(x**2 - y**2)**2",
        XY,
        "1/2",
        2,
        "2",
        1,
        False,
        True,
        "[POW] of x^2 - y^2 (1, 2). [BL] agrees: d = 4, two double lines: 2/4 = 1/2 = 1/2, m = 2.",
    ),
    T(
        "square_A2",
        "(x**2 + y**3)**2",
        XY,
        "5/12",
        1,
        "12/5",
        1,
        False,
        True,
        "[POW] of x^2 + y^3 (5/6, 1). Expanded x^4 + 2x^2y^3 + y^6: t(1/4 + 1/6) = 1.",
    ),
    T(
        "square_x_plus_y2",
        "(x + y**2)**2",
        XY,
        "1/2",
        1,
        "4/3",
        1,
        False,
        True,
        "[POW] of the smooth x + y^2 (1, 1). Expanded x^2 + 2xy^2 + y^4: t(1/2 + 1/4) = 1.",
    ),
    T("square_xyz", "(x*y*z)**2", XYZ, "1/2", 3, "2", 3, False, True, "[POW] of x*y*z (1, 3)."),
    T(
        "square_x_minus_y",
        "(x - y)**2",
        XY,
        "1/2",
        1,
        "1",
        1,
        False,
        True,
        "[CC] u = x - y gives u^2. The face polynomial (x-y)^2 of g has a singular torus zero, but g = h^2 with "
        "h = x - y settled by the theorem (1/t = 2 > 1, regular torus zeros: (1, 1)), hence newton_settles via [POW].",
    ),
    T(
        "square_y_minus_x2",
        "(y - x**2)**2",
        XY,
        "1/2",
        1,
        "4/3",
        1,
        False,
        True,
        "[CC] u = y - x^2 gives u^2. Settled through h = y - x^2 (t = 2/3, regular torus zeros: (1, 1)) and [POW]. "
        "Expanded y^2 - 2x^2y + x^4: edge (4,0)-(0,2), t = 4/3.",
    ),
    T(
        "square_x_times_x_minus_y",
        "x**2*(x - y)**2",
        XY,
        "1/2",
        2,
        "2",
        2,
        False,
        True,
        "[POW] of x(x - y), two distinct lines ~ uv: (1, 2). "
        "Expanded exponents (4,0), (3,1), (2,2): (2,2) is a vertex.",
    ),
    T(
        "square_x_times_y_minus_z",
        "x**2*(y - z)**2",
        XYZ,
        "1/2",
        2,
        "2",
        1,
        False,
        True,
        "[POW] of x(y - z) = x v (v = y - z): (1, 2). Gamma_+ = {a >= 2, b + c >= 2}; (2,2,2) lies on {a = 2} only.",
    ),
    # ------------------------------------------------------------------
    # Sign-changing functions.
    # ------------------------------------------------------------------
    T(
        "saddle_x2_minus_y2",
        "x**2 - y**2",
        XY,
        "1",
        2,
        "1",
        1,
        True,
        True,
        "[CC] u = x - y, v = x + y (constant Jacobian) gives uv: (1, 2).",
    ),
    T(
        "saddle_x2_minus_y2_in_xyz",
        "x**2 - y**2",
        XYZ,
        "1",
        2,
        "1",
        1,
        True,
        True,
        "[CC] uv times a free z-interval: (1, 2). (1,1,1) lies on the non-compact facet {a + b = 2}.",
    ),
    T(
        "morse_xy_minus_z2",
        "x*y - z**2",
        XYZ,
        "1",
        1,
        "2/3",
        2,
        True,
        True,
        "[CC] xy = ((x+y)/2)^2 - ((x-y)/2)^2: a non-degenerate form of signature (1,2), same as morse_3d. "
        "(2/3,2/3,2/3) = 2/3 (1,1,0) + 1/3 (0,0,2), interior of the compact edge: c = 2.",
    ),
    T(
        "morse_3d",
        "x**2 + y**2 - z**2",
        XYZ,
        "1",
        1,
        "2/3",
        1,
        True,
        True,
        "[X] with q = y^2 - z^2 (lambda(q) = 1 > 1/2): simple B_- pole at -1, other poles at -3/2. "
        "(Also: blow-up of 0 gives pole -3/2, the smooth cone gives -1.)",
    ),
    T(
        "x2_y2_plus_z3",
        "x**2 + y**2 + z**3",
        XYZ,
        "1",
        1,
        "3/4",
        1,
        True,
        True,
        "[X] with q = y^2 + z^3 (lambda(q) = 5/6 > 1/2, q takes negative values): simple pole at -1, next at -4/3. "
        "t(1/2 + 1/2 + 1/3) = 1.",
    ),
    T(
        "smooth_x_plus_y2",
        "x + y**2",
        XY,
        "1",
        1,
        "2/3",
        1,
        True,
        True,
        "[CC] u = x + y^2 gives the coordinate u: (1, 1). t(1 + 1/2) = 1.",
    ),
    T(
        "D4_x3_plus_y3",
        "x**3 + y**3",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        True,
        True,
        "[BL] d = 3, one real line x = -y (e = 1): min(2/3, 1). [ADE] D4.",
    ),
    T(
        "D4_x2y_plus_xy2",
        "x**2*y + x*y**2",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        True,
        True,
        "[BL] xy(x + y): d = 3, three simple real lines: min(2/3, 1).",
    ),
    T(
        "A2_cusp_x3_minus_y2",
        "x**3 - y**2",
        XY,
        "5/6",
        1,
        "6/5",
        1,
        True,
        True,
        "[X] in y: 1/2 + lambda(x^3) = 1/2 + 1/3. [ADE] A2. t(1/3 + 1/2) = 1.",
    ),
    T("A2_x2_plus_y3", "x**2 + y**3", XY, "5/6", 1, "6/5", 1, True, True, "[X]: 1/2 + 1/3. [ADE] A2."),
    T(
        "A2_x2_minus_y3",
        "x**2 - y**3",
        XY,
        "5/6",
        1,
        "6/5",
        1,
        True,
        True,
        "[X]: 1/2 + 1/3 (y -> -y of A2_x2_plus_y3).",
    ),
    T(
        "A3_x4_minus_y2",
        "x**4 - y**2",
        XY,
        "3/4",
        1,
        "4/3",
        1,
        True,
        True,
        "[X] in y with q = -x^4: 1/2 + 1/4 < 1. [ADE] A3.",
    ),
    T(
        "A4_x2_plus_y5",
        "x**2 + y**5",
        XY,
        "7/10",
        1,
        "10/7",
        1,
        True,
        True,
        "[X]: 1/2 + 1/5. [ADE] A4. t(1/2 + 1/5) = 1.",
    ),
    T(
        "D4_monkey_x2y_minus_y3",
        "x**2*y - y**3",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        True,
        True,
        "[BL] y(x - y)(x + y): d = 3, three simple real lines. [ADE] D4. Edge a + b = 3.",
    ),
    T(
        "D4_x2y_plus_y3",
        "x**2*y + y**3",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        True,
        True,
        "[BL] y(x^2 + y^2): d = 3, one real line. [ADE] D4.",
    ),
    T(
        "D4_x3_minus_3xy2",
        "x**3 - 3*x*y**2",
        XY,
        "2/3",
        1,
        "3/2",
        1,
        True,
        True,
        "[BL] x(x - sqrt3 y)(x + sqrt3 y): three simple real lines. Edge (3,0)-(1,2) on a + b = 3.",
    ),
    T(
        "D5_x2y_plus_y4",
        "x**2*y + y**4",
        XY,
        "5/8",
        1,
        "8/5",
        1,
        True,
        True,
        "[X] in x: |y|^s |x^2 + y^3|^s gives |y|^(s + 3(s + 1/2)), pole at s = -5/8. [ADE] D5. Edge 3a + 2b = 8.",
    ),
    T(
        "D6_x2y_plus_y5",
        "x**2*y + y**5",
        XY,
        "3/5",
        1,
        "5/3",
        1,
        True,
        True,
        "[X] in x: |y|^(s + 4(s + 1/2)), pole at s = -3/5. [ADE] D6. Edge 2a + b = 5.",
    ),
    T("E6_x3_plus_y4", "x**3 + y**4", XY, "7/12", 1, "12/7", 1, True, True, "[X] with k = 3: 1/3 + 1/4. [ADE] E6."),
    T(
        "E7_x3_plus_xy3",
        "x**3 + x*y**3",
        XY,
        "5/9",
        1,
        "9/5",
        1,
        True,
        True,
        "[X] in y: |x|^s |y^3 + x^2|^s gives |x|^(s + 2(s + 1/3)), pole at -5/9. [ADE] E7. Edge 3a + 2b = 9.",
    ),
    T("E8_x3_plus_y5", "x**3 + y**5", XY, "8/15", 1, "15/8", 1, True, True, "[X] with k = 3: 1/3 + 1/5. [ADE] E8."),
    T(
        "quartic_x3y_plus_xy3",
        "x**3*y + x*y**3",
        XY,
        "1/2",
        1,
        "2",
        1,
        True,
        True,
        "[BL] xy(x^2 + y^2): d = 4, two simple real lines: min(2/4, 1) = 1/2 from the exceptional curve alone.",
    ),
    T(
        "quintic_x3y2_plus_x2y3",
        "x**3*y**2 + x**2*y**3",
        XY,
        "2/5",
        1,
        "5/2",
        1,
        True,
        True,
        "[BL] x^2 y^2 (x + y): d = 5, lines with e = 2, 2, 1: min(2/5, 1/2, 1/2, 1) = 2/5, exceptional curve only.",
    ),
    T(
        "x2_minus_y2z2",
        "x**2 - y**2*z**2",
        XYZ,
        "1",
        3,
        "1",
        2,
        True,
        True,
        "[X] with q = -(yz)^2: |yz|^(2s+1) B_-(s); B_- has a simple pole at -1 and int |yz|^(2s+1) a double one: "
        "order 3; Z is finite for s > -1. (1,1,1) is the midpoint of the compact edge (2,0,0)-(0,2,2).",
    ),
    T(
        "x2_minus_y4_minus_z4",
        "x**2 - y**4 - z**4",
        XYZ,
        "1",
        2,
        "1",
        1,
        True,
        True,
        "[X] with q = -(y^4 + z^4): (y^4+z^4)^(s+1/2) B_-(s), simple poles at -1 from each factor: order 2; "
        "finite for s > -1. (1,1,1) interior to the triangle a/2 + b/4 + c/4 = 1.",
    ),
    T(
        "x_times_y_minus_z",
        "x*y - x*z",
        XYZ,
        "1",
        2,
        "1",
        1,
        True,
        True,
        "[CC] v = y - z gives x v: (1, 2). Gamma_+ = {a >= 1, b + c >= 1}; (1,1,1) lies on {a = 1} only. "
        "Here g_tau = x(y - z) has torus zeros arbitrarily close to 0, so m = c + 1.",
    ),
    # Non-compact tau whose face polynomial has torus zeros only AWAY from 0:
    # the literal rule "m = c + 1 if g_tau has a zero in the real torus"
    # gives the wrong m here (see module notes / report).
    T(
        "x_times_unit",
        "x + x*y",
        XY,
        "1",
        1,
        "1",
        1,
        True,
        True,
        "g = x(1 + y) with 1 + y a unit near 0: (1, 1) as for x. Gamma_+ = {a >= 1}, tau = facet {a = 1}; "
        "g_tau = x(1 + y) vanishes only at y = -1, not near 0, so m = c = 1 (not c + 1).",
    ),
    T(
        "xy_times_unit",
        "x*y + x*y*z",
        XYZ,
        "1",
        2,
        "1",
        2,
        True,
        True,
        "g = xy(1 + z), unit 1 + z: (1, 2) as for xy. tau = {a = 1, b = 1} (non-compact, c = 2); "
        "g_tau = xy(1 + z) vanishes only at z = -1, away from 0, so m = c = 2 (not 3).",
    ),
    # ------------------------------------------------------------------
    # Degenerate in the given coordinates (newton_settles = False): some
    # compact face polynomial has a singular zero in the real torus. The
    # Newton data below is still that of the expanded g as written.
    # ------------------------------------------------------------------
    T(
        "degenerate_x_minus_y_sq_plus_x3",
        "(x - y)**2 + x**3",
        XY,
        "5/6",
        1,
        "1",
        1,
        True,
        False,
        "[CC] u = x - y gives u^2 + x^3 (A2): 5/6. Newton polygon: edge (2,0)-(0,2) with face polynomial (x-y)^2 "
        "(singular along x = y); (1,1) is interior to it. Newton would wrongly suggest lambda = 1.",
    ),
    T(
        "degenerate_expanded_x_minus_y_sq_plus_y3",
        "x**2 - 2*x*y + y**2 + y**3",
        XY,
        "5/6",
        1,
        "1",
        1,
        True,
        False,
        "[CC] u = x - y gives u^2 + y^3 (A2): 5/6. Same Newton polygon as above.",
    ),
    T(
        "degenerate_x_minus_y_sq_plus_y4",
        "(x - y)**2 + y**4",
        XY,
        "3/4",
        1,
        "1",
        1,
        False,
        False,
        "[CC] u = x - y gives u^2 + y^4 (A3): 3/4, g >= 0. Edge (2,0)-(0,2), t = 1.",
    ),
    T(
        "degenerate_y_minus_x2_sq_plus_x5",
        "(y - x**2)**2 + x**5",
        XY,
        "7/10",
        1,
        "4/3",
        1,
        True,
        False,
        "[CC] u = y - x^2 gives u^2 + x^5 (A4): 1/2 + 1/5; negative on y = x^2, x < 0. "
        "Edge (4,0)-(0,2) with face polynomial (y - x^2)^2; Newton would suggest 3/4.",
    ),
    T(
        "degenerate_y_minus_x2_sq_plus_x6",
        "(y - x**2)**2 + x**6",
        XY,
        "2/3",
        1,
        "4/3",
        1,
        False,
        False,
        "[CC] u = y - x^2 gives u^2 + x^6 (A5): 1/2 + 1/6, g >= 0. Same Newton polygon as above.",
    ),
    T(
        "degenerate_x_minus_y_sq_plus_z2",
        "(x - y)**2 + z**2",
        XYZ,
        "1",
        1,
        "2/3",
        1,
        False,
        False,
        "[CC] u = x - y: u^2 + z^2 with y free, vol = pi t * (y-length): (1, 1). Edge (2,0,0)-(0,2,0) has face "
        "polynomial (x-y)^2; triangle a+b+c = 2 gives t = 2/3 (Newton would suggest 3/2).",
    ),
    T(
        "degenerate_x_minus_y_sq_minus_z2",
        "(x - y)**2 - z**2",
        XYZ,
        "1",
        2,
        "2/3",
        1,
        True,
        False,
        "[CC] u = x - y: u^2 - z^2 with y free: (1, 2). Same Newton data as above; the true m = 2 differs "
        "from the m = 1 the 1/t > 1 rule would give.",
    ),
    T(
        "degenerate_x_times_y_minus_z_sq",
        "x*(y - z)**2",
        XYZ,
        "1/2",
        1,
        "1",
        2,
        True,
        False,
        "[CC] v = y - z: x v^2, [MON]: (1/2, 1). Exponents (1,2,0), (1,1,1), (1,0,2): (1,1,1) is interior "
        "to the compact edge {a = 1, b + c = 2} with face polynomial x(y-z)^2 (singular on y = z).",
    ),
    T(
        "degenerate_product_4d",
        "((x - y)**2 + x**4)*(z**2 + w**4)",
        ("x", "y", "z", "w"),
        "3/4",
        2,
        "4/3",
        1,
        False,
        False,
        "[CC] u = x - y, then [PROD] of u^2 + x^4 and z^2 + w^4, each (3/4, 1): double pole at -3/4. "
        "Gamma_+ is the product of the two polygons; (4/3,4/3) is interior for the first, on the edge of the second: "
        "t = max(1, 4/3), c = 1. Newton would suggest m = 1.",
    ),
)


NEWTON_DATA_ONLY = (
    NewtonFact(
        "nd_vertex_x5_x2y2_y5",
        "x**5 + x**2*y**2 + y**5",
        XY,
        "2",
        2,
        "(2,2) lies below the line a + b = 5, so it is a vertex; the diagonal meets it.",
    ),
    NewtonFact("nd_vertex_x6_x2y2_y6", "x**6 + x**2*y**2 + y**6", XY, "2", 2, "(2,2) is a vertex (4 < 6)."),
    NewtonFact(
        "nd_non_vertex_x3_x2y2_y3",
        "x**3 + x**2*y**2 + y**3",
        XY,
        "3/2",
        1,
        "(2,2) lies above the edge a + b = 3, so the edge (3,0)-(0,3) is the face.",
    ),
    NewtonFact(
        "nd_edge_y3_x2y_x5",
        "y**3 + x**2*y + x**5",
        XY,
        "3/2",
        1,
        "Vertices (0,3), (2,1), (5,0); the diagonal hits the edge a + b = 3 at a = 3/2 in [0, 2].",
    ),
    NewtonFact(
        "nd_edge_x4y_xy4", "x**4*y + x*y**4", XY, "5/2", 1, "Edge (4,1)-(1,4) on a + b = 5, midpoint (5/2, 5/2)."
    ),
    NewtonFact(
        "nd_triangle_centroid_cubic",
        "x**3 + y**3 + z**3 + x*y*z",
        XYZ,
        "1",
        1,
        "All four exponents lie on a + b + c = 3; (1,1,1) is the centroid of the triangle, not a vertex.",
    ),
    NewtonFact(
        "nd_cyclic_cubic",
        "x**2*y + y**2*z + z**2*x",
        XYZ,
        "1",
        1,
        "Triangle (2,1,0), (0,2,1), (1,0,2) on a + b + c = 3 with centroid (1,1,1).",
    ),
    NewtonFact(
        "nd_vertex_xyz_quartics",
        "x*y*z + x**4 + y**4 + z**4",
        XYZ,
        "1",
        3,
        "(1,1,1) has a + b + c = 3 < 4, so it is a vertex.",
    ),
    NewtonFact(
        "nd_edge_xy_z3",
        "x*y + z**3",
        XYZ,
        "3/4",
        2,
        "s (1,1,0) + (1-s) (0,0,3) is diagonal at s = 3/4; interior of the compact edge.",
    ),
)


_BY_NAME = {row.name: row for row in TRUTHS}
assert len(_BY_NAME) == len(TRUTHS), "duplicate names in TRUTHS"


def by_name(name):
    """Return the Truth with this name (KeyError if there is none)."""
    return _BY_NAME[name]


def rational(s):
    """Exact value of a threshold / distance string such as "3/2"."""
    return Fraction(s)
