"""Numeric checks of the exact predictions: the only place for numpy arrays and compiled C.

Everything here is a measurement with a stated precision (an interval, a
standard error, the number of samples, the seed and the backend); the exact
side of the package never imports it.
"""

__all__ = []
