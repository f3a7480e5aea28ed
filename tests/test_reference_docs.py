"""docs/cli.md and docs/api.md are generated from the parser and the docstrings; they must be current."""

import importlib.util
import pathlib

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_reference", DOCS / "generate_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    assert (DOCS / "cli.md").read_text() == _generator().cli_reference(), "run: python docs/generate_reference.py"


def test_api_reference_is_current():
    assert (DOCS / "api.md").read_text() == _generator().api_reference(), "run: python docs/generate_reference.py"


def test_every_subcommand_and_public_name_is_documented():
    import singularities
    from singularities.cli import build_parser

    cli, api = (DOCS / "cli.md").read_text(), (DOCS / "api.md").read_text()
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices  # noqa: SLF001
    assert all(f"## `singularities {name}`" in cli for name in commands)
    assert all(f"`{name}" in api for name in singularities.__all__)
