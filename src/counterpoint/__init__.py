"""counterpoint: compare how different news outlets report the same event."""

from .api import analyze, compare, load
from .errors import CounterpointError
from .model import Analysis, Article, Comparison, Mention, Statement
from .settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "Comparison",
    "CounterpointError",
    "Mention",
    "Settings",
    "Statement",
    "analyze",
    "compare",
    "load",
    "load_settings",
]
