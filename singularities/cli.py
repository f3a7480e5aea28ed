"""The ``singularities`` command line: parse, call one library function, render.

Exit codes: 0 on success, 2 on bad input or an error the message explains
(one line on stderr, never a traceback), 1 on an internal error.
"""

import argparse
import importlib.util
import io
import os
import pathlib
import sys
import tokenize
import unicodedata
import warnings

from . import tables
from ._exact import parse_exact
from ._limits import Deadline, ProgressBar
from ._version import __version__
from .algebra.backend import backend
from .domain import parse_box, parse_constraint
from .energy import Energy
from .errors import InputError, SingularitiesError, SingularitiesWarning
from .local.adjacency import adjacency
from .local.classify import Classifications, classify, classify_critical_points
from .physics.bands import band_critical_points
from .physics.certified_torus import certified_critical_points, has_float_coefficients
from .physics.dos import dos_asymptotics, dos_table
from .physics.torus import torus_critical_points
from .physics.tune import tune
from .polyhedra.nondegeneracy import nondegeneracy
from .reports import paper_tables
from .reports.catalogue import COLUMNS, catalogue
from .thresholds.global_rlct import global_rlct
from .thresholds.rlct import METHODS, rlct

__all__ = ["main", "build_parser"]

DEFAULT_TIMEOUT = 120.0
TABLE_TIMEOUT = 600.0  # a whole table: several functions, each with its own critical points
MAX_TIMEOUT = 1e7
MAX_SAMPLES = 10**12
_HEARTBEAT = 1.0  # seconds without a progress update after which the bar repeats its stage with the time

