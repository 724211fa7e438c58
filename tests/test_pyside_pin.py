"""PySide6 6.12.0 aborts CPython 3.11 ('Fatal Python error: none_dealloc') after a few thousand Qt
calls returning None. The project pins below 6.12; this test would catch the crash if it came back."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import PySide6


def test_pyside_is_pinned_below_6_12():
    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__


def test_many_none_returning_calls_do_not_abort():
    code = textwrap.dedent("""
        from PySide6.QtCore import QObject
        obj = QObject()
        for i in range(200_000):
            obj.setObjectName("n")
        print("survived")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout
