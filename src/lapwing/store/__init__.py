"""The event store: SQLite with migrations; ingest, queries, stories and exports build on it."""

from .migrations import LATEST, MIGRATIONS, Migration
from .store import Store, date_range

__all__ = ["LATEST", "MIGRATIONS", "Migration", "Store", "date_range"]
