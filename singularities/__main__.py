"""``python -m singularities``: the command line."""

from .cli import main

raise SystemExit(main())
