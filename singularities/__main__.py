"""``python -m singularities`` and the ``singularities`` console script: the command line.

``--version`` is answered here, before the command line (and with it sympy and
the engine) is imported, so that it is instant.
"""

import sys

__all__ = ["run"]


def run(argv=None):
    """Run the command line; return the exit code (``--version`` without importing the engine)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv in (["--version"], ["-V"]):
        from ._version import __version__

        print(f"singularities {__version__}")
        return 0
    from .cli import main

    return main(argv)


if __name__ == "__main__":
    raise SystemExit(run())