_EPILOG = """\
examples:
  singularities rlct "x**2*y**2"                  lambda = 1/2, m = 2
  singularities rlct "x**2 - y**2" --json         exact values as strings
  singularities rlct "x**2 + (y - 1)**4" --point 0,1
  singularities newton "x**2 + y**4 + x*y**3"     Newton polyhedron and non-degeneracy
  singularities rlct "t*x**2 + y**4" --params t=3
  singularities rlct "x**2*y**2" --global --box=-1:1   the minimum over the zero set in the box
  singularities rlct "x**2+y**2" --global --box=0:1 --constraint "x+y<=1"   over a triangle
  singularities rlct "-2*(cos(x) + cos(y))" --point pi,0     a leading minus is fine
  singularities classify "x**3 - 3*x*y**2"        the monkey saddle: D4-
  singularities classify "(x**2 - 1)**2 + y**2"   all critical points with their types
  singularities adjacency E8                      what E8 deforms into
  singularities dos "x**3 + y**4"                 DOS exponent -5/12, C_+ and C_- exactly
  singularities dos "-2*(cos(kx) + cos(ky))" --torus --plot dos.png
                                                  van Hove points of the square lattice, Morse sum, plot
  singularities tune "-2*t*(cos(kx)+cos(ky)) - 4*tp*cos(kx)*cos(ky)" --params t,tp
                                                  where the square lattice degenerates
  singularities verify "x**3 + y**4" --samples 1e8 every prediction against compiled sampling
  singularities table examples/paper_table_van_hove.json --format latex      a table for a paper
  singularities catalogue --real-forms --format markdown                      every implemented type, computed
  singularities sweep examples/sweep_square_lattice.json     a t' grid on local Dask workers, one merged table

conventions: docs/conventions.md (lambda and m of |g|, Newton distance, the theorems applied)
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``singularities rlct: error: ...; see singularities rlct --help`` (exit 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def build_parser():
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(
        prog="singularities",
        description="Exact singularity analysis of energy functions: critical points, types, Newton polyhedra, RLCTs.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"singularities {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    rlct_parser = _command(
        commands,
        "rlct",
        _cmd_rlct,
        "real log canonical threshold lambda and multiplicity m at a zero",
        "The RLCT lambda and multiplicity m of |g| at a zero of g, with the theorem that proves it.",
    )
    rlct_parser.add_argument("--method", choices=METHODS, default="auto", help="method to use (default: auto)")
    rlct_parser.add_argument(
        "--global",
        dest="global_",
        action="store_true",
        help="the global RLCT over --box: the minimum over the zero set, with F_n and E[G_n]",
    )
    rlct_parser.add_argument(
        "--box",
        metavar="-1:1",
        help="the prior support for --global, in the variables' own coordinates: lo:hi, or x=lo:hi,y=lo:hi",
    )
    rlct_parser.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="'x + y <= 1'",
        help="a polynomial inequality cutting the support of --global out of --box (repeatable)",
    )
    newton_parser = _command(
        commands,
        "newton",
        _cmd_newton,
        "Newton polyhedron, Newton distance and real non-degeneracy",
        "The Newton polyhedron of g at a zero: vertices, facets, Newton distance, principal face, "
        "and the strong and weak real non-degeneracy tests.",
    )
    newton_parser.add_argument(
        "--plot",
        metavar="FILE",
        help="write the Newton polygon (2 variables) or polyhedron (3) with the diagonal and the "
        "principal face (plot extra)",
    )
    _command(
        commands,
        "classify",
        _cmd_classify,
        "critical points and their real types (A_k, D_k, E6-E8, X9, J10, P8)",
        "Every real critical point of a polynomial (or the point given with --point) with its type, "
        "real normal form, Milnor number and Morse index; positive-dimensional critical sets as components.",
    )
    dos_parser = _command(
        commands,
        "dos",
        _cmd_dos,
        "DOS asymptotics at critical points (van Hove singularities)",
        "The leading singular term of the density of states at each critical point: exponent, "
        "log power, the prefactors C_+ and C_- on both sides and their ratio, with the RLCT of the "
        "same point. With --torus: every critical point in one period, the Morse sum and the band edges.",
    )
    dos_parser.add_argument("--torus", action="store_true", help="periodic in every variable (a Brillouin zone)")
    dos_parser.add_argument(
        "--periods", metavar="P1,P2,...", help="periods of the torus (implies --torus; default: 2*pi each)"
    )
    dos_parser.add_argument(
        "--plot", metavar="FILE", help="with --torus: write rho(E) with the predicted terms (plot extra)"
    )
    bands_parser = _command(
        commands,
        "bands",
        _cmd_bands,
        "critical points of every band of a Bloch matrix H(k), and band touchings",
        "Every critical point of every band of a Hermitian Bloch matrix H(k) (the MODEL, written "
        "Matrix([[...], [...]]) with entries in cos, sin and exp(I*k), or a model file: the hopping format of "
        "docs/lattices.md or a Wannier90 *_hr.dat, whose decimals are read as the exact numbers they denote), "
        "with its band number, type, DOS "
        "per band (torus normalisation), the band touchings with their kind (conical, semi-Dirac, quadratic, "
        "triple point), flat bands, band edges and the Morse sum per band.",
    )
    bands_parser.add_argument("--periods", metavar="P1,P2,...", help="periods of the torus (default: 2*pi each)")
    bands_parser.add_argument("--no-dos", action="store_true", help="skip the DOS asymptotics")
    bands_parser.add_argument(
        "--float",
        action="store_true",
        help="read a model file's decimals as the doubles they are and take the certified interval path "
        "(docs/lattices.md#float-bloch-matrices); default: the exact numbers they denote",
    )
    verify_parser = _command(
        commands,
        "verify",
        _cmd_verify,
        "check every prediction against a numeric measurement",
        "Each exact prediction at the point (lambda, m, DOS exponent, C_+, C_-, ratio) beside a "
        "numeric estimate with its confidence interval and pass/fail, from compiled multi-scale "
        "sampling; reproducible from --seed. A mismatch is a row with passed = false and a warning.",
    )
    verify_parser.add_argument("--samples", type=_count, default=None, metavar="N", help="samples (default 2e8)")
    verify_parser.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    verify_parser.add_argument(
        "--box",
        metavar="-1:1",
        help="the sampling box, in the variables' own coordinates (as for rlct --global); it must "
        "contain the point: lo:hi, or x=lo:hi,y=lo:hi (default: the point -1 to +1 in every variable)",
    )
    verify_parser.add_argument(
        "--plot",
        metavar="FILE",
        help="write the spectroscope curve d log V / d log t against t with the predicted plateau "
        "(plot extra; samples once more with the same seed)",
    )
    tune_parser = commands.add_parser(
        "tune",
        help="parameter values where a critical point turns degenerate",
        description="The parameter values at which a critical point degenerates (grad f = 0 and det Hess f = 0), "
        "becomes corank 2 or A3, or turns into a line of critical points, with the type there. "
        "Parameters listed in --params without a value are tuned; those with a value are fixed.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tune_parser.add_argument(
        "function", help='the dispersion or function, e.g. "-2*t*(cos(kx)+cos(ky)) - 4*tp*cos(kx)*cos(ky)"'
    )
    tune_parser.add_argument(
        "--params", metavar="t,tp=1/2,...", required=True, help="parameters: names to tune, name=value to fix"
    )
    tune_parser.add_argument("--vars", metavar="x,y,...", help="variables in order")
    tune_parser.add_argument(
        "--point", metavar="P1,P2,...", help="tune only at this point (e.g. a symmetry point pi,0)"
    )
    tune_parser.add_argument("--periods", metavar="P1,P2,...", help="periods of the torus (default: 2*pi each)")
    tune_parser.add_argument(
        "--no-torus-check",
        action="store_true",
        help="classify only the degenerate points (skip the whole-torus analysis and Morse check)",
    )
    tune_parser.add_argument("--json", action="store_true", help="print one JSON object")
    tune_parser.add_argument("--format", choices=tables.FORMATS, default="text", help="output format (default: text)")
    tune_parser.add_argument(
        "--timeout",
        type=_positive,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit (default: {DEFAULT_TIMEOUT:g})",
    )
    _progress_options(tune_parser)
    tune_parser.add_argument(
        "--plot",
        metavar="FILE",
        help="with two tuned parameters: write the phase diagram of the strata, labelled by type (plot extra)",
    )
    tune_parser.add_argument(
        "--ranges", metavar="tp=-1:1,tpp=-1:1", help="with --plot: the parameter ranges (default: around 0)"
    )
    tune_parser.set_defaults(handler=_cmd_tune)
    adjacency_parser = commands.add_parser(
        "adjacency",
        help="what a singularity type deforms into",
        description="The types that arbitrarily small deformations of a type contain (its adjacencies), with sources.",
    )
    adjacency_parser.add_argument("type", help="a type such as E8, D5 or X9 (a real-form suffix is ignored)")
    adjacency_parser.add_argument("--json", action="store_true", help="print one JSON object")
    adjacency_parser.add_argument(
        "--format", choices=tables.FORMATS, default="text", help="output format (default: text)"
    )
    adjacency_parser.add_argument(
        "--plot", metavar="FILE", help="write the adjacency diagram below the type (plot extra)"
    )
    adjacency_parser.add_argument(
        "--timeout",
        type=_positive,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit (default: {DEFAULT_TIMEOUT:g})",
    )
    adjacency_parser.set_defaults(handler=_cmd_adjacency)
    _table_commands(commands)
    return parser


def _table_commands(commands):
    """The ``table`` and ``catalogue`` subcommands (tables for papers; docs/tables.md)."""
    table_parser = commands.add_parser(
        "table",
        help="a table for a paper: the critical points of the functions in a spec, the columns chosen",
        description="One row per critical point of each energy function listed in INPUT (a .json, .yaml or .yml spec "
        "with functions, variables, parameters, domain, points and columns; docs/tables.md) or of one "
        "expression, with the columns chosen and a reproducibility footer (version, options, seeds). "
        "LaTeX output is a booktabs tabular with exact values.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    table_parser.add_argument(
        "input", help='a spec file (.json, .yaml, .yml) or one expression, e.g. "x**4 - 2*x**2 + y**2"'
    )
    table_parser.add_argument("--columns", metavar="type,lambda,...", help="columns, from: " + ", ".join(COLUMNS))
    table_parser.add_argument(
        "--format", choices=paper_tables.FORMATS, default="text", help="output format (default: text)"
    )
    table_parser.add_argument("--json", action="store_true", help="print one JSON object (same as --format json)")
    table_parser.add_argument("--vars", metavar="x,y,...", help="one expression: variables in order")
    table_parser.add_argument("--params", metavar="t=1,...", help="one expression: parameters with exact values")
    table_parser.add_argument(
        "--point", metavar="P1,P2,...", help="one expression: only this point (default: every critical point)"
    )
    table_parser.add_argument(
        "--torus", action="store_true", help="one expression: periodic in every variable (a Brillouin zone)"
    )
    table_parser.add_argument(
        "--periods", metavar="P1,P2,...", help="one expression: periods of the torus (implies --torus)"
    )
    table_parser.add_argument(
        "--seed", type=_seed, help="seed of the numeric check column (default: the spec's, else 0)"
    )
    table_parser.add_argument(
        "--samples", type=_count, metavar="N", help="samples per point of the numeric check (default 1e8)"
    )
    table_parser.add_argument(
        "--timeout",
        type=_positive,
        default=None,
        metavar="SECONDS",
        help=f"time limit for the whole table (default: the spec's 'timeout', else {TABLE_TIMEOUT:g})",
    )
    _progress_options(table_parser)
    table_parser.set_defaults(handler=_cmd_table)
    catalogue_parser = commands.add_parser(
        "catalogue",
        help="every implemented type with its invariants, computed by the engine",
        description="Arnold's normal forms the package implements (A_k and D_k up to --max-k, E6-E8, X9, J10, P8), "
        "each run through the engine: type, normal form, mu, modality, weights, lambda, m, DOS exponent, "
        "log power, L, C_+, C_-, ratio. Nothing in the table is typed in.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    catalogue_parser.add_argument(
        "--max-k", type=int, default=8, metavar="N", help="largest k of A_k and D_k (default 8)"
    )
    catalogue_parser.add_argument(
        "--real-forms", action="store_true", help="one row per real form (A3+, A3-, D4+, D4-, X9(4), ...)"
    )
    catalogue_parser.add_argument(
        "--families", metavar="ADEXJP", help="only these families, e.g. ADE for the simple types"
    )
    catalogue_parser.add_argument(
        "--dimension",
        type=int,
        default=2,
        metavar="N",
        help="add Morse squares + y**2, ... up to N variables (default 2)",
    )
    catalogue_parser.add_argument(
        "--max-mu",
        type=int,
        metavar="N",
        help="also list the unimodal types beyond X9, J10, P8 (E12-14, Z, W, Q, S, U, T series) with mu <= N",
    )
    catalogue_parser.add_argument("--columns", metavar="type,lambda,...", help="columns (default: all of them)")
    catalogue_parser.add_argument(
        "--format", choices=paper_tables.FORMATS, default="text", help="output format (default: text)"
    )
    catalogue_parser.add_argument("--json", action="store_true", help="print one JSON object (same as --format json)")
    catalogue_parser.add_argument(
        "--timeout",
        type=_positive,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit (default: {DEFAULT_TIMEOUT:g})",
    )
    _progress_options(catalogue_parser)
    catalogue_parser.set_defaults(handler=_cmd_catalogue)
    _sweep_command(commands)


def _sweep_command(commands):
    """The ``sweep`` subcommand (parameter sweeps on Dask; docs/sweep.md)."""
    parser = commands.add_parser(
        "sweep",
        help="run commands over a grid of parameter values, on Dask workers, cached; one merged table per command",
        description="Run the commands of SPEC (a .json, .yaml or .yml file: functions, a grid or list of parameter "
        "values, commands among table, classify, dos, rlct, tune, verify, sample; docs/sweep.md) on every grid "
        "point, on a local Dask cluster (the sweep extra; serially without it) or on an existing one "
        "(--scheduler ADDRESS). Each task's result is cached on disk, so a re-run resumes. The output is one "
        "merged table per command with a reproducibility footer (version, spec hash, date, workers).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spec", help="the sweep spec: a .json, .yaml or .yml file")
    parser.add_argument(
        "--scheduler",
        default="auto",
        metavar="ADDRESS",
        help="auto (a local Dask cluster, else serial), serial, local, or the address of a Dask scheduler "
        "such as tcp://127.0.0.1:8786 (default: auto)",
    )
    parser.add_argument("--workers", type=_workers, metavar="N", help="processes of the local cluster (default: CPUs)")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache",
        metavar="DIR",
        help="the folder of the per-task cache (default: $SINGULARITIES_SWEEP_CACHE, "
        "else ~/.cache/singularities/sweep)",
    )
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--format", choices=paper_tables.FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (same as --format json)")
    parser.add_argument(
        "--timeout",
        type=_positive,
        metavar="SECONDS",
        help="time limit for the whole sweep (default: the spec's 'total_timeout', else none); "
        "each task has the spec's 'timeout'",
    )
    _progress_options(parser)
    parser.set_defaults(handler=_cmd_sweep)


def _cmd_sweep(args):
    from .reports.sweep import render_sweep, sweep

    cache = False if args.no_cache else (args.cache or True)
    result = sweep(
        args.spec,
        scheduler=args.scheduler,
        workers=args.workers,
        cache=cache,
        timeout=args.timeout,
        progress=args.reporter,
    )
    return render_sweep(result, "json" if args.json else args.format)


def _workers(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers; give e.g. 2") from None
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError("the number of workers must be between 1 and 1024, e.g. 2")
    return value


def _command(commands, name, handler, help_text, description):
    """A subcommand taking a function and the common options."""
    parser = commands.add_parser(
        name,
        help=help_text,
        description=description,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    parser.set_defaults(handler=handler)
    return parser


def main(argv=None):
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(
        _protect_negative_functions(sys.argv[1:] if argv is None else list(argv), _value_options(parser))
    )
    args.reporter = _reporter(args)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", SingularitiesWarning)
            warnings.showwarning = _show_warning
            _require_plot_output(getattr(args, "plot", None))
            backend()  # a bad SINGULARITIES_BACKEND is bad input for every command, not only those that reach FLINT
            try:
                output = args.handler(args)
            finally:
                if args.reporter is not None:
                    args.reporter.close()
    except SingularitiesError as exc:
        print(f"singularities: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("singularities: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"singularities: internal error: {type(exc).__name__}: {exc}; please report this input", file=sys.stderr)
        return 1
    try:
        print(output)
    except BrokenPipeError:  # output piped into head and closed early
        sys.stderr.close()
    return 0


def _common(parser):
    parser.add_argument("function", help='the function, e.g. "x**4 - y**2" (^ also means power)')
    parser.add_argument("--vars", metavar="x,y,...", help="variables in order (default: natural order of the names)")
    parser.add_argument("--point", metavar="P1,P2,...", help="the point, exact coordinates (default: the origin)")
    parser.add_argument("--params", metavar="t=1,...", help="parameters with exact values")
    parser.add_argument("--json", action="store_true", help="print one JSON object with exact values as strings")
    parser.add_argument("--format", choices=tables.FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--rationalize", action="store_true", help="convert float coefficients to rationals (with a warning)"
    )
    _progress_options(parser)


def _progress_options(parser):
    """--progress and --quiet: progress on stderr is shown by default when stderr is a terminal (docs/limits.md)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress",
        action="store_true",
        help="report the stages of long computations on stderr even when it is not a terminal",
    )
    group.add_argument(
        "--quiet", action="store_true", help="no progress on stderr (default: a progress bar when it is a terminal)"
    )


