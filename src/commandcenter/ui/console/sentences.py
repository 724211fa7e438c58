"""The console's log in plain sentences and the city's time: an audit entry becomes
"21.03 WIB · sari@meja-1: tampilkan adegan Ringkasan (dinding utama)"."""

from __future__ import annotations

from typing import Any

from commandcenter import fmt
from commandcenter.i18n import tr

ID = {
    "show_scene": "dinding menampilkan {scene}", "choose_scene": "pilih adegan {scene}",
    "next_scene": "adegan berikutnya", "previous_scene": "adegan sebelumnya", "pause": "rotasi dijeda",
    "play": "rotasi diputar lagi", "override": "sematkan {what}", "release_override": "sematan dilepas",
    "set_dwell": "durasi adegan diubah menjadi {seconds} detik", "freeze": "briefing dimulai, data dibekukan",
    "unfreeze": "briefing selesai, kembali live", "replay": "putar ulang keadaan {when}",
    "spotlight": "sorot {what}", "leave_spotlight": "sorotan ditutup", "blank": "layar {blank}",
    "interrupt": "peringatan menyela rotasi: {scene}", "acknowledge": "peringatan diakui{note}",
    "refresh": "minta segarkan sumber {source}", "export": "ekspor tersimpan: {file}",
    "command": "perintah {verb} dikirim ke {wall}", "note": "catatan untuk OPD {what}: {text}",
}
VERBS_ID = {"show_scene": "tampilkan adegan", "next": "berikutnya", "previous": "sebelumnya", "play": "putar",
            "pause": "jeda", "pin": "sematkan", "release": "lepas sematan", "freeze": "mulai briefing",
            "end_briefing": "akhiri briefing", "refreeze": "bekukan ulang", "replay": "putar ulang",
            "spotlight_opd": "sorot OPD", "spotlight_panel": "sorot panel", "leave_spotlight": "tutup sorotan",
            "blank": "layar hitam", "key": "tombol presenter", "refresh": "segarkan sumber", "set_dwell": "ubah durasi"}


def sentence(entry: Any, cfg: Any, lang: str = "id") -> str:
    """One audit entry as a line an operator reads without a manual."""
    d = dict(entry.detail or {})
    template = ID.get(entry.action)
    template = tr(template, lang) if template else None  # English from the one catalog
    when = fmt.clock(entry.ts, cfg.city.timezone, cfg.city.zone_label, lang)
    if template is None:
        return f"{when} · {entry.actor}: {entry.action}"
    fields = _fields(d, cfg, lang)
    try:
        text = template.format(**fields)
    except (KeyError, IndexError):
        text = template.split("{")[0].strip()
    return f"{when} · {entry.actor}: {text}"


def _fields(d: dict[str, Any], cfg: Any, lang: str) -> dict[str, Any]:
    scene = scene_title(cfg, d.get("scene"), lang)
    what = scene_title(cfg, d.get("scene"), lang) if d.get("scene") else (d.get("playlist") or d.get("opd") or "")
    if d.get("opd"):
        o = cfg.opd_by_code.get(d["opd"])
        what = (o.short or o.name) if o else d["opd"]
    if d.get("panel"):
        what = f"{what} / {d['panel']}"
    when = fmt.datetime_short(d["as_of"], cfg.city.timezone, cfg.city.zone_label, lang) if d.get("as_of") else ""
    blank = ("hitam" if d.get("blank") else "kembali tampil") if lang == "id" else ("blank" if d.get("blank") else "back")
    note = f" — “{d['note']}”" if d.get("note") else ""
    if d.get("count", 0) > 1:
        note = f" ({d['count']}){note}"
    verb = d.get("verb", "")
    verb = VERBS_ID.get(verb, verb) if lang == "id" else verb.replace("_", " ")
    wall = d.get("wall") or ""
    wall = ("semua dinding" if lang == "id" else "every wall") if wall == "*" else wall
    return {"scene": scene, "what": what, "when": when, "blank": blank, "note": note, "verb": verb, "wall": wall,
            "seconds": d.get("seconds", ""), "source": _source(cfg, d.get("source")), "file": d.get("file", ""),
            "text": d.get("text", "")}


def scene_title(cfg: Any, key: str | None, lang: str = "id") -> str:
    if not key:
        return ""
    from commandcenter.wall.briefing import scene_of

    scene = scene_of(cfg, key)  # a spotlight's or a generated OPD scene's title too
    if scene is None:
        return key
    return scene.title_en if lang == "en" and getattr(scene, "title_en", None) else scene.title


def _source(cfg: Any, sid: str | None) -> str:
    if not sid:
        return ""
    src = cfg.source_by_id.get(sid) if hasattr(cfg, "source_by_id") else None
    return (src.name or sid) if src else sid
