"""Raw input to ``Article``: text files, HTML pages, URLs and JSON(L) records, cleaned of non-body text.

This package and ``store``/``cli`` are the only ones that do I/O.
"""

from .clean import Cleaned, clean_text
from .load import load_source, load_sources

__all__ = ["Cleaned", "clean_text", "load_source", "load_sources"]
