"""Raw input to ``Article``: text files, HTML pages, URLs, JSON(L) records, WARC archives and feeds, cleaned.

This package and ``store``/``cli`` are the only ones that do I/O.
"""

from .clean import Cleaned, clean_text
from .load import load_source, load_sources
from .stream import iter_sources

__all__ = ["Cleaned", "clean_text", "iter_sources", "load_source", "load_sources"]
