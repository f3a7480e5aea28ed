"""Band dispersions (layer 6): DOS asymptotics, trigonometric dispersions on a torus, tuning."""

__all__ = []
