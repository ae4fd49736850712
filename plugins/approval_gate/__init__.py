from .approval_gate import register

__all__ = ["register"]
