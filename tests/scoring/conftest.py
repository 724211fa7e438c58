"""A small realistic city for scoring tests: three OPDs reporting over two quarters of 2025.

Hand-computed expectations (targets: serapan/fisik curve 25/50/75/100 by Mar/Jun/Sep/Dec,
pengaduan tepat waktu 90, deviasi <= 5 (lower), BOR band 60-85 for the RSUD only):

Q1 (values dated 1 Apr 2025 00:00 WIB = end of March; due: 25%)
  bpkad  serapan 25 (100) fisik 20 (80)  pengaduan 90 (100) deviasi 5 (100)          -> 760/8  = 95.0
  disdik serapan 20 (80)  fisik 25 (100) pengaduan 99 (100) deviasi 4 (100)          -> 740/8  = 92.5
  rsud   serapan 25 (100) fisik 25 (100) pengaduan 81 (90)  deviasi 0 (100) bor 72 (100) -> 980/10 = 98.0
  ranking: rsud, bpkad, disdik
Q2 (values dated 1 Jul 2025 00:00 WIB = end of June; due: 50%)
  bpkad  serapan 30 (60) fisik 45 (90)  pengaduan 72 (80)  deviasi 15 (33.33)        -> 553.33/8 = 69.1667
  disdik serapan 50 (100) fisik 40 (80) pengaduan 90 (100) deviasi 10 (50)           -> 710/8    = 88.75
  rsud   serapan 45 (90) fisik 50 (100) pengaduan: none in Q2 (Q1's 81 is stale: 90)
         deviasi 5 (100) bor 95 (85/95 = 89.47)                                       -> 928.947/10 = 92.8947
  ranking: rsud (=), disdik (+1), bpkad (-1); dlh reports nothing: no score, no rank.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from commandcenter.cache.records import Sample

WIB = ZoneInfo("Asia/Jakarta")

CITY = """\
version: 1
city: {code: "1275", name: Kota Binjai, short_name: Binjai, province: Sumatera Utara,
       timezone: Asia/Jakarta, zone_label: WIB, language: id}
"""
OPDS = """\
version: 1
opds:
  - {code: bpkad, short: BPKAD, name: Badan Pengelolaan Keuangan dan Aset Daerah, kind: badan}
  - {code: disdik, short: Disdik, name: Dinas Pendidikan, kind: dinas}
  - {code: rsud, short: RSUD Djoelham, name: RSUD Dr. R.M. Djoelham, kind: rsud}
  - {code: dlh, short: DLH, name: Dinas Lingkungan Hidup, kind: dinas}
"""
METRICS = """\
version: 1
metrics:
  - id: serapan_keuangan
    name: Realisasi keuangan
    short: Serapan anggaran
    unit: percent
    cumulative: true
    target: {annual: 100, curve: {3: 25, 6: 50, 9: 75, 12: 100}}
    thresholds: {mode: relative, warning: 90, critical: 70}
    weight: 3
  - id: realisasi_fisik
    name: Realisasi fisik
    unit: percent
    cumulative: true
    target: {annual: 100, curve: {3: 25, 6: 50, 9: 75, 12: 100}}
    thresholds: {mode: relative, warning: 90, critical: 70}
    weight: 2
  - id: pengaduan_tepat_waktu
    name: Pengaduan ditindaklanjuti tepat waktu
    unit: percent
    target: {value: 90}
    thresholds: {mode: relative, warning: 90, critical: 70}
    weight: 2
  - id: deviasi_fisik_keuangan
    name: Deviasi fisik-keuangan
    unit: percent
    direction: lower
    target: {value: 5}
    thresholds: {mode: absolute, warning: 5, critical: 10}
    weight: 1
  - id: bor
    name: Bed Occupancy Rate
    short: BOR
    unit: percent
    direction: band
    period: instant
    target: {band: {low: 60, high: 85}}
    thresholds: {mode: relative, warning: 90, critical: 75}
    weight: 2
    applies_to: [rsud]
  - id: pagu_anggaran
    name: Pagu anggaran
    unit: rp
    period: year
    scored: false
