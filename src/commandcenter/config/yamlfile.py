"""Reading YAML with line marks, so every config error can name file:line:column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from commandcenter.config.errors import ConfigIssue


@dataclass
class YamlDoc:
    """A parsed file. `data` comes from the fast C loader; line marks come from a round-trip
    re-parse done only when an error has to be located (valid configs never pay for it)."""

    path: Path
    display: str
    data: Any
    text: str = ""
    _marked: Any = None

    def marked(self) -> Any:
        if self._marked is None:
            try:
                self._marked = YAML(typ="rt").load(self.text) if self.text else self.data
            except Exception:  # the fast parse succeeded, so this is unexpected: no line marks then
                self._marked = self.data
        return self._marked

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node of `loc` present in the document."""
        node: Any = self.marked()
        line, col = (1, 1) if node is not None else (None, None)
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                ln, cl = node.lc.key(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                ln, cl = node.lc.item(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            else:
                break
        return line, col

    def issue(self, loc: tuple[Any, ...], message: str) -> ConfigIssue:
        line, col = self.position(loc)
        return ConfigIssue(self.display, line, col, key_path(loc), message)


def key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# Bounds on what a config file may cost to read (issue 18: an alias bomb grew the process to 18 GB,
# 50,000 levels of nesting crashed the parser, a 50 MB file took 161 s). A real city's largest
# file is a few tens of KB with a few thousand nodes; a 512 KB file of data already costs seconds
# to load and to locate an error in.
MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 50  # nested mappings/lists
MAX_ALIASES = 1000  # `*name` references
MAX_NODES = 200_000  # nodes once every alias is expanded (what the loader hands on)


def read(path: Path, display: str) -> tuple[YamlDoc | None, list[ConfigIssue]]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [ConfigIssue(display, None, None, "", f"cannot read: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [ConfigIssue(display, None, None, "", f"file is {size / 1024:,.0f} KB, over the "
                                  f"{MAX_FILE_BYTES // 1024} KB limit for a config file")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [ConfigIssue(display, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [ConfigIssue(display, None, None, "", f"cannot read: {exc.strerror}")]
    bound = check_shape(text, display)
    if bound is not None:
        return None, [bound]
    try:
        data = YAML(typ="safe").load(text)  # libyaml via ruamel.yaml.clib when installed
    except Exception:
        data = None  # re-parse below with the round-trip parser for a precise message
    else:
        if data is None:
            return None, [ConfigIssue(display, 1, 1, "", "file is empty")]
        return YamlDoc(path, display, data, text), []
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context_mark and exc.context and "end" in what and "stream" in what:
            # an unclosed bracket or quote is found only at the end of the file: point at its start
            mark = exc.context_mark
            what += f" (the {exc.context.strip().removeprefix('while parsing a ')} opened here is never closed)"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        return None, [ConfigIssue(display, line, col, "", f"YAML syntax error: {what}")]
    except Exception as exc:  # ruamel raises a few non-marked errors (duplicate keys, bad tags)
        return None, [ConfigIssue(display, None, None, "", f"YAML error: {exc}")]
    if data is None:
        return None, [ConfigIssue(display, 1, 1, "", "file is empty")]
    return YamlDoc(path, display, data), []


def check_shape(text: str, display: str) -> ConfigIssue | None:
    """Walk the parser's events (no document is built) and stop at the first bound crossed:
    nesting depth, alias count, or size with aliases expanded. Syntax errors are left to the
    loaders, which locate them precisely."""
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    counts, anchors = [0], [None]  # nodes so far in each open collection, and its anchor
    sizes: dict[str, int] = {}  # anchor -> expanded node count
    aliases = 0
    try:
        for ev in YAML(typ="safe").parse(text):
            if isinstance(ev, CollectionStartEvent):
                counts.append(0)
                anchors.append(ev.anchor)
                if len(counts) - 1 > MAX_DEPTH:
                    return _bound_issue(display, ev, f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(ev, CollectionEndEvent):
                n, anchor = counts.pop() + 1, anchors.pop()
                if anchor:
                    sizes[anchor] = n
                counts[-1] += n
            elif isinstance(ev, ScalarEvent):
                counts[-1] += 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, AliasEvent):
                aliases += 1
                counts[-1] += sizes.get(ev.anchor, 1)
                if aliases > MAX_ALIASES:
                    return _bound_issue(display, ev, f"more than {MAX_ALIASES} aliases (*name)")
                if sum(counts) > MAX_NODES:
                    return _bound_issue(display, ev, f"aliases expand to more than {MAX_NODES:,} nodes "
                                        "(an alias bomb?)")
    except Exception:  # noqa: BLE001 - a syntax error: the loaders report it with its position
        return None
    return None


def _bound_issue(display: str, ev: Any, what: str) -> ConfigIssue:
    mark = ev.start_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return ConfigIssue(display, line, col, "", f"refused: {what}; a config file may not exceed this")


def plain(data: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists for pydantic."""
    if isinstance(data, dict):
        return {str(k) if not isinstance(k, int) else k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
