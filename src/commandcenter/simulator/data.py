"""Deterministic, plausible numbers for the demo city, per (date, seed).

Budget realisation follows the usual Indonesian S-curve (slow first semester, a rush in Q4),
some OPDs lagging badly; PAD by levy type runs close to linear; complaints, civil registry,
hospital and puskesmas figures stay within the ranges real reports show. Every value is a
pure function of (seed, date, OPD...), so a test can rebuild exactly what the simulator served.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Pagu ranges (Rp miliar) by OPD kind; big dinas get their own.
_PAGU_M = {"disdik": (240, 290), "dinkes": (140, 175), "rsud": (120, 150), "putr": (120, 170),
           "setda": (80, 110), "bpkad": (60, 90), "disperkim": (50, 80)}
_PAGU_KIND_M = {"kecamatan": (8, 14), "sekretariat": (40, 70), "inspektorat": (8, 12), "badan": (12, 35),
                "satpol": (15, 25), "rsud": (140, 170), "dinas": (12, 45), "kelurahan": (1, 3), "lainnya": (5, 15)}
# Annual PAD targets (Rp) by levy type, roughly Kota Binjai's scale.
LEVIES = [
    ("Pajak Hotel", 1.1e9), ("Pajak Restoran", 9.5e9), ("Pajak Hiburan", 1.4e9), ("Pajak Reklame", 3.2e9),
    ("Pajak Penerangan Jalan", 26.0e9), ("Pajak Parkir", 0.9e9), ("Pajak Air Tanah", 0.45e9),
    ("PBB-P2", 12.5e9), ("BPHTB", 15.0e9), ("Retribusi Persampahan", 2.1e9),
    ("Retribusi Parkir Tepi Jalan Umum", 1.6e9), ("Retribusi Persetujuan Bangunan Gedung", 2.4e9),
    ("Lain-lain PAD yang Sah", 31.0e9),
]
# Why a lagging OPD says it lags (the "keterangan" column of a SIPD realisation export).
_CAUSES = ["Lelang ulang paket jalan, kontrak baru ditandatangani", "Menunggu pencairan DAK fisik tahap II",
           "Revisi DPA belum disahkan", "Pengadaan lahan belum tuntas", "Gagal lelang konsultan pengawas"]
# Complaint volume weight per OPD (LAPOR! reports cluster on roads, transport, waste, ID cards).
_COMPLAINT_WEIGHT = {"putr": 6, "dishub": 4, "dlh": 5, "disdukcapil": 4, "satpolpp": 3, "dinkes": 3,
                     "rsud": 3, "disdik": 3, "disperkim": 3, "dinsos": 2, "bpkad": 1.5, "dpmptsp": 1.5}
# BPS kecamatan codes of Kota Binjai and a 2020-census-like population base.
KECAMATAN_BPS = [("1275010", "Binjai Selatan", 52_400), ("1275020", "Binjai Kota", 30_900),
                 ("1275030", "Binjai Timur", 66_300), ("1275040", "Binjai Utara", 87_900),
                 ("1275050", "Binjai Barat", 54_800)]
SPM_AREAS = {"disdik": "Pendidikan", "dinkes": "Kesehatan", "putr": "Pekerjaan Umum",
             "disperkim": "Perumahan Rakyat", "satpolpp": "Ketenteraman, Ketertiban Umum dan Linmas",
             "dinsos": "Sosial"}


def rng(seed: int, *parts: Any) -> random.Random:
    """A generator fixed by the seed and the parts (str seeding is stable across runs)."""
    return random.Random(":".join([str(seed)] + [str(p) for p in parts]))


def year_fraction(day: date) -> float:
    days = 366 if calendar.isleap(day.year) else 365
    return min(1.0, day.timetuple().tm_yday / days)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class OpdBudget:
    code: str
    name: str
    pagu: float
    curve: float  # exponent of the S-curve; above ~2 the OPD lags (under 30% mid-year)
    final: float  # share absorbed by 31 Dec
    lead: float  # physical ahead of financial, percentage points

    def keuangan(self, t: float) -> float:
        return round(100 * self.final * t ** self.curve, 2)

    def fisik(self, t: float) -> float:
        k = self.keuangan(t)
        return round(min(100.0, k + self.lead * min(1.0, t * 4)), 2)


class CityData:
    def __init__(self, cfg: Any, day: date, seed: int = 0):
        self.cfg = cfg
        self.day = day
        self.seed = seed
        self.year = day.year
        self.opds = [o for o in cfg.opds if o.active_on(day)]
        self.kecamatan = [o for o in self.opds if o.kind == "kecamatan"]

    # -- budget ---------------------------------------------------------------------------------
    def budget(self, opd: Any) -> OpdBudget:
        r = rng(self.seed, self.year, "budget", opd.code)
        lo, hi = _PAGU_M.get(opd.code) or _PAGU_KIND_M.get(opd.kind, (10, 30))
        pagu = round(r.uniform(lo, hi) * 1e9, -6)
        lagging = r.random() < 0.22
        # most OPDs track the plan (a few points behind by December); about one in five lags badly
        curve = r.uniform(2.15, 2.6) if lagging else r.uniform(1.0, 1.35)
        return OpdBudget(opd.code, opd.name, pagu, curve, r.uniform(0.90, 0.985), r.uniform(-1.5, 13.0))

    def budget_months(self) -> list[tuple[date, float]]:
        """(as-of date, year fraction) per month so far; the current month is as of today."""
        out = []
        for m in range(1, self.day.month + 1):
            d = self.day if m == self.day.month else month_end(self.year, m)
            out.append((d, year_fraction(d)))
        return out

    def realisasi_rows(self) -> list[dict[str, Any]]:
        rows = []
        for opd in self.opds:
            b = self.budget(opd)
            for d, t in self.budget_months():
                k, f = b.keuangan(t), b.fisik(t)
                rows.append({"kode_opd": opd.code, "nama_opd": opd.name, "bulan": f"{d.year}-{d.month:02d}",
                             "tanggal": d.isoformat(), "pagu": b.pagu, "realisasi_keuangan": round(b.pagu * k / 100, -3),
                             "persen_keuangan": k, "persen_fisik": f, "deviasi": round(abs(f - k), 2),
                             "keterangan": self.cause(opd, b)})
        return rows

    def cause(self, opd: Any, b: OpdBudget) -> str:
        """The OPD's own note on why it lags (SIPD's "keterangan"); empty for an OPD on track."""
        if b.curve < 2.0:
            return ""
        return _CAUSES[rng(self.seed, self.year, "cause", opd.code).randrange(len(_CAUSES))]

    def realisasi_city_months(self) -> list[dict[str, Any]]:
        """City-wide totals for every month so far: the S-curve the wall draws."""
        return [self.realisasi_city(t, d) for d, t in self.budget_months()]

    def realisasi_city(self, t: float | None = None, day: date | None = None) -> dict[str, Any]:
        t = year_fraction(self.day) if t is None else t
        day = self.day if day is None else day
        budgets = [self.budget(o) for o in self.opds]
        pagu = sum(b.pagu for b in budgets)
        real = sum(b.pagu * b.keuangan(t) / 100 for b in budgets)
        fisik = sum(b.pagu * b.fisik(t) for b in budgets) / pagu
        keu = 100 * real / pagu
        return {"bulan": f"{day.year}-{day.month:02d}", "pagu": pagu, "realisasi": round(real, -3),
                "persen_keuangan": round(keu, 2), "persen_fisik": round(fisik, 2), "deviasi": round(abs(fisik - keu), 2)}

    # -- revenue --------------------------------------------------------------------------------
    def pad(self) -> dict[str, Any]:
        t = year_fraction(self.day)
        rows = []
        for name, target in LEVIES:
            r = rng(self.seed, self.year, "pad", name)
            real = target * r.uniform(0.86, 1.08) * t ** r.uniform(0.9, 1.25)
            rows.append({"jenis": name, "target": target, "realisasi": round(real, -3),
                         "persen": round(100 * real / target, 2)})
        target = sum(r["target"] for r in rows)
        real = sum(r["realisasi"] for r in rows)
        return {"tahun": self.year, "per_tanggal": self.day.isoformat(), "rincian": rows,
                "total": {"target": target, "realisasi": real, "persen": round(100 * real / target, 2)}}

    # -- complaints (LAPOR! SP4N) ---------------------------------------------------------------
    def complaints(self) -> dict[str, Any]:
        share = self.day.day / calendar.monthrange(self.year, self.day.month)[1]
        rows = []
        for opd in self.opds:
            r = rng(self.seed, self.day.isoformat(), "lapor", opd.code)
            weight = _COMPLAINT_WEIGHT.get(opd.code, 0.6 if opd.kind == "kecamatan" else 0.8)
            received = int(round(weight * r.uniform(4, 9) * share))
            on_time = int(round(received * r.uniform(0.62, 1.0)))
            # open complaints past the 5-working-day deadline: a backlog carried across months,
            # so it does not drop to zero on the 1st when the month's intake restarts
            late = int(round(weight * r.uniform(0.0, 2.4)))
            rows.append({"instansi": opd.code, "nama_instansi": opd.name, "periode": f"{self.year}-{self.day.month:02d}",
                         "diterima": received,
                         "tindak_lanjut_5hk": on_time, "melewati_batas": late,
                         "persen_tepat_waktu": round(100 * on_time / received, 1) if received else 100.0})
        total = {k: sum(r[k] for r in rows) for k in ("diterima", "tindak_lanjut_5hk", "melewati_batas")}
        total["persen_tepat_waktu"] = round(100 * total["tindak_lanjut_5hk"] / max(1, total["diterima"]), 1)
        return {"periode": f"{self.year}-{self.day.month:02d}", "per_tanggal": self.day.isoformat(),
                "data": rows, "kota": total}

    # -- civil registry -------------------------------------------------------------------------
    def dukcapil(self) -> dict[str, Any]:
        t = year_fraction(self.day)
        r = rng(self.seed, self.year, "dukcapil")
        wajib = int(r.uniform(205_000, 215_000))
        ektp = r.uniform(97.0, 98.0) + 1.2 * t
        anak = int(r.uniform(88_000, 94_000))
        kia = r.uniform(36.0, 42.0) + 14 * t
        akta = r.uniform(91.0, 93.5) + 3.5 * t

        def part(target: int, pct: float) -> dict[str, Any]:
            return {"sasaran": target, "realisasi": int(target * pct / 100), "persen": round(pct, 2)}

        return {"status": "ok", "data": {"periode": self.day.isoformat(), "ektp": part(wajib, ektp),
                                         "kia": part(anak, kia), "akta_kelahiran": part(anak, akta)}}

    # -- hospital -------------------------------------------------------------------------------
    def bor_on(self, day: date) -> float:
        r = rng(self.seed, day.isoformat(), "bor")
        weekend = day.weekday() >= 5
        return round(r.uniform(62, 80) - (6 if weekend else 0) + (9 if r.random() < 0.12 else 0), 1)

    def rsud(self) -> dict[str, Any]:
        r = rng(self.seed, f"{self.year}-{self.day.month}", "rsud")
        beds = 236
        history = [{"tanggal": (self.day - timedelta(days=i)).isoformat(),
                    "bor": self.bor_on(self.day - timedelta(days=i))} for i in range(13, -1, -1)]
        return {"rumah_sakit": "RSUD Dr. R.M. Djoelham", "tanggal": self.day.isoformat(), "tempat_tidur": beds,
                "bor": self.bor_on(self.day), "alos": round(r.uniform(5.6, 8.2), 1), "toi": round(r.uniform(1.2, 2.9), 1),
                "bulan": f"{self.year}-{self.day.month:02d}", "riwayat": history}

    # -- puskesmas visits per kecamatan ---------------------------------------------------------
    def puskesmas(self, days: int = 14) -> list[dict[str, Any]]:
        rows = []
        for i in range(days - 1, -1, -1):
            d = self.day - timedelta(days=i)
            for kec in self.kecamatan:
                r = rng(self.seed, d.isoformat(), "puskesmas", kec.code)
                visits = r.randint(60, 130) if d.weekday() >= 5 else r.randint(240, 460)
                rows.append({"tanggal": d.isoformat(), "kecamatan": kec.kecamatan or kec.short,
                             "jumlah_kunjungan": str(visits)})  # CKAN portals store numbers as text
        return rows

    # -- BPS population -------------------------------------------------------------------------
    def population(self, year: int) -> dict[str, int]:
        out = {}
        for code, _, base in KECAMATAN_BPS:
            r = rng(self.seed, "penduduk", code)
            growth = r.uniform(0.008, 0.016)
            out[code] = int(base * (1 + growth) ** (year - 2020))
        out["1275"] = sum(out.values())
        return out

    # -- permits (DPMPTSP CSV) and SPM (XLSX) ----------------------------------------------------
    def permits(self) -> list[dict[str, Any]]:
        rows = []
        for d, _ in self.budget_months():
            r = rng(self.seed, d.year, d.month, "izin")
            applied = int(r.uniform(380, 720) * (d.day / calendar.monthrange(d.year, d.month)[1]))
            on_time = int(applied * r.uniform(0.90, 0.995))
            rows.append({"tanggal": d, "permohonan": applied, "tepat_waktu": on_time,
                         "rata_hari": round(r.uniform(0.8, 2.6), 1), "persen": round(100 * on_time / max(1, applied), 2)})
        return rows

    def spm(self) -> list[dict[str, Any]]:
        semester = 1 if self.day.month <= 6 else 2
        rows = []
        for code, area in SPM_AREAS.items():
            if code not in self.cfg.opd_by_code:
                continue
            r = rng(self.seed, self.year, semester, "spm", code)
            rows.append({"kode_opd": code, "nama_opd": self.cfg.opd_by_code[code].name, "bidang": area,
                         "capaian": round(r.uniform(0.78, 1.0), 4)})
        return rows
