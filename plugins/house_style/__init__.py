from .house_style import register

__all__ = ["register"]
