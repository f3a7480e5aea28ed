"""Real log canonical thresholds (layer 5): certificates, charts, the re-check, the
blow-up search, jets, the ``rlct`` dispatcher, boundary points, the global RLCT."""

__all__ = []
