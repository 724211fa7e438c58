"""Plausible Kota Binjai values written into a real cache (for wall tests and screenshots).

Budget realisation follows an S-curve per OPD with some OPDs lagging; city-wide values are the
pagu-weighted means; hospital, civil registry, complaints and puskesmas figures stay in
realistic ranges. Deterministic for a given `now`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from commandcenter.cache import RunRecord, Sample

TZ = ZoneInfo("Asia/Jakarta")
KEC = ["kec-binjai-kota", "kec-binjai-utara", "kec-binjai-timur", "kec-binjai-selatan", "kec-binjai-barat"]
LEVIES = [("Pajak Penerangan Jalan", 26.0e9), ("BPHTB", 15.0e9), ("PBB-P2", 12.5e9), ("Pajak Restoran", 9.5e9),
          ("Pajak Reklame", 3.2e9), ("Retribusi Persampahan", 2.1e9)]


def month_end(year: int, month: int) -> int:
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=TZ)
    return int(nxt.timestamp()) - 1


def s_curve(month: float, lag: float) -> float:
    """Cumulative % of the year's budget absorbed after `month` months (slow start, Q4 rush)."""
    x = month / 12
    return max(0.0, min(100.0, 100 * (0.55 * x + 0.45 * x ** 3) * lag))


def _position(month: int, current: int, local: datetime) -> float:
    """Months of the year a month's cumulative value covers: the running month only up to today."""
    if month < current:
        return float(month)
    nxt = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=TZ)
    days = (nxt - local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)).days
    return current - 1 + (local.day - 1 + local.hour / 24) / days


def fill(cache, cfg, now: float, seed: int = 7) -> dict:
    """Write a year-to-date of data known shortly before `now`; returns a few values for assertions."""
    rnd = random.Random(seed)
    local = datetime.fromtimestamp(now, TZ)
    year, cur = local.year, local.month
    known = now - 600
    opds = [o for o in cfg.opds if o.valid_to is None or o.valid_to.year >= year]
    out: dict = {}
    budget: list = []
    pagu_total = 0.0
    for o in opds:
        lag = rnd.uniform(0.7, 1.08)
        pagu = rnd.uniform(8e9, 380e9) if o.kind in ("dinas", "rsud", "sekretariat") else rnd.uniform(5e9, 40e9)
        pagu_total += pagu
        budget.append((o.code, lag, pagu))
    city_fin, city_phys = {}, {}
    total = sum(p for _, _, p in budget)
    for code, lag, pagu in budget:
        samples = [Sample("pagu_anggaran", code, month_end(year, 12), round(pagu, -6), period=str(year))]
        for mo in range(1, cur + 1):
            fin = round(s_curve(_position(mo, cur, local), lag), 2)
            phys = round(min(100.0, fin + rnd.uniform(-1.5, 7.5)), 2)
            ts = month_end(year, mo)
            samples += [Sample("serapan_keuangan", code, ts, fin, period=f"{year}-{mo:02d}"),
                        Sample("realisasi_fisik", code, ts, phys, period=f"{year}-{mo:02d}"),
                        Sample("deviasi_fisik_keuangan", code, ts, round(abs(phys - fin), 2), period=f"{year}-{mo:02d}"),
                        Sample("realisasi_belanja", code, ts, round(pagu * fin / 100, -6), period=f"{year}-{mo:02d}")]
            city_fin[mo] = city_fin.get(mo, 0.0) + fin * pagu / total
            city_phys[mo] = city_phys.get(mo, 0.0) + phys * pagu / total
        cache.write_samples("sipd-realisasi", samples, known_at=known)
    city = []
    for mo in range(1, cur + 1):
        ts = month_end(year, mo)
        fin, phys = round(city_fin[mo], 2), round(city_phys[mo], 2)
        city += [Sample("serapan_keuangan", "", ts, fin, period=f"{year}-{mo:02d}"),
                 Sample("realisasi_fisik", "", ts, phys, period=f"{year}-{mo:02d}"),
                 Sample("deviasi_fisik_keuangan", "", ts, round(abs(phys - fin), 2), period=f"{year}-{mo:02d}"),
                 Sample("realisasi_belanja", "", ts, round(pagu_total * fin / 100, -6), period=f"{year}-{mo:02d}")]
    city.append(Sample("pagu_anggaran", "", month_end(year, 12), round(pagu_total, -6), period=str(year)))
    cache.write_samples("sipd-realisasi", city, known_at=known)
    out["serapan_city"] = round(city_fin[cur], 2)
    out["pagu_city"] = round(pagu_total, -6)
    _services(cache, cfg, rnd, year, cur, now, known, out)
    for src in cfg.sources:
        cache.record_run(RunRecord(src.id, known - 2, known, "ok", "", 10))
    return out


