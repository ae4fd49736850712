from .abbreviations import register

__all__ = ["register"]
