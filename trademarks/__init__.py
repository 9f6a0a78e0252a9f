"""The trademark registry: list formats, the bundled list, the SQLite store and fetching.

This package knows nothing of the scanner; ``scanner`` imports it, never the other way.
"""

from trademarks.models import Mark

__all__ = ["Mark"]
