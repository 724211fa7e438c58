"""The HTTP feeds: what each department application answers, shaped like the real thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo
from typing import Any, Callable
from urllib.parse import urlencode

from commandcenter.simulator.data import KECAMATAN_BPS, CityData

BPS_VAR = 413
CKAN_RESOURCE = "b7e3c1d2-kunjungan-puskesmas"
CKAN_PACKAGE = "kunjungan-puskesmas-kota-binjai"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    fault: str = ""


@dataclass
class Reply:
    payload: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[CityData, Request], Any]


def sipd_realisasi(data: CityData, req: Request) -> Any:
    """Budget realisation per OPD per month, paged like SIPD exports (`?page=`, `per_page`)."""
    rows = data.realisasi_rows()
    page = max(1, _int(req.query.get("page"), 1))
    per_page = min(500, max(1, _int(req.query.get("per_page"), 50)))
    pages = max(1, -(-len(rows) // per_page))
    chunk = rows[(page - 1) * per_page: page * per_page]
    return {"status": "success", "tahun": data.year, "meta": {"page": page, "pages": pages, "total": len(rows)},
            "ringkasan": data.realisasi_city(), "ringkasan_bulanan": data.realisasi_city_months(), "data": chunk}


def bpkad_pad(data: CityData, req: Request) -> Any:
    if req.method != "POST":
        return Reply({"error": "gunakan POST"}, 405)
    return data.pad()


def lapor_rekap(data: CityData, req: Request) -> Any:
    auth = req.headers.get("authorization", "")
    if not auth.startswith("Bearer ") or len(auth) < 12:
        return Reply({"error": "token tidak valid"}, 401)
    return data.complaints()


def dukcapil(data: CityData, req: Request) -> Any:
    return data.dukcapil()


def rsud(data: CityData, req: Request) -> Any:
    return data.rsud()


def ckan(data: CityData, req: Request) -> Any:
    action = req.path.rsplit("/", 1)[-1]
    if action == "package_show":
        return _ckan_package(data, req)
    if action != "datastore_search":
        return Reply({"success": False, "error": {"message": "Action not found", "__type": "Not Found Error"}}, 404)
    if req.query.get("resource_id") != CKAN_RESOURCE:
        return Reply({"success": False, "error": {"message": "Not found: Resource was not found.",
                                                  "__type": "Not Found Error"}}, 404)
    rows = [{"_id": i + 1, **r} for i, r in enumerate(data.puskesmas())]
    offset, limit = _int(req.query.get("offset"), 0), min(1000, _int(req.query.get("limit"), 100))
    base = req.path
    nxt = f"{base}?{urlencode({'offset': offset + limit, 'limit': limit, 'resource_id': CKAN_RESOURCE})}"
    start = f"{base}?{urlencode({'limit': limit, 'resource_id': CKAN_RESOURCE})}"
    return {"help": "datastore_search", "success": True, "result": {
        "resource_id": CKAN_RESOURCE, "include_total": True, "total": len(rows), "limit": limit,
        "fields": [{"id": "_id", "type": "int"}, {"id": "tanggal", "type": "text"},
                   {"id": "kecamatan", "type": "text"}, {"id": "jumlah_kunjungan", "type": "text"}],
        "records": rows[offset: offset + limit], "_links": {"start": start, "next": nxt}}}


def _ckan_package(data: CityData, req: Request) -> Any:
    # Changes once a day; under a fault it changes every call so the collector fetches (and fails).
    modified = datetime.now(timezone.utc).isoformat() if req.fault else _daily_update(data)
    return {"success": True, "result": {
        "id": CKAN_PACKAGE, "name": CKAN_PACKAGE, "title": "Jumlah Kunjungan Puskesmas per Kecamatan",
        "metadata_modified": modified, "organization": {"name": "dinas-kesehatan", "title": "Dinas Kesehatan"},
        "resources": [{"id": CKAN_RESOURCE, "format": "CSV", "datastore_active": True}]}}


def _daily_update(data: CityData) -> str:
    """The dataset is updated at 06:00 city time each day; CKAN writes UTC without a zone. Before
    today's 06:00 the newest update is yesterday's (never a time that has not come)."""
    zone = ZoneInfo(data.cfg.city.timezone)
    update = datetime.combine(data.day, time(6), zone)
    now = datetime.now(timezone.utc)
    if update > now:
        update -= timedelta(days=1)
    return update.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def bps(data: CityData, req: Request) -> Any:
    parts = req.path.strip("/").split("/")
    try:
        domain, var = parts[parts.index("domain") + 1], int(parts[parts.index("var") + 1])
        key = parts[parts.index("key") + 1]
    except (ValueError, IndexError):
        return Reply({"status": "Error", "message": "Invalid request"}, 400)
    if not key:
        return Reply({"status": "Error", "message": "Invalid key"}, 401)
    if domain != "1275" or var != BPS_VAR or req.fault == "not_available":
        return {"status": "OK", "data-availability": "not-available", "data": ""}
    years = list(range(data.year - 4, data.year))  # BPS publishes with a year's delay
    content: dict[str, Any] = {}
    for y in years:
        pop = data.population(y)
        for code, count in pop.items():
            content[f"{code}{BPS_VAR}0{y - 1900}0"] = count
    vervar = [{"val": int(code), "label": name} for code, name, _ in KECAMATAN_BPS]
    vervar.append({"val": 1275, "label": "Kota Binjai"})
    return {"status": "OK", "data-availability": "available", "last_update": f"{data.year}-02-27",
            "subject": [{"val": 12, "label": "Kependudukan"}],
            "var": [{"val": BPS_VAR, "label": "Jumlah Penduduk Menurut Kecamatan", "unit": "Jiwa", "subj": "Kependudukan",
                     "decimal": "0", "note": "Proyeksi penduduk (simulasi)"}],
            "turvar": [{"val": 0, "label": "Tidak ada"}], "labelvervar": "Kecamatan", "vervar": vervar,
            "tahun": [{"val": y - 1900, "label": str(y)} for y in years],
            "turtahun": [{"val": 0, "label": "Tahun"}], "datacontent": content}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# feed name -> (path prefix, handler). Feed names are the demo's source ids.
HTTP_FEEDS: dict[str, tuple[str, Handler]] = {
    "sipd-realisasi": ("/sipd/realisasi", sipd_realisasi),
    "bpkad-pad": ("/bpkad/pad", bpkad_pad),
    "lapor-pengaduan": ("/lapor/rekap", lapor_rekap),
    "dukcapil-capaian": ("/dukcapil/capaian", dukcapil),
    "rsud-indikator": ("/rsud/indikator", rsud),
    "satudata-puskesmas": ("/ckan/api/3/action/", ckan),
    "bps-penduduk": ("/bps/v1/api/", bps),
}
FILE_FEEDS = ("dpmptsp-izin", "spm-capaian")
SQL_FEEDS = ("simda-belanja",)
FAULTS = ("slow", "http500", "malformed", "html", "truncated", "wrong_types", "empty", "not_available")

