"""Newton polyhedra (layer 3): the polyhedron of a function or an ideal and its real non-degeneracy."""

__all__ = []
