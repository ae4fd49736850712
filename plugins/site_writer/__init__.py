from .site_writer import register

__all__ = ["register"]
