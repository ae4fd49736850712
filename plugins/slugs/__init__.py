from .slugs import register

__all__ = ["register"]
