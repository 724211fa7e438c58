"""The console's words: Bahasa Indonesia by default, other languages from the one gettext catalog
(commandcenter.i18n) via `tr(text, lang)`; a missing entry falls back to Indonesian, never a key.
"""

from __future__ import annotations

from commandcenter import i18n as catalog

STATE_WORDS = {"ok": "normal", "late": "terlambat", "stale": "kedaluwarsa", "failing": "gagal",
               "never-run": "belum jalan", "firing": "aktif", "acknowledged": "diakui",
               "critical": "kritis", "warning": "peringatan", "info": "info"}
# colour + shape for every state an operator reads (never colour alone)
STATE_MARKS = {"ok": ("●", "#22c55e"), "late": ("▲", "#fbbf24"), "stale": ("◆", "#f97316"),
               "failing": ("✕", "#ef4444"), "never-run": ("○", "#94a3b8"), "firing": ("▲", "#f97316"),
               "acknowledged": ("✓", "#94a3b8"), "critical": ("✕", "#ef4444"), "warning": ("▲", "#fbbf24"),
               "info": ("●", "#38bdf8"), "live": ("●", "#22c55e"), "silent": ("■", "#ef4444"),
               "frozen": ("❄", "#38bdf8"), "blank": ("■", "#94a3b8"), "paused": ("❚❚", "#fbbf24")}
REASON_WORDS = {"rotation": "rotasi", "manual": "manual", "paused": "dijeda", "override": "disematkan",
                "interrupt": "interupsi peringatan"}


def tr(text: str, lang: str = "id") -> str:
    return catalog.tr(text, lang)


def state_word(state: str, lang: str = "id") -> str:
    return tr(STATE_WORDS.get(state, state), lang)


def marked(state: str, lang: str = "id", word: str | None = None) -> tuple[str, str]:
    """(`"✕ gagal"`, colour) for a state: a shape and a word as well as a colour."""
    shape, color = STATE_MARKS.get(state, ("●", "#a3b1c6"))
    return f"{shape} {word if word is not None else state_word(state, lang)}", color


def reason_word(reason: str, lang: str = "id") -> str:
    return tr(REASON_WORDS.get(reason, reason), lang)
