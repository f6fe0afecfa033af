"""``counterpoint serve``: a web app over the store to browse stories and compare coverage."""

from .app import create_app

__all__ = ["create_app"]