def _services(cache, cfg, rnd, year, cur, now, known, out) -> None:
    s: list[Sample] = []
    for mo in range(1, cur + 1):
        ts = month_end(year, mo)
        pad = round(s_curve(mo, 1.0) * rnd.uniform(0.93, 1.05), 2)
        s += [Sample("pad_capaian", "", ts, pad), Sample("pad_capaian", "bpkad", ts, pad)]
        for opd in ("disdukcapil",):
            s += [Sample("ektp_perekaman", opd, ts, round(97.2 + mo * 0.15, 2)),
                  Sample("kia_cakupan", opd, ts, round(38 + mo * 1.1, 2)),
                  Sample("akta_lahir_cakupan", opd, ts, round(90 + mo * 0.35, 2))]
        s += [Sample("alos", "rsud", ts, round(rnd.uniform(5.8, 8.1), 1)), Sample("toi", "rsud", ts, round(rnd.uniform(1.2, 2.8), 1)),
              Sample("izin_tepat_waktu", "dpmptsp", ts, round(rnd.uniform(92, 99), 2)),
              Sample("pengaduan_tepat_waktu", "", ts, round(rnd.uniform(78, 94), 2))]
    for levy, target in LEVIES:
        s.append(Sample("pad_realisasi", "bpkad", month_end(year, cur), round(target * s_curve(cur, rnd.uniform(0.8, 1.1)) / 100, -6), dim=levy))
    weights = {"putr": 6, "dishub": 4, "dlh": 5, "disdukcapil": 4, "satpolpp": 3, "dinkes": 3, "rsud": 3, "disdik": 3,
               "disperkim": 3, "dinsos": 2, "bpkad": 2, "dpmptsp": 1}
    for opd, w in weights.items():
        s += [Sample("pengaduan_masuk", opd, month_end(year, cur), float(round(w * rnd.uniform(3, 7)))),
              Sample("pengaduan_terlambat", opd, int(now) - 3600, float(round(w * rnd.uniform(0, 2.2)))),
              Sample("pengaduan_tepat_waktu", opd, month_end(year, cur), round(rnd.uniform(62, 98), 2))]
    for opd in ("disdik", "dinkes", "putr", "disperkim", "satpolpp", "dinsos"):
        s.append(Sample("spm_capaian", opd, month_end(year, 6), round(rnd.uniform(82, 100), 2)))
    day0 = datetime.fromtimestamp(now, TZ).replace(hour=23, minute=59, second=59, microsecond=0) - timedelta(days=1)
    for i in range(30):
        d = day0 - timedelta(days=29 - i)
        s.append(Sample("bor", "rsud", int(d.timestamp()), round(rnd.uniform(62, 82), 1)))
        for k in KEC:
            s.append(Sample("kunjungan_puskesmas", k, int(d.timestamp()), float(rnd.randint(240, 460))))
    pop = {"kec-binjai-selatan": 56_100, "kec-binjai-kota": 32_800, "kec-binjai-timur": 70_900,
           "kec-binjai-utara": 94_000, "kec-binjai-barat": 58_200}
    for k, v in pop.items():
        s.append(Sample("jumlah_penduduk", k, month_end(year - 1, 12), float(v)))
    s.append(Sample("jumlah_penduduk", "", month_end(year - 1, 12), float(sum(pop.values()))))
    cache.write_samples("demo", s, known_at=known)


def fill_apps(cache, cfg, now: float, days: int = 90, every: int = 600, seed: int = 11) -> int:
    """Check history of the demo city's applications (apps.yaml) for the last `days`: a check
    every `every` seconds, a few outages per app (many for the flaky one), the maintenance-page
    app down for its last day. Written through the cache and rolled up, like the collector's."""
    from commandcenter.checks import base, metrics as M
    from commandcenter.checks.base import CheckResult
    from commandcenter.collector.apps import samples_for

    rnd = random.Random(seed)
    apps = [a for a in cfg.extra["apps"].apps if a.enabled]
    start = int(now - days * 86400) // every * every
    written = 0
    for app in apps:
        url = str((app.check.model_extra or {}).get("url", ""))
        outages = [(rnd.uniform(start, now - 86400), rnd.choice([600, 1800, 3600, 3 * 3600, 8 * 3600]))
                   for _ in range(rnd.choice([0, 0, 1, 1, 2, 3]))]
        if "sim=flaky" in url:
            outages += [(t, 180) for t in range(start + 5000, int(now), 86400 // 2)]
        if "sim=maintenance" in url:
            outages.append((now - 86400, 86400))
        slow = 2500.0 if "sim=lag" in url else 0.0
        samples = []
        for ts in range(start, int(now) - every, every):
            down = any(t0 <= ts < t0 + d for t0, d in outages)
            result = (CheckResult.fail(base.KEYWORD if "sim=maintenance" in url else 503, "", 80.0) if down
                      else CheckResult(True, slow + rnd.uniform(25, 180), cert_days=10.0 if "https" in url else None))
            samples += samples_for(app, result, ts, False)
        written += cache.write_samples(M.SOURCE, samples, known_at=now - 60)
    cache.rollup()
    return written