"""
SOURCES = """\
version: 1
sources: []
"""
WALL = """\
version: 1
wall: {columns: 2, rows: 1}
"""
SCENES = """\
version: 1
scenes:
  - id: utama
    title: Utama
    panels:
      - {id: jam, type: clock, cell: [0, 0, 2, 1]}
"""
PLAYLISTS = """\
version: 1
playlists:
  - id: harian
    items: [{scene: utama}]
default: harian
"""
ALERTS = """\
version: 1
rules:
  - {id: sumber-gagal, kind: source, states: [failing], severity: critical}
  - {id: serapan-kritis, kind: threshold, metric: serapan_keuangan, level: critical, consecutive: 2}
  - {id: deviasi, kind: deviation, max_points: 10, hysteresis: 1}
  - {id: serapan-di-bawah-kurva, kind: below_target, metric: serapan_keuangan, margin: 10}
"""
FILES = {"city": CITY, "opds": OPDS, "metrics": METRICS, "sources": SOURCES, "wall": WALL,
         "scenes": SCENES, "playlists": PLAYLISTS, "alerts": ALERTS}


def local_ts(*args: int) -> int:
    return int(datetime(*args, tzinfo=WIB).timestamp())


Q1_END = local_ts(2025, 4, 1)  # end of March
Q2_END = local_ts(2025, 7, 1)  # end of June

# (opd, serapan, fisik, pengaduan, deviasi, bor) per quarter; None: not reported
Q1 = {"bpkad": (25, 20, 90, 5, None), "disdik": (20, 25, 99, 4, None), "rsud": (25, 25, 81, 0, 72)}
Q2 = {"bpkad": (30, 45, 72, 15, None), "disdik": (50, 40, 90, 10, None), "rsud": (45, 50, None, 5, 95)}
KPIS = ("serapan_keuangan", "realisasi_fisik", "pengaduan_tepat_waktu", "deviasi_fisik_keuangan", "bor")


CITY_SERAPAN = {"2025-03": 23.3, "2025-06": 41.7}  # city-wide absorption: never an OPD


def quarter_samples(rows: dict[str, tuple], ts: int, label: str) -> list[Sample]:
    out = []
    for opd, values in rows.items():
        for metric, value in zip(KPIS, values):
            if value is not None:
                out.append(Sample(metric, opd, ts, float(value), period=label))
    out.append(Sample("serapan_keuangan", "", ts, CITY_SERAPAN[label], period=label))
    return out


def all_samples() -> list[tuple[list[Sample], float]]:
    """Samples with the instant they became known (a few days after each quarter ends)."""
    return [(quarter_samples(Q1, Q1_END, "2025-03"), Q1_END + 5 * 86400),
            (quarter_samples(Q2, Q2_END, "2025-06"), Q2_END + 5 * 86400)]


def write_city(root: Path, overrides: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for stem, text in {**FILES, **(overrides or {})}.items():
        (root / f"{stem}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def city_dir(tmp_path: Path) -> Path:
    return write_city(tmp_path / "config")


@pytest.fixture
def city(city_dir: Path):
    from commandcenter.config import load_config

    return load_config(city_dir)


@pytest.fixture
def metric_defs():
    """The metric definitions alone (pure-core tests need no config folder)."""
    from commandcenter.config.schema import MetricsFile

    return list(MetricsFile.model_validate(YAML(typ="safe").load(METRICS)).metrics)


@pytest.fixture
def opd_defs():
    from commandcenter.config.schema import OpdsFile

    return list(OpdsFile.model_validate(YAML(typ="safe").load(OPDS)).opds)


@pytest.fixture
def filled_cache(tmp_path: Path, city):
    from commandcenter.cache import Cache

    c = Cache.open(f"sqlite:///{tmp_path / 'cache.sqlite'}", city=city.city_key, tz=city.city.timezone)
    for samples, known_at in all_samples():
        c.write_samples("simda", samples, known_at=known_at)
    yield c
    c.close()
