"""The local cache the wall always draws from (SQLite by default, PostgreSQL for bigger rooms)."""

from commandcenter.cache.records import (
    CITY_WIDE, AlertRecord, AuditEntry, LatestValue, NoteRecord, RunRecord, Sample, Series, SourceRuns,
)
from commandcenter.cache.store import Cache

__all__ = ["CITY_WIDE", "AlertRecord", "AuditEntry", "Cache", "LatestValue", "NoteRecord", "RunRecord", "Sample", "Series", "SourceRuns"]
