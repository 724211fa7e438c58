"""`commandcenter simulate`: serve the demo city's departments until Ctrl+C / SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from commandcenter.simulator.server import Simulator

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def parse_faults(items: list[str] | None) -> dict[str, str]:
    """['sipd-realisasi=http500', ...] -> {feed: mode}; raises ValueError on a malformed item."""
    out = {}
    for item in items or []:
        feed, sep, mode = item.partition("=")
        if not sep or not feed.strip() or not mode.strip():
            raise ValueError(f"--fault {item!r}: expected FEED=MODE, e.g. sipd-realisasi=http500")
        out[feed.strip()] = mode.strip()
    return out


def run_simulate(args: Any) -> int:
    from commandcenter.runtime import load_or_report

    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    try:
        sim = Simulator(cfg, host=getattr(args, "host", None) or "127.0.0.1", port=getattr(args, "port", None),
                        faults=parse_faults(getattr(args, "fault", None)), drop_dir=getattr(args, "drop_dir", None))
    except (KeyError, ValueError) as exc:
        print(f"commandcenter simulate: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_INVALID
    # The handlers go in before the banner: a supervisor (or a test) that reads the banner's
    # "Ctrl+C to stop." and stops us at once must get a clean stop, not the default kill.
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            sim.start()
        except OSError as exc:
            print(f"commandcenter simulate: cannot listen on {sim.host}:{sim.port}: {exc.strerror}", file=sys.stderr)
            return EXIT_FAIL
        _banner(sim)
        while not stop.wait(1.0):
            pass
    finally:
        sim.stop()
        for s, h in previous.items():
            signal.signal(s, h)
    return EXIT_OK


def _banner(sim: Simulator) -> None:
    st = sim.status()
    print(f"Simulated departments of {sim.cfg.city.name} on {sim.url} (data of {st['date']}, seed {sim.seed})")
    for name, path in st["feeds"].items():
        fault = f"  [fault: {sim.faults[name]}]" if name in sim.faults else ""
        print(f"  {name:22} {path}{fault}")
    print(f"  drops: {st['drop_dir']}\n  finance db: {st['db_path']}")
    if st.get("apps"):
        tls = f", HTTPS on port {st['tls_port']}" if st.get("tls_port") else ""
        print(f"  applications: {st['apps']} under {sim.url}/app/<id>/{tls}; faults: app:<id>=down|slow|maintenance|flaky|drip|lag")
    print(f"  faults: curl -X POST {sim.url}/_control/fault -d '{{\"feed\": \"rsud-indikator\", \"mode\": \"http500\"}}'")
    print("Ctrl+C to stop.", flush=True)
