"""The console's words: Bahasa Indonesia by default, other languages from the one gettext catalog
(commandcenter.i18n) via `tr(text, lang)`; a missing entry falls back to Indonesian, never a key.
"""

from __future__ import annotations

from commandcenter import i18n as catalog

STATE_WORDS = {"ok": "ok", "late": "terlambat", "stale": "kedaluwarsa", "failing": "gagal",
               "never-run": "belum jalan", "firing": "menyala", "acknowledged": "diakui"}
REASON_WORDS = {"rotation": "rotasi", "manual": "manual", "paused": "dijeda", "override": "disematkan",
                "interrupt": "interupsi peringatan"}


def tr(text: str, lang: str = "id") -> str:
    return catalog.tr(text, lang)


def state_word(state: str, lang: str = "id") -> str:
    return tr(STATE_WORDS.get(state, state), lang)


def reason_word(reason: str, lang: str = "id") -> str:
    return tr(REASON_WORDS.get(reason, reason), lang)
