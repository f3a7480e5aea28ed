"""Local analysis at a point (layer 4): critical points, the splitting lemma, normal forms, classification,
adjacency."""

__all__ = []
