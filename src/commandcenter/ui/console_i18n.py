"""The console's words: Bahasa Indonesia by default, English on request (`tr(text, lang)`).

Keys are the Indonesian text itself, so the code reads in the operator's language and a missing
English entry falls back to Indonesian rather than to a key.
"""

from __future__ import annotations

EN = {
    "Konsol Operator": "Operator console",
    "Catatan OPD": "OPD notes",
    "Catatan": "Note",
    "Simpan catatan": "Save note",
    "mis. lelang ulang paket jalan": "e.g. road package re-tendered",
    "Periode": "Period",
    "Layar dinding": "Wall screens",
    "Adegan": "Scenes",
    "Tampilkan": "Show",
    "Sematkan": "Pin",
    "Lepas sematan": "Release pin",
    "Putar": "Play",
    "Jeda": "Pause",
    "Berikutnya": "Next",
    "Sebelumnya": "Previous",
    "Daftar putar": "Playlist",
    "Durasi": "Dwell",
    "Jadwal": "Schedule",
    "Sumber data": "Data sources",
    "Sumber": "Source",
    "Status": "State",
    "Sukses terakhir": "Last success",
    "Galat terakhir": "Last error",
    "Jalan berikutnya": "Next run",
    "Segarkan sekarang": "Refresh now",
    "Peringatan": "Alerts",
    "Akui": "Acknowledge",
    "Tingkat": "Severity",
    "Pesan": "Message",
    "Sejak": "Since",
    "Log": "Log",
    "Mode briefing": "Briefing mode",
    "Mulai briefing (bekukan)": "Start briefing (freeze)",
    "Akhiri briefing (live)": "End briefing (live)",
    "Bekukan ulang": "Freeze again",
    "Sorot OPD": "Spotlight OPD",
    "Sorot panel": "Spotlight panel",
    "Tutup sorotan": "Leave spotlight",
    "Layar hitam": "Blank",
    "Putar ulang": "Replay",
    "Ekspor PNG": "Export PNG",
    "Ekspor PDF": "Export PDF",
    "Sekarang": "Now",
    "Berikutnya dalam": "Next in",
    "detik": "s",
    "LIVE": "LIVE",
    "DIBEKUKAN": "FROZEN",
    "data per": "data as of",
    "alasan": "reason",
    "rotasi": "rotation",
    "manual": "manual",
    "dijeda": "paused",
    "disematkan": "pinned",
    "interupsi peringatan": "alert interrupt",
    "Tidak ada adegan pada saat itu": "No scene recorded at that moment",
    "Tersimpan": "Saved",
    "Halaman": "Page",
    "Dicetak": "Printed",
    "Waktu data": "Data as of",
    "Panel": "Panel",
    "Nilai": "Value",
    "Keluar": "Quit",
    "ok": "ok",
    "terlambat": "late",
    "kedaluwarsa": "stale",
    "gagal": "failing",
    "belum jalan": "never run",
    "menyala": "firing",
    "diakui": "acknowledged",
}
STATE_WORDS = {"ok": "ok", "late": "terlambat", "stale": "kedaluwarsa", "failing": "gagal",
               "never-run": "belum jalan", "firing": "menyala", "acknowledged": "diakui"}
REASON_WORDS = {"rotation": "rotasi", "manual": "manual", "paused": "dijeda", "override": "disematkan",
                "interrupt": "interupsi peringatan"}


def tr(text: str, lang: str = "id") -> str:
    return EN.get(text, text) if lang == "en" else text


def state_word(state: str, lang: str = "id") -> str:
    return tr(STATE_WORDS.get(state, state), lang)


def reason_word(reason: str, lang: str = "id") -> str:
    return tr(REASON_WORDS.get(reason, reason), lang)
