"""Reports (layer 8): the catalogue, tables for papers and plots; they render results, they compute nothing new."""

__all__ = []
