"""One contract per result: every class with ``to_dict`` is registered and round-trips through JSON.

The invariant checked for each kind is from_dict(json(r.to_dict())) == r: the
dict is the result.  Where object equality cannot hold, the check is
to_dict(from_dict(d)) == d instead (the JSON is a fixed point), and
``REASONS`` says why for that kind.  Each instance comes from calling the
library on a small input, so the test follows the fields the code fills in.
"""

import ast
import importlib
import json
import pathlib
import pickle

import pytest
import sympy

import singularities as sg
from singularities import tables
from singularities._result import Result, from_dict, registered
from singularities.errors import InputError

PACKAGE = pathlib.Path(sg.__file__).resolve().parent

# Kinds whose objects keep something to_dict does not carry (so == cannot hold), and what.
REASONS = {
    "splitting": "the provenance Energy is not in the dict",
    "classification": "the residual, principal part and provenance Energy are not in the dict",
    "classify": "each Classification keeps its residual and Energy (see classification)",
    "dos_asymptotic": "the provenance Energy is not in the dict",
    "dos": "each point keeps its Energy (see dos_asymptotic)",
    "torus_point": "its Classification keeps a residual and Energy (see classification)",
    "torus_critical_points": "each point keeps its Classification's residual and Energy",
    "degeneration": "each point keeps its Classification's residual and Energy",
    "tune": "each point keeps its Classification's residual and Energy",
    "conical_point": "its DOSAsymptotic keeps the provenance Energy",
    "catalogue_entry": "its Classification and DOSAsymptotic keep their Energy",
    "catalogue": "each entry keeps its Classification's and DOSAsymptotic's Energy",
    "paper_table": (
        "exact cells come back as their strings (a cell's JSON carries no type: 'A1' is text, '1/2' a number)"
    ),
    "dos_curve": "numpy arrays: DOSCurve compares by identity (eq=False)",
    "band_point": "its Classification keeps a residual and Energy (see classification)",
    "band_touching": "its DOSAsymptotic keeps the provenance Energy",
    "band_critical_points": "each point keeps its Classification's residual and Energy",
    "sweep": "its tables are paper tables (see paper_table)",
}


def _rlct_certificate(g, **options):
    return sg.rlct(g, **options).certificate


def _numeric():
    from singularities import numeric

    curve = numeric.volume_curve("x**2 + y**2", decades=4, samples=2 * 10**5, seed=1, backend="numpy")
    signed = numeric.volume_curve("x**3 + y**5", decades=4, samples=2 * 10**5, seed=1, backend="numpy")
    fit = numeric.fit_scaling(curve)
    verification = numeric.verify("x**2 + y**2", samples=10**6, decades=6, seed=2, backend="numpy")
    return {
        "samples": numeric.volume_samples("x**2", [0.1, 0.01], n_samples=10**4, seed=1, backend="numpy"),
        "volume_curve": curve,
        "scaling_fit": fit,
        "numeric_estimate": fit.threshold,
        "dos_fit": numeric.fit_dos(signed),
        "multiplicity_test": numeric.multiplicity_test(curve, 1),
        "learning_coefficient": numeric.learning_coefficient(
            "x**2 + y**2", n=100, chains=4, draws=50, warmup=50, seed=1, backend="numpy"
        ),
        "llc": numeric.llc(lambda w: w[0] ** 2, [0.0], n=100, chains=4, draws=20, warmup=20, seed=1),
        "dos_curve": numeric.dos_curve("-2*cos(x) - 2*cos(y)", bins=20, grid=(16, 16)),
        "verification": verification,
        "check": verification.checks[0],
    }


