from .archive_lists import register

__all__ = ["register"]
