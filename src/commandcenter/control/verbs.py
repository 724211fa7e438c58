"""The commands a console may send, with the arguments each needs. One table: the console builds
commands from it, the wall checks them against it before acting."""

from __future__ import annotations

from typing import Any

# verb -> required argument names (optional ones are listed in OPTIONAL)
VERBS: dict[str, tuple[str, ...]] = {
    "show_scene": ("scene",),
    "next": (), "previous": (), "play": (), "pause": (),
    "pin": (),  # a scene or a playlist (one of them), optionally until an instant
    "release": (),
    "set_dwell": ("index", "seconds"),
    "freeze": (),  # start a briefing (optionally on a playlist)
    "refreeze": (),
    "end_briefing": (),
    "replay": ("as_of",),
    "spotlight_opd": ("opd",),
    "spotlight_panel": ("scene", "panel"),
    "leave_spotlight": (),
    "blank": (),  # toggle, or set with on=true/false
    "key": ("name",),  # a presenter key pressed at the console
    "refresh": ("source",),  # handled by whoever runs the collector
    "report": (),  # report state and thumbnails now
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "pin": ("scene", "playlist", "until"), "freeze": ("playlist", "as_of"), "replay": ("scene",),
    "blank": ("on",),
}


class CommandError(ValueError):
    """A command the bus cannot carry (unknown verb, missing or unknown argument)."""


def check(verb: str, args: dict[str, Any]) -> dict[str, Any]:
    if verb not in VERBS:
        raise CommandError(f"unknown command {verb!r}")
    missing = [a for a in VERBS[verb] if args.get(a) is None]
    if missing:
        raise CommandError(f"{verb}: missing {', '.join(missing)}")
    extra = set(args) - set(VERBS[verb]) - set(OPTIONAL.get(verb, ()))
    if extra:
        raise CommandError(f"{verb}: unknown argument(s) {', '.join(sorted(extra))}")
    return args
