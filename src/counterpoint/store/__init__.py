"""The embedded store: SQLite schema and migrations, one writer, named queries, exports as tables.

``Store`` is the database; ``export`` writes its tables as Parquet, JSON Lines or CSV.
"""

from .export import FORMATS, export
from .store import Store
from .story_list import StoryRow

__all__ = ["FORMATS", "Store", "StoryRow", "export"]
