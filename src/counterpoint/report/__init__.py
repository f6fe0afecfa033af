"""Renderers: they only read a ``Comparison``."""

from .html import render_html, render_html_body, report_asset
from .json import render_json
from .terminal import render_terminal

__all__ = ["render_html", "render_html_body", "render_json", "render_terminal", "report_asset"]
