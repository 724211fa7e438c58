"""Keep the wall's memory flat over months: freed memory goes back to the operating system
(Linux with glibc; elsewhere `tune` and `release` do nothing and say so) and SQLite's caches in
the wall's process are bounded as a whole.

Every panel keeps its card in a pixmap of its own size (0.5-8 MB on a 1080p monitor) and a scene
change frees a whole scene's worth and allocates the next one's. glibc serves blocks that big
with their own mappings, returned at `free`, until it sees one freed: then it raises its mmap
threshold to that size (up to 32 MB) and from there on carves pixmaps out of the heap, where the
holes they leave between long-lived small allocations are not returned. On the 4-screen wall
rotating its scenes that cost several MB of RSS per rotation, at random (benchmarks/memory.py):
`tune()` keeps the threshold where glibc starts it, and `release()` (after a scene change)
returns the free pages the heap does hold.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

M_MMAP_THRESHOLD = -3  # mallopt parameter numbers from glibc's <malloc.h>
SQLITE_SOFT_HEAP = 4 * 2**20  # SQLite's heap in the whole process (page caches give way above it)
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value; a card pixmap is always above it

_libc: Any = None
_tuned = False


def _glibc() -> Any:
    """libc when it is glibc (musl and others have no mallopt/malloc_trim), else None."""
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(None)
                libc.gnu_get_libc_version  # only glibc has it
                libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                libc.malloc_trim.argtypes = [ctypes.c_size_t]
                _libc = libc
            except (OSError, AttributeError):
                pass
    return _libc or None


def tune() -> bool:
    """Keep big blocks (pixmaps, images) in mappings of their own, returned when freed: a fixed
    mmap threshold, which also stops glibc from raising it. Once per process; True if done."""
    global _tuned
    libc = _glibc()
    if libc is None:
        return False
    if not _tuned:
        _tuned = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    return _tuned


def release() -> bool:
    """Return the free pages of every malloc arena to the system (malloc_trim: a few ms for
    the wall's heap). Worth it after a scene change, when the old scene's widgets are gone."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def bound_sqlite(cache: Any) -> bool:
    """SQLite keeps a page cache of up to 2 MB in every pooled connection (5 kept, 15 at most)
    and each slowly fills as the cache file grows: ~5 MB of the wall's growth over 10,000 runs
    (benchmarks/memory.py). A soft heap limit bounds SQLite's memory in the process as a whole;
    past it, page caches recycle their pages. The wall loses nothing by it: the file's pages
    are in the operating system's cache anyway, and with a collector committing every few
    seconds a WAL reader's cache is mostly reset before it is reused. The limit is per process
    (the library's), so any connection sets it: an in-memory one, not the cache's."""
    if getattr(cache, "dialect", "sqlite") != "sqlite":
        return False
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA soft_heap_limit={SQLITE_SOFT_HEAP}")
    finally:
        conn.close()
    return True
