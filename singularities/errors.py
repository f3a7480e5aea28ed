"""Exceptions and warnings raised by singularities.

Every error keeps the data it is about as attributes, builds its message in
``__str__``, ends that message with what to do next, and pickles (samplers run
in other processes).  Each class is also a builtin exception, so callers may
catch ``ValueError`` or ``TimeoutError``.
"""

__all__ = [
    "SingularitiesError",
    "InputError",
    "NotZeroError",
    "NotCriticalError",
    "TimeLimitError",
    "MemoryLimitError",
    "MethodNotApplicableError",
    "UnknownMethodError",
    "NumericError",
    "UndecidedSign",
    "RecheckError",
    "SingularitiesWarning",
    "InexactInputWarning",
    "NumericMismatchWarning",
]


class SingularitiesError(Exception):
    """Base class of every error raised by singularities."""

    def __init__(self, message=""):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message

    def __reduce__(self):
        return self.__class__, (self.message,)


class InputError(SingularitiesError, ValueError):
    """The input cannot be read as an exact analytic energy function.

    Raised for syntax errors, unknown functions or symbols, non-analytic
    functions (``Abs``, ``sign``, ``Max``, ``floor``, ...), float coefficients
    and malformed points, variables or parameters.
    """


class NotZeroError(SingularitiesError, ValueError):
    """The function does not vanish at the point where a zero is required.

    The RLCT is defined at zeros of g; ``value`` holds g(point).
    """

    def __init__(self, value, point):
        self.value, self.point = value, point
        super().__init__(str(self))

    def __str__(self):
        return (
            f"the function is {self.value} at the point ({', '.join(map(str, self.point))}), not 0; "
            f"the RLCT is taken at a zero: subtract the value (write 'f - ({self.value})') "
            "or choose a point of the zero set"
        )

    def __reduce__(self):
        return self.__class__, (self.value, self.point)


class NotCriticalError(SingularitiesError, ValueError):
    """The point given as a critical point does not satisfy grad f = 0.

    ``gradient`` holds the exact gradient at ``point``.
    """

    def __init__(self, gradient, point):
        self.gradient, self.point = gradient, point
        super().__init__(str(self))

    def __str__(self):
        return (
            f"the point {self.point} is not critical: the gradient there is {self.gradient}; "
            "omit the point to search for all critical points"
        )

    def __reduce__(self):
        return self.__class__, (self.gradient, self.point)


class TimeLimitError(SingularitiesError, TimeoutError):
    """A computation ran past its time limit.

    ``stage`` names the step that was running, ``seconds`` is the user's
    limit (``None``: none was set), ``step`` the internal budget of that step
    when it was the step's budget, not the user's limit, that ran out, and
    ``partial`` holds what was finished, if anything.
    """

    def __init__(self, stage, seconds, partial=None, step=None):
        self.stage, self.seconds, self.partial, self.step = stage, seconds, partial, step
        super().__init__(str(self))

    def __str__(self):
        if self.step is None:
            return (
                f"time limit of {_seconds(self.seconds)} reached during {self.stage}; "
                "raise the limit with timeout=... (CLI: --timeout SECONDS) or simplify the input"
            )
        overall = "no overall time limit" if self.seconds is None else f"time limit {_seconds(self.seconds)}"
        return (
            f"the step budget of {_seconds(self.step)} ran out during {self.stage} ({overall}); "
            "this step is bounded separately: simplify the input (fewer variables, lower degree)"
        )

    def __reduce__(self):
        return self.__class__, (self.stage, self.seconds, self.partial, self.step)


class MemoryLimitError(SingularitiesError, MemoryError):
    """A computation grew the process's resident size past the memory cap (docs/limits.md).

    ``stage`` names the step that was running, ``used`` the growth in bytes
    since the computation started, ``cap`` the cap in bytes and ``partial``
    what was finished, if anything.
    """

    def __init__(self, stage, used, cap, partial=None):
        self.stage, self.used, self.cap, self.partial = stage, used, cap, partial
        super().__init__(str(self))

    def __str__(self):
        used = "" if self.used is None else f" by {_bytes(self.used)}"
        cap = "" if self.cap is None else f" (cap {_bytes(self.cap)})"
        return (
            f"memory use grew{used}{cap} during {self.stage}; simplify the input (fewer variables, a smaller box), "
            "or raise the cap with the environment variable SINGULARITIES_MEMORY_LIMIT=16G (none: no cap)"
        )

    def __reduce__(self):
        return self.__class__, (self.stage, self.used, self.cap, self.partial)

    @classmethod
    def bad_setting(cls, value):
        """The error for an unreadable cap (raised as :class:`InputError`)."""
        return InputError(
            f"memory cap {value!r} is not a size; write bytes with K, M or G (e.g. 4G), or none for no cap"
        )


class MethodNotApplicableError(SingularitiesError):
    """A method was asked for explicitly but its hypotheses do not hold.

    ``method`` names the method and ``reason`` says which hypothesis failed.
    """

    def __init__(self, method, reason):
        self.method, self.reason = method, reason
        super().__init__(str(self))

    def __str__(self):
        return f"method {self.method!r} does not apply: {self.reason}"

    def __reduce__(self):
        return self.__class__, (self.method, self.reason)


class UnknownMethodError(InputError, MethodNotApplicableError):
    """A ``method=`` name that the function does not know.

    An :class:`InputError` (a ``ValueError``), and still a
    :class:`MethodNotApplicableError` for callers that catch that.
    ``method`` is the name given, ``choices`` the names allowed.
    """

    def __init__(self, method, choices):
        self.choices = tuple(choices)
        MethodNotApplicableError.__init__(self, method, f"unknown method; choose one of {', '.join(self.choices)}")

    def __str__(self):
        return f"unknown method {self.method!r}; choose one of {', '.join(self.choices)}"

    def __reduce__(self):
        return self.__class__, (self.method, self.choices)


def _seconds(value):
    return "none" if value is None else f"{value:g} s"


def _bytes(value):
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if abs(value) >= size:
            return f"{value / size:.3g} {unit}"
    return f"{value} bytes"


class NumericError(SingularitiesError):
    """A numeric computation failed to converge; the message names the knob to turn."""


class UndecidedSign(SingularitiesError, ValueError):
    """The sign of an exact number could not be decided exactly (``algebra.realroots.exact_sign``).

    Raised for a number that is not real, or one that is not algebraic and
    that sympy's precision-tracked evaluation and ``simplify`` do not settle.
    Callers that can do without the sign catch it and say "undecided".
    """


class RecheckError(SingularitiesError, AssertionError):
    """A step of a resolution certificate does not hold (raised by ``thresholds.recheck.recheck``).

    ``chart`` names the chart and ``step`` the failed check.  It is also an
    ``AssertionError``: a certificate that does not re-verify is a failed
    proof, never a result.
    """

    def __init__(self, chart, step):
        self.chart, self.step = chart, step
        super().__init__(str(self))

    def __str__(self):
        return f"chart {self.chart}: {self.step}"

    def __reduce__(self):
        return self.__class__, (self.chart, self.step)


class SingularitiesWarning(UserWarning):
    """Base class of the warnings issued by singularities."""


class InexactInputWarning(SingularitiesWarning):
    """Float input was converted to exact rationals on request (``exact=False``)."""


class NumericMismatchWarning(SingularitiesWarning):
    """A numeric estimate disagrees with the exact prediction it checks."""