def _exact():
    from singularities.models import two_layer_network_loss
    from singularities.thresholds.blowup import resolve

    loss = two_layer_network_loss(2, order=5)
    resolution = resolve("x**2*y - y**3")
    torus = sg.torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    graphene = sg.torus_critical_points("sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))")
    certified = sg.torus_critical_points("-2*cos(kx) - 2*cos(ky) + 4*0.3*cos(kx)*cos(ky)")  # floats: certified path
    chain = sg.TightBinding.from_hoppings(1, [(0, 0, (1,), 1.0)])
    certified_bands = sg.band_critical_points(chain)  # float amplitudes: the certified band path
    tuning = sg.tune("-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2")
    circle = sg.critical_points("(x**2 + y**2 - 1)**2")
    catalogue = sg.catalogue(3, families="A")
    global_result = sg.global_rlct("(x - y)**2", box="-1:1")
    report = sg.nondegeneracy("x**2 - y**2")
    graphene_matrix = sg.band_critical_points(
        "Matrix([[0, 1 + exp(I*k1) + exp(I*k2)], [1 + exp(-I*k1) + exp(-I*k2), 0]])"
    )
    kagome = sg.band_critical_points(
        "Matrix([[0, 1 + exp(I*k1), 1 + exp(I*k2)], [1 + exp(-I*k1), 0, 1 + exp(I*(k2 - k1))],"
        " [1 + exp(-I*k2), 1 + exp(-I*(k2 - k1)), 0]])"
    )
    return {
        "energy": loss.energy,
        "truncation": loss.energy.truncation,
        "regression_loss": loss,
        "newton_polyhedron": report.polyhedron,
        "face": report.polyhedron.principal_face,
        "newton": report,
        "face_check": report.faces[0],
        "critical_points": circle,
        "critical_point": sg.critical_points("(x**2 - 1)**2 + y**2").points[0],
        "critical_component": circle.components[0],
        "splitting": sg.splitting("x**2 + y**3"),
        "normal_form": sg.normal_form("D4-"),
        "classification": sg.classify("x**4 + y**4 + x**2*y**3"),
        "classify": sg.classify_critical_points("(x**2 - 1)**2 + y**2"),
        "adjacency": sg.adjacency("E6"),
        "rlct": sg.rlct("x**2 - y**2"),
        "newton_certificate": _rlct_certificate("x**2*y**2"),
        "principal part": _rlct_certificate("(y - x**2)**2 + x**5", method="principal part"),
        "bound": _rlct_certificate("(w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)**12", method="newton", timeout=0.5),
        "arrangement": _rlct_certificate("x*y*(x - y)*(x + y)*z*(x + y + z)"),
        "separation": _rlct_certificate("(x*y)**2 + z**4 + (u - v**2)**2 + v**6"),
        "theorem": _rlct_certificate("a1**2*b1**2 + a1**2*b2**2 + a2**2*b1**2 + a2**2*b2**2", method="theorem"),
        "jet": sg.rlct(loss.energy).certificate,
        "resolution": resolution,
        "chart": resolution.charts[-1],
        "global_rlct": global_result,
        "local_rlct": global_result.points[0],
        "dos_asymptotic": sg.dos_asymptotics("x**3 + y**4"),
        "dos": sg.dos_table("x**4 - 2*x**2 + y**2"),
        "torus_critical_points": torus,
        "torus_point": torus.points[0],
        "torus_component": sg.torus_critical_points("cos(kx)", variables="kx,ky").components[0],
        "torus_crossing": sg.torus_critical_points("(1 - cos(x))*(1 - cos(y))", variables="x,y").crossings[0],
        "conical_point": graphene.conical_points[0],
        "tight_binding": sg.read_model("orbitals 2 dimension 2\n0 1 0 0 t\n0 1 -1 0 t\n0 1 0 -1 0.5*t\n"),
        "band_critical_points": graphene_matrix,
        "band_point": graphene_matrix.points[0],
        "band_touching": graphene_matrix.touchings[0],
        "band_summary": graphene_matrix.bands[0],
        "band_component": kagome.components[0],
        "certified_torus_points": certified,
        "certified_point": certified.points[0],
        "certified_band_points": certified_bands,
        "tune": tuning,
        "degeneration": tuning.degenerations[0],
        "catalogue": catalogue,
        "catalogue_entry": catalogue.entries[-1],
        "paper_table": sg.paper_table("x**3 + y**4", columns="Type, threshold, multiplicity, dos_exponent"),
        "sweep": sg.sweep({"function": "x**3 + t*y**2", "grid": {"t": ["1"]}}, scheduler="serial", cache=False),
    }


@pytest.fixture(scope="module")
def instances():
    return {**_exact(), **_numeric()}


