"""The console's words: Bahasa Indonesia by default, English on request (`tr(text, lang)`).

Keys are the Indonesian text itself, so the code reads in the operator's language and a missing
English entry falls back to Indonesian rather than to a key.
"""

from __future__ import annotations

EN = {
    "Konsol Operator": "Operator console",
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
    "ditolak": "rejected",
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
    "Waktu di masa depan: diputar ulang per sekarang": "A time in the future: replayed as of now",
    "Tersimpan": "Saved",
    "Halaman": "Page",
    "Dicetak": "Printed",
    "Waktu data": "Data as of",
    "Panel": "Panel",
    "Nilai": "Value",
    "Keluar": "Quit",
    "normal": "normal",
    "aktif": "active",
    "terlambat": "late",
    "kedaluwarsa": "stale",
    "gagal": "failing",
    "belum jalan": "never run",
    "menyala": "firing",
    "diakui": "acknowledged",
    "Dinding": "Walls",
    "Rotasi": "Rotation",
    "Semua dinding": "All walls",
    "Terakhir terdengar": "Last heard",
    "hidup": "live",
    "diam": "silent",
    "beku": "frozen",
    "hitam": "blank",
    "Kirim ke": "Send to",
    "Akui terpilih": "Acknowledge selected",
    "Akui semua": "Acknowledge all",
    "Catatan (opsional)": "Note (optional)",
    "Kritis": "Critical",
    "Info": "Info",
    "Sumber bermasalah": "Sources in trouble",
    "Dinding diam": "Silent walls",
    "Semua sumber dan dinding normal": "All sources and walls normal",
    "belum ada laporan": "no report yet",
    "Perlu tindakan": "Needs action",
    "Layar": "Screens",
    "Sorotan": "Spotlight",
    "Tidak ada dinding yang melapor": "No wall has reported",
    "Tutup konsol?": "Close the console?",
    "Dinding tetap berjalan. Tutup hanya konsol ini?": "The wall keeps running. Close only this console?",
    "kritis": "critical",
    "peringatan": "warning",
    "info": "info",
    "terganggu": "in trouble",
    "dijalankan": "carried out",
}
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
    return EN.get(text, text) if lang == "en" else text


def state_word(state: str, lang: str = "id") -> str:
    return tr(STATE_WORDS.get(state, state), lang)


def marked(state: str, lang: str = "id", word: str | None = None) -> tuple[str, str]:
    """(`"✕ gagal"`, colour) for a state: a shape and a word as well as a colour."""
    shape, color = STATE_MARKS.get(state, ("●", "#a3b1c6"))
    return f"{shape} {word if word is not None else state_word(state, lang)}", color


def reason_word(reason: str, lang: str = "id") -> str:
    return tr(REASON_WORDS.get(reason, reason), lang)
