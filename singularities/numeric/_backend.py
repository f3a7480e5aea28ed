"""Where kernels run: the C compiler (if any), the CPU, the thread count and the per-user cache directory.

Environment variables (each read at call time, so tests can change them):

- ``SINGULARITIES_NO_COMPILER=1`` hides every compiler (the numpy backend is used);
- ``CC`` names the compiler; if it names nothing on the ``PATH`` no compiler is used;
- ``SINGULARITIES_CACHE`` overrides the cache directory (default
  ``$XDG_CACHE_HOME/singularities`` or ``~/.cache/singularities``); if it
  cannot be created or written (a file is in the way, no permission), kernels
  go to a temporary directory for this process, with one warning;
- ``SINGULARITIES_THREADS`` caps the default thread count.
"""

import os
import pathlib
import platform
import shlex
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from functools import cache

from .._limits import BUDGETS
from ..errors import SingularitiesWarning

__all__ = [
    "Compiler",
    "find_compiler",
    "cpu_model",
    "default_threads",
    "cache_directory",
    "usable_cache_directory",
    "warn_once",
]

_WARNED = set()
_TEMPORARY = {}


@dataclass(frozen=True, slots=True)
class Compiler:
    """A C compiler: its executable, any arguments given in ``$CC``, and its ``--version`` line."""

    path: str
    arguments: tuple
    version: str

    @property
    def command(self):
        """The command prefix to run the compiler."""
        return [self.path, *self.arguments]


def find_compiler():
    """The C compiler to use, or ``None`` if none is found or compilers are hidden.

    Examples
    --------
    >>> from singularities.numeric._backend import find_compiler
    >>> compiler = find_compiler()
    >>> compiler is None or compiler.version != ""
    True
    """
    if os.environ.get("SINGULARITIES_NO_COMPILER", "").strip() not in ("", "0"):
        return None
    requested = os.environ.get("CC", "").strip()
    words = shlex.split(requested) if requested else []
    candidates = [words[0]] if words else ["cc", "gcc", "clang"]
    for name in candidates:
        path = shutil.which(name)
        if path is not None:
            version = _version(path)
            if version is not None:
                return Compiler(path, tuple(words[1:]), version)
    return None


@cache
def cpu_model():
    """A description of this CPU (model name and instruction-set flags), part of the cache key."""
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return f"{platform.machine()} {platform.processor()}"
    fields = dict(_field(line) for line in text.splitlines() if ":" in line)
    return f"{fields.get('model name', platform.machine())} | {fields.get('flags', '')}"


def default_threads():
    """The number of CPUs this process may use, capped by ``$SINGULARITIES_THREADS``."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    cap = os.environ.get("SINGULARITIES_THREADS", "").strip()
    return max(1, min(available, int(cap))) if cap.isdigit() and int(cap) > 0 else available


def cache_directory():
    """The per-user kernel cache: ``$SINGULARITIES_CACHE``, else ``$XDG_CACHE_HOME/singularities``."""
    override = os.environ.get("SINGULARITIES_CACHE", "").strip()
    if override:
        return pathlib.Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(pathlib.Path.home() / ".cache")
    return pathlib.Path(base).expanduser() / "singularities"


def usable_cache_directory():
    """:func:`cache_directory` if it can be created and written, else a temporary directory for this process.

    The fallback is announced once per process with a :class:`SingularitiesWarning`
    that names the unusable directory and the variables that choose it.

    Examples
    --------
    >>> from singularities.numeric._backend import usable_cache_directory
    >>> usable_cache_directory().is_dir()
    True
    """
    wanted = cache_directory()
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=wanted, prefix=".probe-")
        probe.close()
        return wanted
    except OSError as exc:
        if "directory" not in _TEMPORARY:
            _TEMPORARY["directory"] = pathlib.Path(tempfile.mkdtemp(prefix="singularities-kernels-"))
        warn_once(
            f"cache {wanted}",
            f"the kernel cache {wanted} is not usable ({exc.strerror or exc}); compiled kernels "
            f"go to {_TEMPORARY['directory']} for this process only: point SINGULARITIES_CACHE (or "
            f"XDG_CACHE_HOME) at a writable folder to keep them",
        )
        return _TEMPORARY["directory"]


def warn_once(key, message):
    """Issue ``message`` as a :class:`SingularitiesWarning` the first time ``key`` is seen in this process."""
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(message, SingularitiesWarning, stacklevel=3)


@cache
def _version(path):
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=BUDGETS.compiler_version, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else None


def _field(line):
    key, _, value = line.partition(":")
    return key.strip(), value.strip()
