"""After check results arrive (collector maintenance): application alerts and the per-OPD
availability KPI. Alerts go through the cache's lifecycle (fire, acknowledge, resolve); a
maintenance window suppresses them and resolves the ones open."""

from __future__ import annotations

import logging
import time
from typing import Any

from commandcenter import fmt
from commandcenter.checks import metrics as M
from commandcenter.checks.status import board
from commandcenter.checks.uptime import periods, uptime
from commandcenter.config.schema.apps import apps_of
from commandcenter.i18n import tr

log = logging.getLogger("commandcenter.checks")
RULE_DOWN, RULE_SLOW, RULE_CERT = "aplikasi-mati", "aplikasi-lambat", "aplikasi-sertifikat"
RULES = (RULE_DOWN, RULE_SLOW, RULE_CERT)
KPI_EVERY = 600.0  # seconds between two writes of the availability KPI
_kpi_written: dict[tuple[str, int], float] = {}  # (city, cache object) -> last write


def maintain_apps(cfg: Any, cache: Any, now: float | None = None) -> tuple[int, int]:
    now = time.time() if now is None else now
    fired, resolved = app_alerts(cfg, cache, now)
    try:
        write_availability(cfg, cache, now)
    except Exception:
        log.exception("availability KPI failed")
    return fired, resolved


def conditions(cfg: Any, cache: Any, now: float) -> list[dict[str, Any]]:
    """The alert conditions holding now: down N checks in a row, slow, certificate expiring."""
    file = apps_of(cfg)
    by_id = {a.id: a for a in file.apps}
    lang = cfg.city.language  # alerts are stored once, in the city's language (as scoring's are)
    out = []
    for st in board(cfg, cache, now=now, lang=lang):
        if st.state in ("maintenance", "unknown"):
            continue
        app, rules = by_id[st.id], file.alerts_of(by_id[st.id])
        if st.state == "down" and st.fails >= rules.down_after:
            out.append(dict(key=f"{RULE_DOWN}|{st.id}", rule=RULE_DOWN, severity=rules.severity,
                            message=tr("Aplikasi {app} tidak tersedia: {reason}", lang).format(app=app.name, reason=st.reason)))
        if rules.latency_ms and st.state != "down" and st.latency_ms is not None and st.latency_ms > rules.latency_ms:
            out.append(dict(key=f"{RULE_SLOW}|{st.id}", rule=RULE_SLOW, severity="warning", value=st.latency_ms,
                            message=tr("Aplikasi {app} lambat: {seconds} detik", lang).format(
                                app=app.name, seconds=fmt.number(st.latency_ms / 1000, 1, lang))))
        if rules.cert_days is not None and st.cert_days is not None and st.cert_days <= rules.cert_days:
            out.append(dict(key=f"{RULE_CERT}|{st.id}", rule=RULE_CERT, severity="warning", value=st.cert_days,
                            message=tr("Sertifikat {app} habis dalam {days} hari", lang).format(
                                app=app.name, days=max(0, int(st.cert_days)))))
    for c in out:
        c.update(opd=by_id[c["key"].split("|", 1)[1]].opd, source=M.SOURCE)
    return out


def app_alerts(cfg: Any, cache: Any, now: float) -> tuple[int, int]:
    """Fire the conditions that hold; resolve open app alerts whose condition cleared."""
    holding = {c["key"]: c for c in conditions(cfg, cache, now)}
    open_now = {a.key: a for a in cache.alerts(("firing", "acknowledged")) if a.rule in RULES}
    fired = 0
    for key, c in holding.items():
        if key not in open_now:
            cache.fire_alert(now=now, **c)
            fired += 1
        elif open_now[key].message != c["message"]:  # the reason, the seconds, the days left as they are now
            cache.fire_alert(now=now, **c)
    resolved = 0
    for key in open_now:
        if key not in holding:
            resolved += cache.resolve_alert(key, now=now)
    return fired, resolved


def _month(now: float, tz: str) -> tuple[str, int]:
    """The running month's label (2026-12) and last second, in the city's zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    d = datetime.fromtimestamp(now, ZoneInfo(tz))
    nxt = datetime(d.year + (d.month == 12), d.month % 12 + 1, 1, tzinfo=ZoneInfo(tz))
    return f"{d.year}-{d.month:02d}", int(nxt.timestamp()) - 1


def write_availability(cfg: Any, cache: Any, now: float, force: bool = False) -> int:
    """Month-to-date uptime (percent) per OPD as `availability_metric`: the running month's value,
    keyed at the month's last second and describing now (its as-of: the cache's fetch time)."""
    file = apps_of(cfg)
    metric_id = file.availability_metric if file else None
    key = (cfg.city_key, id(cache))
    if not metric_id or (not force and now - _kpi_written.get(key, float("-inf")) < KPI_EVERY):
        return 0
    from commandcenter.cache.records import Sample

    start, _ = periods(cfg, now)["month"]
    per_app = uptime(cfg, cache, start, now)
    acc: dict[str, list[float]] = {}
    for app in file.apps:
        if app.enabled and per_app.get(app.id) is not None:
            acc.setdefault(app.opd, []).append(per_app[app.id])
    label, last_second = _month(now, cfg.city.timezone)
    samples = [Sample(metric_id, opd, last_second, round(100 * sum(v) / len(v), 2), period=label)
               for opd, v in acc.items()]
    _kpi_written[key] = now
    return cache.write_samples(M.SOURCE, samples, known_at=now) if samples else 0
