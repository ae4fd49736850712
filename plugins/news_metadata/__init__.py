from .news_metadata import register

__all__ = ["register"]
