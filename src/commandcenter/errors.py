"""Errors every command reports the same way (a light module: the CLI imports it on any error)."""

from __future__ import annotations

ADVICE = "restore it from backup or move it aside (the collector then fills a new one)"


class CacheDamaged(Exception):
    """The cache database is corrupt (or a 0-byte file): no command can trust it."""

    def __init__(self, where: str, detail: str):
        super().__init__(f"the cache file {where} is damaged: {detail}; {ADVICE}")
        self.where = where
        self.detail = detail
