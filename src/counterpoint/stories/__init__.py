"""From single articles to stories: fingerprints, near-duplicates and online story clustering.

Pure functions and in-memory indexes; the store persists their state and ``run`` feeds them.
"""
