"""Renderers: they only read a ``Comparison``."""

from .html import render_html
from .json import render_json
from .terminal import render_terminal

__all__ = ["render_html", "render_json", "render_terminal"]
