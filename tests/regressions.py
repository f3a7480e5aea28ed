"""Earlier, wrong versions of package steps, kept so tests can show that the safeguards catch them."""

import sympy

import singularities.thresholds.blowup as blowup


def truncating_strip_units(strict, fiber, symbols, unit):
    """The blow-up unit division before issue 12: the content truncated by sympy.Integer (1/4 -> 0)."""
    result = []
    for g in strict:
        coefficient, factors = sympy.factor_list(g, *symbols)
        kept = sympy.Integer(int(coefficient))
        for factor, power in factors:
            if blowup._is_unit_on(factor, fiber, symbols):
                unit = sympy.expand(unit * factor**power)
            else:
                kept *= factor**power
        result.append(sympy.expand(kept))
    return result, unit