def _reporter(args):
    """The ProgressBar on stderr that args ask for, or None: --progress forces it, --quiet silences it, else a tty."""
    if getattr(args, "quiet", False):
        return None
    if getattr(args, "progress", False) or (hasattr(args, "progress") and _stderr_is_terminal()):
        bar = ProgressBar(heartbeat=_HEARTBEAT)
        bar(f"starting {args.command}")
        return bar
    return None


def _stderr_is_terminal():
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _deadline(args):
    return Deadline(args.timeout, getattr(args, "reporter", None))


def _energy(args):
    energy = Energy(args.function, args.vars, parameters=args.params, point=args.point, exact=not args.rationalize)
    _require_used_parameters(args.function, energy.parameters)
    return energy


def _require_used_parameters(function, parameters):
    """Refuse a --params name that the function does not use (a typo would otherwise make a variable of the
    intended name)."""
    names = set(_names_in(function))
    unused = [str(s) for s in parameters if str(s) not in names]
    if unused:
        raise InputError(
            f"parameter {', '.join(unused)} does not appear in the function (its names: "
            f"{', '.join(sorted(names)) or 'none'}); check the spelling in --params"
        )


def _parameter_names(text):
    return [part.split("=", 1)[0].strip() for part in text.split(",") if part.strip()]


