from .stable_pagination import register

__all__ = ["register"]
