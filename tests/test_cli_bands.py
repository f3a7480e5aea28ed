"""The `bands` subcommand: one library call, exit 0 with a table or JSON, exit 2 with one line on bad input."""

import json

from singularities.cli import main

GRAPHENE = "Matrix([[0, 1 + exp(-I*k1) + exp(-I*k2)], [1 + exp(I*k1) + exp(I*k2), 0]])"


def test_bands_json(capsys):
    assert main(["bands", GRAPHENE, "--json", "--no-dos"]) == 0
    data = json.loads(capsys.readouterr().out)
    # two conical touchings at E = 0 (K, K') and band edges +-3 (Gamma): derivation in tests/test_bands.py
    assert data["kind"] == "band_critical_points"
    assert [t["touching"] for t in data["touchings"]] == ["conical", "conical"]
    assert [(b["minimum"], b["maximum"], b["morse_sum"]) for b in data["bands"]] == [("-3", "0", 0), ("0", "3", 0)]


def test_bands_params_and_table(capsys):
    assert main(["bands", "Matrix([[-2*t*cos(kx) - 2*t*cos(ky)]])", "--params", "t=1", "--no-dos"]) == 0
    out = capsys.readouterr().out
    assert "band edges" in out and "[-4, 4]" in out  # -2t(cos kx + cos ky) spans [-4t, 4t]


def test_bands_bad_input_is_exit_2(capsys):
    assert main(["bands", "Matrix([[0, exp(I*k)], [exp(I*k), 0]])"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not Hermitian" in err
    assert main(["bands", GRAPHENE, "--point", "0,0"]) == 2


def test_bands_reads_a_model_file(tmp_path, capsys):
    # Graphene as a hopping list (docs/lattices.md format): the same Dirac cones at K, K' as the Matrix input.
    model = tmp_path / "graphene.txt"
    model.write_text("orbitals 2 dimension 2\n0 1 0 0 1\n0 1 -1 0 1\n0 1 0 -1 1\n")
    assert main(["bands", str(model), "--json", "--no-dos"]) == 0
    data = json.loads(capsys.readouterr().out)
    kinds = {t["touching"] for t in data["touchings"]}
    assert kinds == {"conical"} and len(data["touchings"]) == 2


def test_a_malformed_model_file_is_exit_2(tmp_path, capsys):
    model = tmp_path / "broken.txt"
    model.write_text("orbitals 2 dimension 2\n0 1 0 zero 1\n")
    assert main(["bands", str(model)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_float_model_file_takes_the_certified_path(tmp_path, capsys):
    # Chain H = [[0, 1 + e^{-ik}/2], [c.c., 0]]: E = +-sqrt(5/4 + cos k), extremes +-3/2 at k = 0 and +-1/2 at
    # k = pi.  At k = 0, E'' = -1/3 (E = 3/2 - k^2/6), so rho = (1/2pi) * 2 * sqrt(6)/2 |E - 3/2|^(-1/2):
    # C = sqrt(6)/(2 pi) = 0.38984...
    model = tmp_path / "chain.txt"
    model.write_text("orbitals 2 dimension 1\n0 1 0 1.0\n0 1 -1 0.5\n")
    assert main(["bands", str(model), "--float", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = json.dumps(data)
    assert "certified" in text.lower() or "+/-" in text
    assert main(["bands", str(model), "--float"]) == 0
    out = capsys.readouterr().out
    assert "[1.5000000000" in out and "[0.3898484006" in out
    assert main(["bands", "Matrix([[0, 1 + exp(I*k)], [1 + exp(-I*k), 0]])", "--float"]) == 2
    assert "--float applies to a model file" in capsys.readouterr().err