def _names_in(text):
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(unicodedata.normalize("NFKC", text)).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    tokens = [t for t in tokens if t.string.strip()]
    return [
        t.string
        for t, after in zip(tokens, tokens[1:] + tokens[-1:])
        if t.type == tokenize.NAME and after.string != "("
    ]


def _render(result, args):
    return tables.render(result, "json" if args.json else args.format)


def _cmd_rlct(args):
    if args.global_:
        if args.box is None:
            raise InputError("--global needs the prior support: add --box -1:1 (or x=-1:1,y=0:2)")
        if args.point is not None:
            raise InputError("--global searches the whole box; leave out --point")
        energy = _energy(args)
        box = parse_box(args.box, energy.variables).require_rational("--global")  # its faces must keep K rational
        constraints = [parse_constraint(c, energy.variables, exact=not args.rationalize) for c in args.constraint]
        return _render(global_rlct(energy, box=box, constraints=constraints, timeout=_deadline(args)), args)
    if args.box is not None or args.constraint:
        raise InputError(
            "--box and --constraint give the support of --global; add --global, "
            "or leave them out for the RLCT at a point"
        )
    return _render(rlct(_energy(args), method=args.method, timeout=_deadline(args)), args)


def _cmd_newton(args):
    result = nondegeneracy(_energy(args), timeout=_deadline(args))
    if args.plot:
        from .reports.diagrams import plot_newton

        _wrote(plot_newton(result, file=args.plot), args.plot)
    return _render(result, args)


