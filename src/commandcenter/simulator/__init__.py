"""A simulator of the demo city's departments, served on 127.0.0.1 (no Qt here).

Library use: `Simulator(cfg, port=0).start()` returns the bound port; `.stop()`; `.set_fault(feed, mode)`.
"""

from commandcenter.simulator.feeds import FAULTS
from commandcenter.simulator.server import Simulator, configured_port
from commandcenter.simulator.service import run_simulate

__all__ = ["FAULTS", "Simulator", "configured_port", "run_simulate"]
