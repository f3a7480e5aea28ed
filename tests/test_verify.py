"""verify(): true predictions pass, a wrong one fails loudly, and the run is reproducible from its seed."""

import importlib
import json
import warnings

import pytest
import sympy

from catalogue import by_name, rational
from singularities.errors import NumericMismatchWarning
from singularities.numeric.verify import verification_rows, verify

verify_module = importlib.import_module("singularities.numeric.verify")  # the module; the package exports a function of this name

FAST = {"samples": 2 * 10**7, "decades": 8, "backend": "numpy"}


def test_true_predictions_pass_for_E6():
    """E6 = x^3 + y^4: (7/12, 1) (catalogue E6_x3_plus_y4), DOS exponent -5/12 and both prefactors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericMismatchWarning)
        result = verify(by_name("E6_x3_plus_y4").function, seed=31, **FAST)
    rows = {c.quantity: c for c in result.checks}
    assert result.passed and rows["threshold"].predicted == rational("7/12")
    assert set(rows) == {"threshold", "multiplicity", "dos_exponent", "c_plus", "c_minus", "ratio"}
    assert rows["dos_exponent"].predicted == sympy.Rational(-5, 12)


def test_a_wrong_prediction_is_a_failed_row_and_a_warning(monkeypatch):
    """Monkey-patch rlct to claim lambda = 1/2 for x^2 + y^3 (truth 5/6): passed is false, with a warning."""
    real = verify_module.rlct

    def wrong(energy, **options):
        import dataclasses
        return dataclasses.replace(real(energy, **options), threshold=sympy.Rational(1, 2))

    monkeypatch.setattr(verify_module, "rlct", wrong)
    with pytest.warns(NumericMismatchWarning, match="threshold"):
        result = verify("x**2 + y**3", seed=32, **FAST)
    rows = {c.quantity: c for c in result.checks}
    assert rows["threshold"].passed is False and not result.passed
    assert json.loads(result.to_json())["checks"][0]["passed"] is False


def test_json_contract_and_reproducibility():
    a, b = verify("x**2", seed=33, **FAST), verify("x**2", seed=33, **FAST)
    data = a.to_dict()
    assert a == b and data["seed"] == 33 and data["backend"] == "numpy" and data["n_samples"] > 0
    assert data["checks"][0] == {**data["checks"][0], "quantity": "threshold", "predicted": "1/2", "passed": True}
    assert isinstance(data["checks"][0]["estimate"], float) and len(data["checks"][0]["interval"]) == 2


def test_log_case_rows():
    """x^2 - y^2: (1, 2); the DOS has a logarithm (integer weight sum), so only the RLCT rows are checked."""
    row = by_name("saddle_x2_minus_y2")
    result = verify(row.function, seed=34, samples=2 * 10**7, decades=10, backend="numpy")
    assert [c.quantity for c in result.checks] == ["threshold", "multiplicity"]
    assert result.passed and result.checks[1].estimate == 2


def test_regular_zero_has_no_dos_rows():
    """x + y^2 at 0 is not critical: lambda = 1, m = 1 (catalogue smooth_x_plus_y2), no DOS rows."""
    result = verify("x + y**2", seed=35, **FAST)
    assert [c.quantity for c in result.checks] == ["threshold", "multiplicity"] and result.passed


def test_cli_rows():
    header, rows = verification_rows("x**2 + y**2", seed=36, **FAST)
    assert header[0] == "quantity" and rows[0][0] == "threshold" and rows[0][1] == "1"