def _require_plot_output(file):
    """Before any computation: --plot needs matplotlib and a writable folder for FILE."""
    if file is None:
        return
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError("--plot needs matplotlib: pip install 'singularities[plot]' (or leave out --plot)")
    try:
        path = pathlib.Path(file).expanduser().resolve()
        problem = (
            "the folder does not exist; create it"
            if not path.parent.is_dir()
            else "the folder is not writable"
            if not os.access(path.parent, os.W_OK)
            else "it is a folder; give a file name such as dos.png"
            if path.is_dir()
            else None
        )
    except (OSError, ValueError) as exc:
        problem = getattr(exc, "strerror", None) or str(exc)
    if problem:
        raise InputError(f"cannot write the plot to {file!r}: {problem}, or choose another path")


def _wrote(ax, file):
    """Close the plot's pyplot figure (it is saved; a long session must not keep it) and say where it went."""
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
    print(f"singularities: wrote {file}", file=sys.stderr)


def _cmd_table(args):
    spec = paper_tables.command_line_spec(
        args.input,
        variables=args.vars,
        parameters=args.params,
        point=args.point,
        torus=args.torus,
        periods=args.periods,
    )
    if args.params and isinstance(spec, dict):
        _require_used_parameters(spec["function"], _parameter_names(args.params))
    numeric = {key: value for key, value in (("seed", args.seed), ("samples", args.samples)) if value is not None}
    table = paper_tables.paper_table(
        spec,
        columns=args.columns,
        timeout=_table_timeout(args, spec),
        numeric=numeric or None,
        default_timeout=TABLE_TIMEOUT,
    )
    return paper_tables.render_table(table, "json" if args.json else args.format)


