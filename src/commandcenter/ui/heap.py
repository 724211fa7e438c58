"""Give the wall's freed memory back to the operating system (Linux with glibc; elsewhere both
functions do nothing and say so).

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