def _classes_with_to_dict():
    """(module, class name) of every class in the package that defines ``to_dict``, by reading the source."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        module = ".".join(("singularities",) + path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(
            ".__init__"
        )
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(f, ast.FunctionDef) and f.name == "to_dict" for f in node.body
            ):
                found.append((module, node.name))
    found.remove(("singularities._result", "Result"))  # the protocol itself: its to_dict raises NotImplementedError
    return found


def test_every_class_with_to_dict_is_registered_once():
    defined = _classes_with_to_dict()
    for module, _ in defined:  # registration happens on import: import every module first (order-independent)
        importlib.import_module(module)
    kinds = registered()
    classes = {cls: kind for kind, cls in kinds.items()}
    assert len(classes) == len(kinds)  # one kind per class
    assert len(defined) >= 40  # the walk found the package (45 classes when this test was written)
    for module, name in defined:
        cls = getattr(importlib.import_module(module), name)
        assert cls in classes, f"{module}.{name} has to_dict but no @register(kind)"
        assert callable(getattr(cls, "from_dict", None)), f"{module}.{name} has no from_dict"
    assert set(classes) == {getattr(importlib.import_module(m), n) for m, n in defined}


def test_every_registered_kind_round_trips(instances):
    assert set(instances) == set(registered())  # an instance for every kind, no more
    for kind, cls in registered().items():
        result = instances[kind]
        assert type(result) is cls, kind
        data = json.loads(json.dumps(result.to_dict()))  # JSON-safe: survives a dump and a load
        assert data["kind"] == kind
        again = from_dict(data)
        assert type(again) is cls
        if kind in REASONS:
            assert again.to_dict() == data, kind
        else:
            assert again == result, kind


def test_every_result_renders_header_and_rows(instances):
    """to_rows() always returns (header, rows), each row as long as the header."""
    for kind, result in instances.items():
        if not hasattr(result, "to_rows"):
            continue
        header, rows = result.to_rows()
        assert isinstance(header, tuple) and all(isinstance(h, str) for h in header), kind
        assert all(len(row) == len(header) for row in rows), kind
        if isinstance(result, Result):
            assert str(result).startswith(header[0]), kind


def test_certificate_rows_are_the_tail_of_the_rlct_rows():
    result = sg.rlct("x**2*y**2")
    _, rows = result.to_rows()
    _, certificate_rows = result.certificate.to_rows()
    assert rows[-len(certificate_rows) :] == certificate_rows


@pytest.mark.parametrize("data", [{"kind": "no such kind"}, {"threshold": "1/2"}, ["rlct"]])
def test_an_unknown_kind_is_an_input_error(data):
    with pytest.raises(InputError, match="unknown result kind .*; pass the output of a result's to_dict"):
        from_dict(data)


# ---- one error for an unknown name: InputError (a ValueError) saying what is allowed --------------------------------


def _numeric_call(name, *args, **options):
    from singularities import numeric

    return getattr(numeric, name)(*args, **options)


@pytest.mark.parametrize(
    "call, allowed",
    [
        (lambda: sg.rlct("x**2", method="bogus"), "auto, theorem, newton, principal part, blowup"),
        (lambda: sg.critical_points("x**2", method="bogus"), "auto, exact, interval"),
        (lambda: _numeric_call("dos_curve", "cos(x)", method="bogus"), "tetrahedron"),
        (lambda: _numeric_call("volume_samples", "x**2", [0.1], backend="gpu"), "'auto', 'c' or 'numpy'"),
        (lambda: sg.render_table(sg.paper_table("x**2"), "pdf"), "text, latex, markdown, csv, json"),
        (lambda: tables.render(sg.rlct("x**2"), "pdf"), "text, markdown, latex, csv, json"),
        (lambda: sg.normal_form("Q7"), "A_k (k >= 1), D_k (k >= 4), E6, E7, E8, X9, J10 and P8"),
        (lambda: sg.adjacency("D4*"), "write e.g. 'A3', 'D4-'"),
        (lambda: sg.normal_form("D", 4, "0"), "choose one of '+', '-'"),
        (lambda: sg.tune("-2*t*cos(k)", "t").conditions("bogus"), "degenerate, corank 2, A3"),
    ],
)
def test_an_unknown_name_is_an_input_error_listing_the_choices(call, allowed):
    with pytest.raises(InputError) as caught:
        call()
    assert isinstance(caught.value, ValueError) and "\n" not in str(caught.value)
    assert allowed in str(caught.value)


def test_an_unknown_method_is_still_a_method_not_applicable_error():
    with pytest.raises(sg.MethodNotApplicableError, match="unknown method 'bogus'"):
        sg.rlct("x**2", method="bogus")
    error = pytest.raises(sg.UnknownMethodError, sg.critical_points, "x**2", method="bogus").value
    assert (error.method, error.choices) == ("bogus", ("auto", "exact", "interval"))
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again)) == (type(error), str(error))


def test_recheck_error_is_a_singularities_error_and_an_assertion_error():
    error = sg.RecheckError("0.x", "the Jacobian det does not match")
    assert isinstance(error, sg.SingularitiesError) and isinstance(error, AssertionError)
    assert str(error) == "chart 0.x: the Jacobian det does not match"
    again = pickle.loads(pickle.dumps(error))
    assert (again.chart, again.step) == ("0.x", "the Jacobian det does not match")


# ---- the JSON document: float companions, one JSON type per field, no block repeated, still read back --------------

# Keys whose values may look like numbers but are names (a chart "0~.x" is called "0").
NOT_NUMBERS = {"name"}


def _walk(data, kind=None):
    """Yield (kind of the enclosing result, dict) for every dict in a JSON document, parameter dicts excluded."""
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, kind)
    elif isinstance(data, dict):
        kind = data.get("kind", kind)
        yield kind, data
        for key, value in data.items():
            if key not in ("parameters", "values"):  # keyed by the user's names
                yield from _walk(value, kind)


def _is_exact_number(value):
    from singularities._exact import parse_exact

    if isinstance(value, list):
        return bool(value) and all(_is_exact_number(v) for v in value)
    if not isinstance(value, str) or value in ("", "E", "I"):
        return False
    try:
        return parse_exact(value).is_number
    except InputError:
        return False


def _expected_float(text):
    """The float of an exact string (sympy syntax) or the midpoint of an arb ball "[mid +/- rad]"; None otherwise."""
    if text.startswith("[") and "+/-" in text:
        return float(text.strip("[]").split("+/-")[0])
    if not _is_exact_number(text):
        return None
    number = sympy.sympify(text)  # the package's own strings are sympy syntax
    return float(number) if number.is_finite and number.is_extended_real else None


def _integers(value):
    """Whether a value is an integer string or a list of them (normals, exponents: no float needed)."""
    if isinstance(value, list):
        return all(_integers(v) for v in value)
    return isinstance(value, str) and value.lstrip("-").isdigit()


def test_every_kind_reads_back_from_its_json_document(instances):
    """The document (floats beside exact numbers, shared blocks not repeated) rebuilds the result like to_dict."""
    for kind, result in instances.items():
        document = json.loads(result.to_json())
        assert document == json.loads(tables.render(result, "json")), kind
        again = from_dict(document)
        assert again.to_dict() == json.loads(json.dumps(result.to_dict())), kind
        if kind not in REASONS:
            assert again == result, kind


def test_every_exact_number_has_its_float_beside_it(instances):
    """Each exact number in a to_dict() is a key of EXACT_KEYS; the document gives its float (null if not finite)."""
    for name, result in instances.items():
        for kind, data in _walk(json.loads(json.dumps(result.to_dict()))):
            for key, value in data.items():
                if key not in NOT_NUMBERS and _is_exact_number(value) and not _integers(value):
                    assert key in tables.EXACT_KEYS, f"{kind}.{key} = {value!r}: add {key!r} to tables.EXACT_KEYS"
        for kind, data in _walk(json.loads(result.to_json())):
            for key, value in data.items():
                if key in tables.EXACT_KEYS and isinstance(value, str):
                    assert data[key + "_float"] == _expected_float(value), (name, kind, key, value)


def test_a_field_has_one_json_type(instances):
    """Across every result of the module (and their parts), a (kind, field) is always one JSON type or null."""
    seen = {}
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    for result in instances.values():
        for kind, data in _walk(json.loads(result.to_json())):
            for key, value in data.items():
                if value is not None and key != "parameters":
                    seen.setdefault((kind, key), set()).add(names[type(value)])
    mixed = {field: types for field, types in seen.items() if len(types) > 1}
    assert not mixed, mixed


def test_no_nested_result_repeats_its_parents_fields(instances):
    """A nested result in the document never holds a field equal to the same field of the result holding it."""
    for name, result in instances.items():
        for _, data in _walk(json.loads(result.to_json())):
            for child in data.values():
                if isinstance(child, dict) and "kind" in child:
                    repeated = [k for k, v in child.items() if k != "kind" and k in data and data[k] == v]
                    assert not repeated, (name, repeated)


def test_a_torus_points_dos_block_shares_the_point_and_rlct():
    """The square lattice's band minimum: the DOS block names its shared fields instead of repeating them."""
    point = json.loads(sg.torus_critical_points("-2*cos(kx) - 2*cos(ky)").to_json())["points"][0]
    # g = kx^2 + ky^2 + ...: value -4, lambda = d = 1/2 + 1/2 = 1 (docs/conventions.md), printed once
    assert (point["value"], point["value_float"], point["rlct"]["threshold"]) == ("-4", -4.0, "1")
    assert {"point", "value", "rlct"} <= set(point["dos"]["same_as_parent"])
    assert "rlct" not in point["dos"] and "point" not in point["classification"]


def test_every_result_shows_a_typeset_table_in_a_notebook(instances):
    """_repr_html_ is an HTML table with lambda written λ; _repr_latex_ writes no symbol name inside \\text{}."""
    import re

    for kind, result in instances.items():
        html, latex = result._repr_html_(), result._repr_latex_()
        assert html.startswith('<table class="singularities">') and "<td" in html and "\\text" not in html, kind
        assert not re.search(r"\blambda\b", html) and "F_n" not in html, kind
        words = " ".join(re.findall(r"\\text\{([^}]*)\}", latex))
        assert not re.search(r"\blambda\b|\bF\\_n\b|\bmu\b|\brho\b", words), (kind, words)
        assert latex.startswith("$\\displaystyle \\begin{array}"), kind