def _table_timeout(args, spec):
    """The table's limit, as a Deadline carrying the progress reporter when there is one.

    Without --timeout the limit is the spec's "timeout", else TABLE_TIMEOUT; a
    spec whose "timeout" is not a positive number is left to paper_table, which
    says what to fix (and then the table runs without progress).
    """
    if args.reporter is None or args.timeout is not None:
        return args.timeout if args.reporter is None else Deadline(args.timeout, args.reporter)
    data = spec if isinstance(spec, dict) else paper_tables.load_spec(spec)
    seconds = data.get("timeout", TABLE_TIMEOUT) if isinstance(data, dict) else TABLE_TIMEOUT
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds <= MAX_TIMEOUT:
        return None
    return Deadline(seconds, args.reporter)


def _cmd_catalogue(args):
    table = catalogue(
        args.max_k,
        real_forms=args.real_forms,
        dimension=args.dimension,
        families=args.families,
        columns=args.columns,
        timeout=Deadline(args.timeout, args.reporter),
        max_mu=args.max_mu,
    )
    return paper_tables.render_table(table, "json" if args.json else args.format)


def _protect_negative_functions(argv, value_options=()):
    """Let a function that starts with '-' (e.g. "-2*(cos(x) + cos(y))") through as a positional argument.

    argparse would read it as an option; a leading space keeps its meaning
    and Energy strips it again.  An option value that starts with '-'
    (``--box -1:1``, ``--point -1,0``) is joined to its option (``--box=-1:1``).
    """
    result, options = [], set(value_options)
    for arg in argv:
        if (
            result
            and result[-1] in options
            and arg.startswith("-")
            and arg not in options
            and arg not in ("-h", "--help")
        ):
            result[-1] = f"{result[-1]}={arg}"
        elif arg.startswith("-") and not arg.startswith("--") and any(c in arg for c in "*()+/^ "):
            result.append(" " + arg)
        else:
            result.append(arg)
    return result


