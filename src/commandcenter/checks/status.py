"""The state of every application now (or as known at `as_of`): the read model of the status
board, the console list, the alerts and the ticker. Qt-free: config + cache -> records."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from commandcenter.checks import metrics as M
from commandcenter.checks.base import reason_text
from commandcenter.checks.windows import in_maintenance
from commandcenter.config.schema.apps import apps_of

State = Literal["up", "degraded", "down", "maintenance", "unknown"]
STATES: tuple[str, ...] = ("down", "degraded", "maintenance", "unknown", "up")  # worst first
STALE_AFTER = 3.0  # intervals without a check before the state is unknown


@dataclass(frozen=True, slots=True)
class AppStatus:
    id: str
    name: str
    opd: str
    kind: str
    target: str
    state: State
    last_check: float | None = None
    latency_ms: float | None = None
    cert_days: float | None = None
    reason: str = ""  # why down / degraded / in maintenance, in the wall's language, words only
    detail: str = ""  # the failed check's own message (technical English): the console, the CLI, logs; never the wall
    down_since: float | None = None
    fails: int = 0  # failed checks in a row
    interval: float = 60.0


def target_of(app: Any) -> str:
    c = app.check.model_extra or {}
    if app.url:
        return app.url
    if app.check.kind == "tcp":
        return f"{c.get('host')}:{c.get('port')}"
    return str(c.get("url") or c.get("name") or "")


def board(cfg: Any, cache: Any, now: float | None = None, as_of: float | None = None,
          lang: str = "id") -> list[AppStatus]:
    """Every enabled application's state, in apps.yaml order."""
    file = apps_of(cfg)
    if file is None:
        return []
    now = as_of if as_of is not None else (time.time() if now is None else now)
    snap = cache.latest_many(M.METRICS, as_of=as_of)  # one statement for the five metrics (issue #15)
    latest = {m: {v.dim: v for v in snap.get(m, [])} for m in M.METRICS}
    last = (cache.get_state("apps.last", {}) or {}) if as_of is None else {}
    return [_one(cfg, file, app, latest, last.get(app.id) or {}, now, lang) for app in file.apps if app.enabled]


def _one(cfg: Any, file: Any, app: Any, latest: dict, last: dict, now: float, lang: str) -> AppStatus:
    up, maint = latest[M.UP].get(app.id), latest[M.MAINT].get(app.id)
    lat, cert, fail = (latest[k].get(app.id) for k in (M.LATENCY, M.CERT, M.FAIL))
    checked = max((v.ts for v in (up, maint) if v is not None), default=None)
    base = dict(id=app.id, name=app.name, opd=app.opd, kind=app.check.kind, target=target_of(app),
                last_check=checked, interval=file.interval_of(app),
                latency_ms=lat.value if lat is not None and lat.ts == checked else None,
                cert_days=cert.value if cert is not None else None)
    window = in_maintenance(app, now, cfg.city.timezone)
    if window is not None:
        return AppStatus(state="maintenance", reason=_maint_words(window, lang), **base)
    if checked is None or now - checked > STALE_AFTER * file.interval_of(app) + 60:
        words = ("belum diperiksa", "not checked yet") if checked is None else ("pemeriksaan terhenti", "checks stopped")
        return AppStatus(state="unknown", reason=words[lang == "en"], **base)
    if up is None or up.ts < checked:  # the newest check fell in a maintenance window that is over
        return AppStatus(state="up", **base)
    if up.value < 0.5:
        detail = last.get("message") if last.get("at") and int(last["at"]) == up.ts else ""
        code = fail.value if fail is not None and fail.ts == up.ts else None
        words = reason_text(code, lang) or ("tidak tersedia" if lang != "en" else "down")
        since = last.get("down_since") if detail else None
        return AppStatus(state="down", reason=words, detail=detail or "",
                         down_since=since, fails=int(last.get("fails", 1) or 1), **base)
    why = degraded_reason(file.alerts_of(app), base["latency_ms"], base["cert_days"], lang)
    return AppStatus(state="degraded" if why else "up", reason=why, **base)


def degraded_reason(rules: Any, latency_ms: float | None, cert_days: float | None, lang: str = "id") -> str:
    """Up, but slow or with a certificate about to expire (the app's alert thresholds)."""
    out = []
    if rules.latency_ms and latency_ms is not None and latency_ms > rules.latency_ms:
        out.append(("lambat" if lang != "en" else "slow") + f" ({latency_ms / 1000:.1f} s)".replace(".", "," if lang != "en" else "."))
    if rules.cert_days is not None and cert_days is not None and cert_days <= rules.cert_days:
        days = max(0, int(cert_days))
        out.append(f"sertifikat habis {days} hari lagi" if lang != "en" else f"certificate expires in {days} days")
    return "; ".join(out)


def _maint_words(window: Any, lang: str) -> str:
    from commandcenter.checks.windows import window_text

    return ("pemeliharaan terjadwal " if lang != "en" else "planned maintenance ") + window_text(window, lang)


def reason_with_detail(reason: str, detail: str) -> str:
    """For operators (console, CLI): the words and, after them, what the check itself said."""
    if not detail or detail == reason:
        return reason
    return detail if reason and detail.startswith(reason) else f"{reason}: {detail}"


def counts(rows: list[AppStatus]) -> dict[str, int]:
    out = {s: 0 for s in STATES}
    for r in rows:
        out[r.state] += 1
    return out
