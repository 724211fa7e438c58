"""The command bus between operator consoles and walls, through the cache both already share.
Qt-free: the console and the wall wrap it in their own Qt adapters (ui/console/, ui/wall_link.py)."""

from commandcenter.control.bus import CommandBus, WallEndpoint, WallView, operator_name
from commandcenter.control.verbs import VERBS, CommandError, check

__all__ = ["VERBS", "CommandBus", "CommandError", "WallEndpoint", "WallView", "check", "operator_name"]