def _value_options(parser):
    """Every long option of every subcommand that takes a value (``--box``, ``--point``, ...)."""
    commands = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 - argparse keeps subparsers here
    return {
        option
        for sub in commands.choices.values()
        for action in sub._actions  # noqa: SLF001
        if action.nargs != 0
        for option in action.option_strings
        if option.startswith("--")
    }


def _cmd_classify(args):
    if args.point is None:
        return _render(classify_critical_points(_energy(args), timeout=_deadline(args)), args)
    energy = _energy(args)
    return _render(Classifications((classify(energy, timeout=_deadline(args)),), (), energy), args)


def _cmd_dos(args):
    if args.plot and not args.torus:
        raise InputError("--plot draws the DOS over a torus; add --torus (and --periods if they are not 2*pi)")
    if not (args.torus or args.periods):
        if args.point is None:
            return _render(dos_table(_energy(args), timeout=_deadline(args)), args)
        return _render(dos_asymptotics(_energy(args), timeout=_deadline(args)), args)
    if args.point is not None:
        raise InputError("--torus finds every critical point in one period; leave out --point")
    if not args.rationalize and not args.params and has_float_coefficients(args.function):
        if args.plot:
            raise InputError("--plot is not available with float amplitudes yet; leave out --plot")
        return _render(
            certified_critical_points(args.function, args.vars, periods=args.periods, timeout=_deadline(args)), args
        )
    energy, deadline = _energy(args), _deadline(args)
    result = torus_critical_points(energy, periods=args.periods, timeout=deadline)
    if args.plot:
        _plot_torus_dos(energy, result, args, deadline)
    return _render(result, args)


def _cmd_bands(args):
    if args.point is not None:
        raise InputError("bands finds every critical point in one period; leave out --point")
    if args.rationalize:
        raise InputError(
            "bands needs exact entries; write the amplitudes as fractions (e.g. 3/10) instead of --rationalize"
        )
    matrix, variables = args.function, args.vars
    if os.path.isfile(args.function):
        from .lattices import read_model

        model = read_model(args.function, exact=not args.float)
        matrix, variables = model.hamiltonian(), args.vars or model.variables
    elif args.float:
        raise InputError("--float applies to a model file; write the amplitudes of a Matrix as decimals instead")
    result = band_critical_points(
        matrix,
        variables,
        parameters=args.params,
        periods=args.periods,
        dos=not args.no_dos,
        timeout=_deadline(args),
    )
    return _render(result, args)


