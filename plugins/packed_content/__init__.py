from .packed_content import register

__all__ = ["register"]
