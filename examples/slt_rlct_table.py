"""RLCTs of small SLT losses, as a Markdown table for a paper.

Each loss K(w) >= 0 vanishes at the true parameter w0 = 0.  The table shows
lambda and m with the status and the theorem that proves them; rows that the
Newton method cannot settle say "bound" and give only lambda <= threshold.

Run:  python examples/slt_rlct_table.py
"""

import singularities as sg
from singularities import tables

LOSSES = {
    "regular model, 2 parameters": "a**2 + b**2",
    "product a*b (one-layer linear net)": "(a*b)**2",
    "two-unit linear net a*b + c*d": "(a*b + c*d)**2",
    "x^2 y^2 with an extra quadratic": "a**2*b**2 + c**2",
    "tanh unit, K ~ (a*b)^2 + (a*b^3)^2/3": "(a*b)**2 + (a*b**3)**2/3",
    "degenerate in these coordinates": "(b - a**2)**2 + a**6",
}


def main():
    rows = []
    for name, loss in LOSSES.items():
        result = sg.rlct(loss, timeout=60)
        theorem = result.certificate.theorem if result.certificate else "-"
        rows.append((name, loss, result.threshold, result.multiplicity, result.status.value, theorem))
    print(tables.markdown(("model", "K(w)", "lambda", "m", "status", "theorem"), rows))


if __name__ == "__main__":
    main()
