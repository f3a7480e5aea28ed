"""Real log canonical thresholds (layer 5): the ``rlct`` dispatcher, blow-up search and re-check, jets, global RLCT.
"""

__all__ = []
