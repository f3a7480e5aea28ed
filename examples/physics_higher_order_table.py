"""A paper-style table of higher-order van Hove singularities: type, DOS exponent, both prefactors, their ratio, RLCT.

Rows: the local normal forms of the common higher-order points (2D, measure
d^2k) and three tuned lattices (torus measure d^nk/(2 pi)^n): the chain with
t2 = -t/4 (quartic band bottom), the triangular lattice with t2 = t/9 at M
(A3) and with t2 = t/6 at K (the monkey saddle D4-).  Every number comes
from singularities.physics.dos.dos_asymptotics (exact closed forms; shown to 6
digits here, exactly with --exact); the RLCT (lambda, m) is that of |E - E_c|.
The adjacency diagram of the types in the table is written to FILE.

This is the Python-API version; the ``singularities table`` command of
issue 7 (items 1-2) is meant to make it one command.

Run:  python examples/physics_higher_order_table.py [out.png] [--format markdown|latex|csv|text] [--exact] [--small]
"""

import argparse

import sympy

from singularities import tables
from singularities.physics.dos import dos_asymptotics
from singularities.reports.diagrams import plot_adjacency

LOCAL = {
    "A3 band edge": "x**4 + y**2",
    "A3 saddle": "x**4 - y**2",
    "D4- monkey saddle": "x**3 - 3*x*y**2",
    "D4+": "x**2*y + y**3",
    "D5": "x**2*y + y**4",
    "E6": "x**3 + y**4",
    "E7": "x**3 + x*y**3",
    "E8": "x**3 + y**5",
    "X9 quartic minimum": "x**4 + y**4",
    "X9 quartic saddle": "x**4 - y**4",
}
TRIANGULAR_T2 = "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))"
LATTICES = {
    "chain, t2 = -t/4": ("-2*cos(k) + cos(2*k)/2", "0", "k"),
    "triangular, t2 = t/9, at M": (TRIANGULAR_T2.replace("t2", "(1/9)"), "0,pi", "k1,k2"),
    "triangular, t2 = t/6, at K": (TRIANGULAR_T2.replace("t2", "(1/6)"), "2*pi/3,4*pi/3", "k1,k2"),
}
HEADER = ("model", "point", "E_c", "type", "DOS exponent", "C_+", "C_-", "C_+/C_-", "lambda, m", "measure")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "file", nargs="?", default="higher_order_adjacency.png", help="adjacency diagram (default: %(default)s)"
    )
    parser.add_argument("--format", choices=("markdown", "latex", "csv", "text"), default="markdown")
    parser.add_argument("--exact", action="store_true", help="exact prefactors instead of 6 digits")
    parser.add_argument(
        "--small", action="store_true", help="leave out the K point of the tuned triangular lattice (the slowest row)"
    )
    args = parser.parse_args(argv)
    rows, types = [], []
    for name, function in LOCAL.items():
        rows.append(_row(name, dos_asymptotics(function), args.exact))
    for name, (function, point, variables) in LATTICES.items():
        if args.small and name.endswith("at K"):
            continue
        result = dos_asymptotics(function, point, variables=variables)
        torus = (2 * sympy.pi) ** -len(result.point)
        rows.append(_row(name, result.scaled(torus, "torus"), args.exact))
    types = sorted({row[3] for row in rows}, key=lambda label: (int("".join(filter(str.isdigit, label))), label))
    print(getattr(tables, args.format)(HEADER, rows))
    plot_adjacency(types, file=args.file)
    print(f"\nwrote {args.file} (the adjacencies among {', '.join(types)})")


def _row(name, result, exact):
    number = (lambda v: v) if exact else (lambda v: None if v is None else f"{float(v):.6g}")
    ratio = result.ratio
    ratio = ratio if ratio == sympy.oo or ratio is None or exact or len(sympy.sstr(ratio)) < 14 else number(ratio)
    rlct = None if result.rlct is None else f"{result.rlct.threshold}, {result.rlct.multiplicity}"
    point = "(" + ", ".join(map(sympy.sstr, result.point)) + ")"
    return (
        name,
        point,
        result.value,
        result.label,
        result.exponent,
        number(result.c_plus),
        number(result.c_minus),
        ratio,
        rlct,
        result.measure,
    )


if __name__ == "__main__":
    main()