def _plot_torus_dos(energy, result, args, deadline):
    from .numeric.dos_curve import dos_curve
    from .reports.plot import plot_dos

    curve = dos_curve(energy, periods=args.periods, timeout=deadline)
    predictions = [p.dos for p in result.points if getattr(p, "dos", None) is not None and p.dos.c_plus is not None]
    _wrote(plot_dos(curve, predictions, file=args.plot), args.plot)


def _cmd_verify(args):
    from .numeric.verify import verify

    energy = _energy(args)
    options = {} if args.samples is None else {"samples": args.samples}
    box = None if args.box is None else parse_box(args.box, energy.variables)
    result = verify(energy, seed=args.seed, box=box, timeout=_deadline(args), **options)
    if args.plot:
        _plot_spectroscope(energy, box, args, options)
    return _render(result, args)


def _plot_spectroscope(energy, box, args, options):
    """Re-run verify's volume curve (same seed, samples and box, so the same numbers) and plot it with the RLCT."""
    from .numeric.multiscale import volume_curve
    from .numeric.verify import DEFAULT_SAMPLES, sampling_window
    from .reports.plot import plot_spectroscope

    curve = volume_curve(
        energy,
        box=sampling_window(box, energy),
        samples=options.get("samples", DEFAULT_SAMPLES),
        seed=args.seed,
        timeout=_deadline(args),
    )
    prediction = rlct(energy, timeout=_deadline(args))
    _wrote(
        plot_spectroscope(curve, [prediction], title=f"spectroscope of g = {energy.expr}", file=args.plot), args.plot
    )


def _count(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of samples; give e.g. 1e8") from None
    if not (1 <= value <= MAX_SAMPLES and value == int(value)):
        raise argparse.ArgumentTypeError(
            f"the number of samples must be a positive integer up to {MAX_SAMPLES:.0e}, e.g. 1e8"
        )
    return int(value)


def _seed(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; give a non-negative integer such as 0") from None
    if not 0 <= value < 2**128:
        raise argparse.ArgumentTypeError("the seed must be a non-negative integer below 2**128, e.g. 0")
    return value


def _cmd_tune(args):
    _require_used_parameters(args.function, _parameter_names(args.params))
    tuned = [p.strip() for p in args.params.split(",") if p.strip() and "=" not in p]
    if args.plot and len(tuned) != 2:
        raise InputError(
            f"--plot draws a phase diagram of two tuned parameters, not {len(tuned)}; "
            "fix the others with name=value (e.g. --params t=1,tp,tpp) or leave out --plot"
        )
    if args.ranges and not args.plot:
        raise InputError("--ranges sets the axes of the --plot phase diagram; add --plot FILE or leave out --ranges")
    ranges = _ranges(args.ranges)  # read before the computation: a typo fails at once
    result = tune(
        args.function,
        args.params,
        variables=args.vars,
        point=args.point,
        periods=args.periods,
        torus=not args.no_torus_check,
        timeout=_deadline(args),
    )
    if args.plot:
        from .reports.plot import plot_phase_diagram

        _wrote(plot_phase_diagram(result, ranges, file=args.plot), args.plot)
    return _render(result, args)


def _ranges(text):
    """{"tp": ("-1", "1"), ...} from "tp=-1:1,tpp=-1/2:1/2" (None for None)."""
    if text is None:
        return None
    ranges = {}
    for item in text.split(","):
        name, _, span = item.partition("=")
        low, colon, high = span.partition(":")
        if not (name.strip() and colon and low.strip() and high.strip()):
            raise InputError(f"cannot read the range {item.strip()!r}; write --ranges tp=-1:1,tpp=-1/2:1/2")
        ranges[name.strip()] = (parse_exact(low.strip(), floats=True), parse_exact(high.strip(), floats=True))
    return ranges


def _cmd_adjacency(args):
    try:
        result = adjacency(args.type, timeout=args.timeout)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if args.plot:
        from .reports.diagrams import plot_adjacency

        _wrote(plot_adjacency([args.type], file=args.plot), args.plot)
    return _render(result, args)


def _positive(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"the time limit must be between 0 and {MAX_TIMEOUT:g} seconds")
    return value


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"singularities: warning: {message}", file=sys.stderr)
